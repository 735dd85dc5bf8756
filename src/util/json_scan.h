// Reading a few members of a JSON object where its text lies, without building a tree:
// exports read five fields of millions of stored `_source` texts, and parsing each into
// a Boost.JSON tree (then freeing it) cost more than the rest of the export. The scan is
// lexical: it finds where each member's value starts and ends and leaves the values it
// is not asked about unchecked, so it expects text that a JSON parser accepted before
// (the engine parses every document it stores). What it reads, it reads as Boost.JSON
// would: keys compared unescaped, strings unescaped to UTF-8, other values written by
// to_json_text(). Anything it cannot read so (a lone surrogate escape, malformed text)
// makes it answer false, and the caller reads the text with Boost.JSON instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace comptoir {

namespace json_scan {

// Past the JSON value starting at `p` (no leading whitespace), nullptr if there is none.
const char* skip_value(const char* p, const char* end);
// Past the string starting at `p` (on its opening quote); `escaped` tells whether it holds a
// backslash or a control character. nullptr if it does not end.
const char* skip_string(const char* p, const char* end, bool& escaped);
// Appends the UTF-8 text of the string body `body` (between the quotes); false on an
// escape Boost.JSON would reject or a raw control character.
bool unescape(std::string_view body, std::string& out);

inline const char* skip_space(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  return p;
}

}  // namespace json_scan

// Calls f(key, value) for every member of the object `text`, in order (a repeated key
// comes twice: the last one is the one a parser keeps). `key` is unescaped (into
// `scratch` when it holds escapes), `value` is the member's raw JSON text. False when
// `text` is not an object that the scan can read; f may then have seen some members.
template <typename F>
bool for_each_json_member(std::string_view text, std::string& scratch, F&& f) {
  using namespace json_scan;
  const char* p = skip_space(text.data(), text.data() + text.size());
  const char* const end = text.data() + text.size();
  if (p == end || *p != '{') return false;
  p = skip_space(p + 1, end);
  if (p < end && *p == '}') return skip_space(p + 1, end) == end;
  for (;;) {
    if (p == end || *p != '"') return false;
    bool escaped = false;
    const char* key_end = skip_string(p, end, escaped);
    if (key_end == nullptr) return false;
    std::string_view key(p + 1, static_cast<size_t>(key_end - p - 2));
    if (escaped) {
      scratch.clear();
      if (!unescape(key, scratch)) return false;
      key = scratch;
    }
    p = skip_space(key_end, end);
    if (p == end || *p != ':') return false;
    p = skip_space(p + 1, end);
    const char* value_end = skip_value(p, end);
    if (value_end == nullptr) return false;
    f(key, std::string_view(p, static_cast<size_t>(value_end - p)));
    p = skip_space(value_end, end);
    if (p == end) return false;
    if (*p == '}') return skip_space(p + 1, end) == end;
    if (*p != ',') return false;
    p = skip_space(p + 1, end);
  }
}

// The raw value of `key` in the object `text` (the last one when the key repeats): empty
// when absent, nullopt when `text` is not an object that the scan can read.
std::optional<std::string_view> find_json_member(std::string_view text, std::string_view key);

// How the raw JSON value `raw` shows as text, the way the log fields and export columns
// show a source value: a string unescaped (a view into `raw` when it holds no escape,
// else the text put in `scratch`), a number, boolean, array or object as to_json_text()
// writes it, and null as nullopt in `text`. False when the value cannot be read so.
bool json_value_text(std::string_view raw, std::string& scratch,
                     std::optional<std::string_view>& text);

}  // namespace comptoir
