// DocumentText: the JSON text of one document, written member by member into a
// reused buffer, without building a JSON object. The text is the object the
// record's own fields would make with each canonical field then insert_or_assign'ed,
// byte for byte (document_json's forms): the record's fields in order, a field
// named exactly like a canonical one holding the canonical value in its place, the
// other canonical fields after them in CanonicalKey order, the source fields
// (`source_file`, `source_format`, the same for every document of a file) last.
//
// Two orders of writing give that text. Canonical fields set before the members
// are held aside, and a member of the same name takes its value; those set after
// the members go straight into the text, which is right, and cheaper, when no field
// of the record has a canonical name (the caller knows it once per CSV header or
// JSON key set). A document's canonical fields are all set on the same side.
//
// Every member is written as `,"name":value`; finish() turns the first comma into
// the opening brace. Held canonical members are written the same way, one after
// another, so that in the usual case they join the text in one copy.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ingest/canonical_key.h"
#include "ingest/field_value.h"
#include "ingest/text_buffer.h"
#include "ingest/time_zone.h"

namespace comptoir::ingest {

class DocumentText {
 public:
  DocumentText(std::string_view source_file, std::string_view source_format);

  // A new document: no member, no canonical field but the source ones.
  void begin();

  // Canonical fields.
  void set_string(CanonicalKey key, std::string_view value);
  void set_int(CanonicalKey key, int64_t value);
  void set_double(CanonicalKey key, double value);
  void set_timestamp(EpochMillis t);  // "@timestamp", ISO 8601 UTC with milliseconds
  void set_value(CanonicalKey key, const FieldValue& value);  // a record's value as it is

  // A field of the record. `prefix` is what its member starts with, comma, name
  // as JSON text and colon (",\"level\":"); `canonical` what canonical_key_of()
  // says of the name.
  void member(std::string_view prefix, CanonicalKey canonical, const FieldValue& value) {
    text_.append(prefix);
    if ((set_ & canonical_bit(canonical)) != 0) {
      text_.append(canonical_value(canonical));
      in_place_ |= canonical_bit(canonical);
    } else {
      append_json(text_, value);
    }
  }
  // A field whose name needs no escape (no quote, backslash or control byte) and
  // is not that of a canonical field set on the document: the names text-log
  // lines give their pieces, which set no canonical field.
  void member_plain(std::string_view name, const FieldValue& value) {
    char* p = text_.reserve(name.size() + 4);
    p[0] = ',';
    p[1] = '"';
    std::memcpy(p + 2, name.data(), name.size());
    p[name.size() + 2] = '"';
    p[name.size() + 3] = ':';
    text_.commit(name.size() + 4);
    append_json(text_, value);
  }

  // The held canonical fields not written in place, the source fields, the braces.
  std::string_view finish();

 private:
  struct Slot {
    uint32_t member;  // `,"Key":value` is held_[member, end)
    uint32_t value;
    uint32_t end;
  };
  static constexpr uint32_t kSourceBits =
      canonical_bit(CanonicalKey::kSourceFile) | canonical_bit(CanonicalKey::kSourceFormat);

  // Starts the canonical member `key`, held or in the text; returns where its
  // value goes. end_canonical() records it.
  TextBuffer& begin_canonical(CanonicalKey key);
  void end_canonical(CanonicalKey key, const TextBuffer& out, size_t value_start);
  std::string_view canonical_value(CanonicalKey key) const;
  std::string_view canonical_member(CanonicalKey key) const;

  TextBuffer text_;
  TextBuffer held_;  // canonical members set before the members, `,"Key":value` each
  std::array<Slot, kCanonicalKeyCount> slots_{};
  uint32_t set_ = 0;       // bit per canonical key with a value
  uint32_t in_place_ = 0;  // bit per held canonical key written in a member's place
  uint32_t direct_ = 0;    // bit per canonical key written straight into the text
  bool held_in_key_order_ = true;
  int last_held_ = -1;
  size_t member_start_ = 0;           // of the held member being written
  std::string source_file_member_;    // `,"source_file":"name.csv"`
  std::string source_format_member_;  // `,"source_format":"csv"`
};

}  // namespace comptoir::ingest
