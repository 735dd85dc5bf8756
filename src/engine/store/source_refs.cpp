// Source references: the template encoder (format and guarantees in source_refs.h).
#include "engine/store/source_refs.h"

#include <cstring>

namespace comptoir::engine {

namespace {

bool is_number_byte(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

bool quoted(const SourceRefValue& v) {
  return v.kind == SourceRefKind::kKeyword || v.kind == SourceRefKind::kDate;
}

// Whether `v`'s text at `pos` is a whole JSON token: a string's content between quotes,
// or a number not inside a longer one. (The caller has checked the bytes are v's text, or
// checks them after this, which keeps the compare inside `source`.)
bool is_whole_token(std::string_view source, const SourceRefValue& v, size_t pos) {
  const size_t end = pos + v.text.size();
  if (pos == 0 || end >= source.size()) return false;
  const char before = source[pos - 1], after = source[end];
  return quoted(v) ? (before == '"' && after == '"')
                   : (!is_number_byte(before) && !is_number_byte(after));
}

// Where `v` stands in `source` as a whole token, from `from` on; npos when it does not.
// (Any occurrence would give back the same bytes; whole tokens keep the cut where the
// value actually is.)
size_t find_token(std::string_view source, const SourceRefValue& v, size_t from) {
  for (size_t pos = source.find(v.text, from); pos != std::string_view::npos;
       pos = source.find(v.text, pos + 1)) {
    if (is_whole_token(source, v, pos)) return pos;
  }
  return std::string_view::npos;
}

// Where `v` stands if it is the value of the next key after `from` (values come in the
// order of their keys: the usual case); npos otherwise.
size_t next_value_at(std::string_view source, const SourceRefValue& v, size_t from) {
  if (from >= source.size()) return std::string_view::npos;
  const void* colon = std::memchr(source.data() + from, ':', source.size() - from);
  if (colon == nullptr) return std::string_view::npos;
  size_t pos = static_cast<size_t>(static_cast<const char*>(colon) - source.data()) + 1;
  while (pos < source.size() && (source[pos] == ' ' || source[pos] == '\n')) ++pos;
  if (quoted(v) && pos < source.size() && source[pos] == '"') ++pos;
  if (!is_whole_token(source, v, pos) || source.compare(pos, v.text.size(), v.text) != 0)
    return std::string_view::npos;
  return pos;
}

bool has_marker_bytes(std::string_view s) {
  return std::memchr(s.data(), '\x02', s.size()) != nullptr ||
         std::memchr(s.data(), '\x03', s.size()) != nullptr;
}

}  // namespace

std::string_view SourceRefEncoder::encode(std::string_view source,
                                          const std::vector<SourceRefValue>& values) {
  cuts_.clear();
  // Values come in the order of their keys in the document: each is looked for after the
  // one before first (a few bytes on), then from the start.
  size_t after_last = 0;
  for (const SourceRefValue& v : values) {
    if (v.text.size() < kMinValueBytes || has_marker_bytes(v.field)) continue;
    size_t pos = next_value_at(source, v, after_last);
    if (pos == std::string_view::npos) pos = find_token(source, v, after_last);
    if (pos == std::string_view::npos && after_last > 0) pos = find_token(source, v, 0);
    if (pos == std::string_view::npos) continue;
    cuts_.push_back({pos, v.text.size(), &v});
    after_last = pos + v.text.size();
  }
  if (cuts_.empty() || source.empty() || source.front() == '\x01' ||
      source.find('\x02') != std::string_view::npos)
    return source;
  // Mostly in order already (values follow their keys): an insertion sort.
  for (size_t i = 1; i < cuts_.size(); ++i)
    for (size_t j = i; j > 0 && cuts_[j].pos < cuts_[j - 1].pos; --j)
      std::swap(cuts_[j], cuts_[j - 1]);
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
  for (const Cut& c : cuts_) {
    if (c.pos < at) continue;  // overlaps the cut before: stays in the text
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
