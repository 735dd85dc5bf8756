// The lexical JSON scan: skipping values, unescaping strings, showing values as text.
#include "util/json_scan.h"

#include <boost/json/parse.hpp>

#include <cstdint>

#include "util/byte_search.h"
#include "util/json_text.h"

namespace comptoir {

namespace json_scan {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits of a \u escape at `p` (past the `u`), -1 if they are not.
int32_t read_hex4(const char* p, const char* end) {
  if (end - p < 4) return -1;
  int32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int d = hex_digit(p[i]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

const char* skip_string(const char* p, const char* end, bool& escaped) {
  ++p;  // the opening quote
  for (;;) {
    p = find_byte<true, '"', '\\'>(p, end);
    if (p == end) return nullptr;
    if (*p == '"') return p + 1;
    escaped = true;
    p += *p == '\\' ? 2 : 1;  // an escape's second byte may be a quote
    if (p > end) return nullptr;
  }
}

const char* skip_value(const char* p, const char* end) {
  if (p == end) return nullptr;
  bool escaped = false;
  if (*p == '"') return skip_string(p, end, escaped);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (p < end) {
      switch (*p) {
        case '"':
          p = skip_string(p, end, escaped);
          if (p == nullptr) return nullptr;
          continue;
        case '{':
        case '[':
          ++depth;
          break;
        case '}':
        case ']':
          if (--depth == 0) return p + 1;
          break;
        default:
          break;
      }
      ++p;
    }
    return nullptr;
  }
  const char* start = p;
  while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' && *p != '\r' &&
         *p != '\t')
    ++p;
  return p == start ? nullptr : p;
}

bool unescape(std::string_view body, std::string& out) {
  const char* p = body.data();
  const char* const end = p + body.size();
  while (p < end) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x20) return false;  // a raw control character: not JSON
    if (c != '\\') {
      out.push_back(*p++);
      continue;
    }
    if (end - p < 2) return false;
    const char e = p[1];
    p += 2;
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out.push_back(e);
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        int32_t cp = read_hex4(p, end);
        if (cp < 0) return false;
        p += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a trailing surrogate first
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          // A leading surrogate: its trailing half must follow as another \u escape.
          if (end - p < 6 || p[0] != '\\' || p[1] != 'u') return false;
          const int32_t low = read_hex4(p + 2, end);
          if (low < 0xDC00 || low > 0xDFFF) return false;
          p += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, static_cast<uint32_t>(cp));
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace json_scan

namespace {

// An integer that Boost.JSON reads as an int64 and to_json_text() writes back as the same
// text: no sign but '-', no leading zero, no "-0", at most 18 digits.
bool plain_integer(std::string_view raw) {
  std::string_view digits = raw;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 18) return false;
  if (digits.front() == '0' && (digits.size() > 1 || raw.size() > 1)) return false;
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::optional<std::string_view> find_json_member(std::string_view text, std::string_view key) {
  std::string scratch;
  std::string_view found;
  const bool ok = for_each_json_member(text, scratch, [&](std::string_view k, std::string_view v) {
    if (k == key) found = v;
  });
  if (!ok) return std::nullopt;
  return found;
}

bool json_value_text(std::string_view raw, std::string& scratch,
                     std::optional<std::string_view>& text) {
  if (raw.empty()) return false;
  if (raw.front() == '"') {
    const char* const end = raw.data() + raw.size();
    bool escaped = false;
    if (raw.size() < 2 || json_scan::skip_string(raw.data(), end, escaped) != end) return false;
    const std::string_view body = raw.substr(1, raw.size() - 2);
    if (!escaped) {
      text = body;
      return true;
    }
    scratch.clear();
    if (!json_scan::unescape(body, scratch)) return false;
    text = scratch;
    return true;
  }
  if (raw == "null") {
    text.reset();
    return true;
  }
  if (raw == "true" || raw == "false" || plain_integer(raw)) {
    text = raw;
    return true;
  }
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(raw, ec);
  if (ec) return false;
  scratch = to_json_text(v);
  text = scratch;
  return true;
}

}  // namespace comptoir
