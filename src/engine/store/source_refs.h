// Source references: a stored _source whose values the segment's doc-value columns already
// hold, with those values cut out and replaced by references to their fields. Most bytes
// of a log event are values that are also indexed as keywords, numbers or dates (the
// message's `.keyword`, the user, the IP, the timestamp), so the stored copy keeps the
// document's shape and the bytes no column holds; fetching the document puts the values
// back from the columns, byte for byte.
//
// Lossless by construction: a value is replaced only where the source holds exactly the
// bytes the column gives back for that document (a keyword's term, an integer's decimal
// form, a date's ISO-8601 form), so putting them back yields the original bytes whatever
// the value's place in the document. Every whole value token (a string's content, a
// number; keys are passed over) equal to a value is cut, so a value the document repeats
// (an ingested event keeps its original `message` beside the canonical `Message`) is
// stored once. Values the columns do not reproduce (escaped strings, arrays, floats,
// other date forms) stay in the text.
//
//   template = 0x01 | (literal bytes | 0x02 kind field-name 0x03)*
//
// A JSON document never starts with 0x01 nor holds raw bytes below 0x20 other than
// whitespace, so a stored source is a template exactly when its first byte is 0x01.
// Kinds: 'k' a keyword's single term, 'i' an integer, 'd' a date in milliseconds
// written as 2024-01-01T00:00:00.000Z.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace comptoir::engine {

enum class SourceRefKind : char { kKeyword = 'k', kInteger = 'i', kDate = 'd' };

// One field value a column holds for the document, in the text the column gives back.
struct SourceRefValue {
  std::string_view field;
  SourceRefKind kind = SourceRefKind::kKeyword;
  std::string_view text;
};

// What is known of a source's text and the values' field names: kParsedJson when JSON
// parsers accepted them (the document's, the mapping's; no raw control byte, so no
// marker byte, can be in them); else the encoder looks for markers.
enum class SourceText { kUnchecked, kParsedJson };

class SourceRefEncoder {
 public:
  // Values shorter than this stay in the text: a reference would not be smaller.
  static constexpr size_t kMinValueBytes = 4;

  // The stored form of `source`: a template when at least one value could be replaced
  // (a view into the encoder, valid until the next call), else `source` itself, as it is
  // when it holds a marker byte.
  std::string_view encode(std::string_view source, const std::vector<SourceRefValue>& values,
                          SourceText text = SourceText::kUnchecked);

 private:
  struct Cut {
    size_t pos, len;
    const SourceRefValue* value;
  };
  static constexpr uint32_t kNoCandidate = UINT32_MAX;
  std::vector<const SourceRefValue*> candidates_;
  std::array<uint32_t, 64> by_length_{};  // first candidate of a length (modulo 64)
  std::vector<uint32_t> next_;            // the next candidate of the same length
  std::vector<Cut> cuts_;
  std::string out_;
};

inline bool is_source_template(std::string_view stored) {
  return !stored.empty() && stored.front() == '\x01';
}

// Writes the document `stored` holds into `out`: the template with every reference
// replaced by resolve(kind, field, out) (which appends the value's text to out), or
// `stored` itself when it is plain. A malformed template is a corruption error.
template <typename Resolve>
Status expand_source(std::string_view stored, std::string& out, Resolve&& resolve) {
  out.clear();
  if (!is_source_template(stored)) {
    out.assign(stored);
    return {};
  }
  size_t i = 1;
  while (i < stored.size()) {
    const size_t ref = stored.find('\x02', i);
    out.append(stored.substr(i, ref == std::string_view::npos ? std::string_view::npos : ref - i));
    if (ref == std::string_view::npos) break;
    const size_t end = stored.find('\x03', ref + 2);
    if (ref + 2 > stored.size() || end == std::string_view::npos)
      return Error::corruption("stored source: truncated field reference");
    const char kind = stored[ref + 1];
    if (kind != 'k' && kind != 'i' && kind != 'd')
      return Error::corruption("stored source: unknown field reference kind");
    COMPTOIR_TRY(
        resolve(static_cast<SourceRefKind>(kind), stored.substr(ref + 2, end - ref - 2), out));
    i = end + 1;
  }
  return {};
}

}  // namespace comptoir::engine
