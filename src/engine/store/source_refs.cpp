// Source references: the template encoder (format and guarantees in source_refs.h).
#include "engine/store/source_refs.h"

#include <cstring>

#include "util/byte_search.h"

namespace comptoir::engine {

namespace {

bool is_number_byte(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

bool has_marker_bytes(std::string_view s) {
  return std::memchr(s.data(), '\x02', s.size()) != nullptr ||
         std::memchr(s.data(), '\x03', s.size()) != nullptr;
}

// Where the string whose content starts at `from` ends (its closing quote; an escaped
// byte is passed over); npos when it does not end.
size_t string_end(std::string_view source, size_t from) {
  const char* p = source.data() + from;
  const char* const end = source.data() + source.size();
  for (;;) {
    p = find_byte<false, '"', '\\'>(p, end);
    if (p == end) return std::string_view::npos;
    if (*p == '"') return static_cast<size_t>(p - source.data());
    if (end - p < 2) return std::string_view::npos;
    p += 2;  // the backslash and the byte it escapes
  }
}

}  // namespace

std::string_view SourceRefEncoder::encode(std::string_view source,
                                          const std::vector<SourceRefValue>& values,
                                          SourceText text) {
  cuts_.clear();
  if (source.empty() || source.front() == '\x01') return source;
  if (text == SourceText::kUnchecked && has_marker_bytes(source)) return source;
  // The values a reference can stand for.
  candidates_.clear();
  for (const SourceRefValue& v : values) {
    if (v.text.size() < kMinValueBytes) continue;
    if (text == SourceText::kUnchecked && has_marker_bytes(v.field)) continue;
    candidates_.push_back(&v);
  }
  if (candidates_.empty()) return source;
  // The candidates of each length (modulo 64), chained in their order, and a bit per
  // length that has some: most tokens are passed over on their length alone, the others
  // compared with the values of their length only.
  next_.resize(candidates_.size());
  uint64_t lengths = 0;
  for (size_t k = candidates_.size(); k-- > 0;) {
    const size_t b = candidates_[k]->text.size() & 63;
    next_[k] = (lengths >> b & 1) != 0 ? by_length_[b] : kNoCandidate;
    by_length_[b] = static_cast<uint32_t>(k);
    lengths |= uint64_t{1} << b;
  }
  auto match = [&](size_t pos, size_t len) {
    if ((lengths >> (len & 63) & 1) == 0) return;
    const char first = source[pos];
    for (uint32_t k = by_length_[len & 63]; k != kNoCandidate; k = next_[k]) {
      const SourceRefValue* v = candidates_[k];
      if (v->text.size() == len && v->text[0] == first &&
          std::memcmp(source.data() + pos, v->text.data(), len) == 0) {
        cuts_.push_back({pos, len, v});
        return;
      }
    }
  };
  // Every token of the text, in order: a string's content between its quotes, or a
  // number. A token that is exactly a value's text is cut, wherever it stands (an
  // ingested event's original field and its canonical copy, "message" and "Message",
  // are both cut): the column gives back those very bytes. Keys are passed over (one
  // right before its colon, as most are written).
  const size_t n = source.size();
  size_t i = 0;
  while (i < n) {
    const char c = source[i];
    if (c == '"') {
      const size_t end = string_end(source, i + 1);
      if (end == std::string_view::npos) break;
      if (end + 1 == n || source[end + 1] != ':') match(i + 1, end - i - 1);
      i = end + 1;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t end = i + 1;
      while (end < n && is_number_byte(source[end])) ++end;
      match(i, end - i);
      i = end;
    } else {
      ++i;
    }
  }
  if (cuts_.empty()) return source;
  // Written in place: at most the source, plus 3 bytes and a name per reference.
  size_t bound = source.size() + 1;
  for (const Cut& c : cuts_) bound += 3 + c.value->field.size();
  out_.resize(bound);
  char* o = out_.data();
  *o++ = '\x01';
  auto put = [&o](std::string_view bytes) {
    std::memcpy(o, bytes.data(), bytes.size());
    o += bytes.size();
  };
  size_t at = 0;
  for (const Cut& c : cuts_) {  // in text order, apart
    put(source.substr(at, c.pos - at));
    *o++ = '\x02';
    *o++ = static_cast<char>(c.value->kind);
    put(c.value->field);
    *o++ = '\x03';
    at = c.pos + c.len;
  }
  put(source.substr(at));
  out_.resize(static_cast<size_t>(o - out_.data()));
  return out_;
}

}  // namespace comptoir::engine
