// Strings: tested whole for a byte to escape first (most have none: one copy),
// else the bytes that need no escape are found 16 at a time (SSE2, or a
// byte-class table elsewhere) and copied in one append per run. Numbers: integers
// with std::to_chars, integral doubles as integers with ".0", short decimals by
// their digits, other doubles with fmt's shortest form (format string compiled).
#include "ingest/document_json.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include <fmt/compile.h>
#include <fmt/format.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace comptoir::ingest {

namespace {

// 0: copied as is; otherwise the letter of a two-character escape, or 'u'.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<size_t>(c)] = 'u';
  t['\b'] = 'b';
  t['\t'] = 't';
  t['\n'] = 'n';
  t['\f'] = 'f';
  t['\r'] = 'r';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}();

#if defined(__SSE2__)
// A bit per byte of `x` that needs an escape.
unsigned escape_mask(__m128i x) {
  // x <= 0x1F (unsigned): max(x, 0x1F) == 0x1F.
  const __m128i control_max = _mm_set1_epi8(0x1F);
  const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(x, control_max), control_max);
  const __m128i hit = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
      control);
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}

// A bit per byte of s[at, at + 16) that needs an escape.
unsigned escape_mask(const char* s, size_t at) {
  return escape_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at)));
}

// Whether any byte of s[0, n), 4 <= n < 16, needs an escape: the bytes are read as
// two overlapping halves (8 or 4 bytes each, filling the vector) so that no byte
// outside them is read.
bool short_needs_escape(const char* s, size_t n) {
  __m128i x;
  if (n >= 8) {
    int64_t head = 0, tail = 0;
    std::memcpy(&head, s, 8);
    std::memcpy(&tail, s + n - 8, 8);
    x = _mm_set_epi64x(tail, head);
  } else {
    int32_t head = 0, tail = 0;
    std::memcpy(&head, s, 4);
    std::memcpy(&tail, s + n - 4, 4);
    x = _mm_set_epi32(tail, head, tail, head);
  }
  return escape_mask(x) != 0;
}
#endif

// Whether some byte of s[0, n) needs an escape: the question most strings answer
// no to, asked without finding where. With 16 bytes or more, the last (partial)
// block is read as the last 16 bytes, overlapping the block before.
bool needs_escape(const char* s, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    unsigned any = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) any |= escape_mask(s, i);
    if (i != n) any |= escape_mask(s, n - 16);
    return any != 0;
  }
  if (n >= 4) return short_needs_escape(s, n);
#endif
  for (size_t i = 0; i < n; ++i) {
    if (kEscapes[static_cast<unsigned char>(s[i])] != 0) return true;
  }
  return false;
}

// The offset of the first byte of s[from, n) that needs an escape, or n, for the
// strings that have some. With 16 bytes or more, the last (partial) block is read
// as the last 16 bytes, overlapping the block before: no byte-by-byte tail.
size_t next_escape(const char* s, size_t from, size_t n) {
  size_t i = from;
#if defined(__SSE2__)
  if (n - i >= 16) {
    for (; i + 16 <= n; i += 16) {
      if (const unsigned mask = escape_mask(s, i); mask != 0) {
        return i + static_cast<size_t>(__builtin_ctz(mask));
      }
    }
    if (i == n) return n;
    const size_t last = n - 16;  // covers s[i, n) and some bytes already seen
    const unsigned mask = escape_mask(s, last) >> (i - last);
    return mask != 0 ? i + static_cast<size_t>(__builtin_ctz(mask)) : n;
  }
#endif
  while (i < n && kEscapes[static_cast<unsigned char>(s[i])] == 0) ++i;
  return i;
}

template <typename Int>
void append_integer(TextBuffer& out, Int v) {
  constexpr size_t kMax = 24;
  char* p = out.reserve(kMax);
  out.commit(static_cast<size_t>(std::to_chars(p, p + kMax, v).ptr - p));
}

// The shortest form of a non-integral `d` that is the double nearest to a decimal
// n / 10^k with k <= 4 and |n * 10^(4-k)| < 10^15 (prices, durations, ratios as
// files write them), without the general algorithm. That decimal has at most 15
// significant digits, and two such decimals never round to the same double, so no
// shorter one reads back as `d`: it is what fmt writes, in fixed notation (its
// exponent is within [-4, 16)). It is found as d * 10^4 rounded, whatever k is:
// that product is within far less than 0.5 of the integer n * 10^(4-k). False
// when `d` is not such a double.
bool append_short_decimal(TextBuffer& out, double d) {
  constexpr double kScale = 1e4;
  constexpr size_t kScaleDigits = 4;
  const double scaled = d * kScale;
  if (!(std::fabs(scaled) < 1e15)) return false;
  const auto n = static_cast<int64_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
  if (static_cast<double>(n) / kScale != d) return false;  // division rounds correctly
  const uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  char* p = out.reserve(40);
  char* w = p;
  if (n < 0) *w++ = '-';
  w = std::to_chars(w, w + 20, magnitude / 10000).ptr;
  *w++ = '.';
  uint64_t fraction = magnitude % 10000;  // not 0: d is not integral
  size_t digits = kScaleDigits;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  for (size_t i = digits; i > 0; --i) {
    w[i - 1] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  out.commit(static_cast<size_t>(w + digits - p));
  return true;
}

// `s`, which has a byte to escape, as a quoted JSON string: the runs between the
// escapes copied whole.
void append_escaped_string(TextBuffer& out, std::string_view s) {
  const size_t n = s.size();
  size_t i = next_escape(s.data(), 0, n);
  out.push_back('"');
  size_t run = 0;
  while (i < n) {
    out.append(s.data() + run, i - run);
    const char e = kEscapes[static_cast<unsigned char>(s[i])];
    if (e == 'u') {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(s[i]);
      const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(u, sizeof(u));
    } else {
      const char pair[2] = {'\\', e};
      out.append(pair, sizeof(pair));
    }
    run = i + 1;
    i = next_escape(s.data(), run, n);
  }
  out.append(s.data() + run, n - run);
  out.push_back('"');
}

}  // namespace

void append_json_string(TextBuffer& out, std::string_view s) {
  const size_t n = s.size();
  if (needs_escape(s.data(), n)) {
    append_escaped_string(out, s);
    return;
  }
  char* p = out.reserve(n + 2);  // the common case: one copy
  p[0] = '"';
  TextBuffer::copy(p + 1, s.data(), n);
  p[n + 1] = '"';
  out.commit(n + 2);
}

void append_json_int(TextBuffer& out, int64_t v) {
  append_integer(out, v);
}

void append_json_uint(TextBuffer& out, uint64_t v) {
  append_integer(out, v);
}

void append_json_double(TextBuffer& out, double d) {
  if (!std::isfinite(d)) {
    out.append("null");
    return;
  }
  if (d == std::trunc(d) && std::fabs(d) < 1e15) {
    // What "{:.1f}" writes: the integer, ".0"; the sign of -0.0 kept.
    if (d == 0 && std::signbit(d)) out.push_back('-');
    append_integer(out, static_cast<int64_t>(d));
    out.append(".0");
    return;
  }
  if (append_short_decimal(out, d)) return;
  constexpr size_t kMax = 32;  // the longest shortest form is 24 characters
  char* p = out.reserve(kMax);
  out.commit(static_cast<size_t>(fmt::format_to(p, FMT_COMPILE("{}"), d) - p));
}

void append_json_value(TextBuffer& out, const boost::json::value& v) {
  namespace json = boost::json;
  switch (v.kind()) {
    case json::kind::null:
      out.append("null");
      return;
    case json::kind::bool_:
      out.append(v.get_bool() ? "true" : "false");
      return;
    case json::kind::int64:
      append_json_int(out, v.get_int64());
      return;
    case json::kind::uint64:
      append_json_uint(out, v.get_uint64());
      return;
    case json::kind::double_:
      append_json_double(out, v.get_double());
      return;
    case json::kind::string:
      append_json_string(out, v.get_string());
      return;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const json::value& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_value(out, item);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object:
      out.push_back('{');
      append_json_members(out, v.get_object());
      out.push_back('}');
      return;
  }
}

void append_json_members(TextBuffer& out, const boost::json::object& doc) {
  bool first = true;
  for (const auto& kv : doc) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, kv.key());
    out.push_back(':');
    append_json_value(out, kv.value());
  }
}

std::string json_string_text(std::string_view s) {
  TextBuffer out;
  append_json_string(out, s);
  return std::string(out.view());
}

std::string json_member_prefix(std::string_view name) {
  return ',' + json_string_text(name) + ':';
}

}  // namespace comptoir::ingest
