// FieldValue: the value of one field of a record (a CSV cell of its column's kind,
// a member of a flattened JSON object, a piece of a log line), as normalisation
// reads it and as it is written into the document's text, without a JSON object
// in between. Strings are views into the input or the parser's buffers; an array
// (JSON only) is kept as a Boost.JSON value. kAbsent marks a field a record lacks
// (an empty CSV cell), which is not the same as a JSON null. A double read from a
// CSV cell that is already its JSON text ("16.67") keeps that text, to be copied
// rather than formatted again.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "ingest/text_buffer.h"

namespace comptoir::ingest {

struct FieldValue {
  enum class Kind : uint8_t { kAbsent, kNull, kBool, kInt64, kUint64, kDouble, kString, kArray };

  Kind kind = Kind::kAbsent;
  union {
    bool boolean;
    int64_t int64;
    uint64_t uint64;
    double number;
    const boost::json::value* array;
  };
  // kString; for a kDouble, its JSON text when the value was read from text that
  // already is (set_double(v, json_text)), else empty.
  std::string_view text;

  FieldValue() : int64(0) {}
  static FieldValue null() {
    FieldValue f;
    f.set_null();
    return f;
  }
  static FieldValue of_bool(bool v) {
    FieldValue f;
    f.set_bool(v);
    return f;
  }
  static FieldValue of_int(int64_t v) {
    FieldValue f;
    f.set_int(v);
    return f;
  }
  static FieldValue of_uint(uint64_t v) {
    FieldValue f;
    f.set_uint(v);
    return f;
  }
  static FieldValue of_double(double v) {
    FieldValue f;
    f.set_double(v);
    return f;
  }
  static FieldValue of_string(std::string_view v) {
    FieldValue f;
    f.set_string(v);
    return f;
  }

  // In place, for loops that fill many: a temporary copied in costs a stalled
  // load (its parts are stored separately, then read back whole).
  void set_absent() { kind = Kind::kAbsent; }
  void set_null() { kind = Kind::kNull; }
  void set_bool(bool v) {
    kind = Kind::kBool;
    boolean = v;
  }
  void set_int(int64_t v) {
    kind = Kind::kInt64;
    int64 = v;
  }
  void set_uint(uint64_t v) {
    kind = Kind::kUint64;
    uint64 = v;
  }
  void set_double(double v) {
    kind = Kind::kDouble;
    number = v;
    text = {};
  }
  // `json_text`: what append_json_double writes for `v`, to be copied instead.
  void set_double(double v, std::string_view json_text) {
    kind = Kind::kDouble;
    number = v;
    text = json_text;
  }
  void set_string(std::string_view v) {
    kind = Kind::kString;
    text = v;
  }
  void set_array(const boost::json::value& v) {
    kind = Kind::kArray;
    array = &v;
  }

  bool absent() const { return kind == Kind::kAbsent; }
  bool is_string() const { return kind == Kind::kString; }
};

// Room for the text of a number or boolean (scalar_text's buffer).
using ScalarBuffer = std::array<char, 32>;

// A scalar as text ("" for null, absent and arrays); integral doubles below 1e15
// without a fraction ("17850"), other doubles in their shortest form. Numbers are
// written into `buffer` (out of line; a string, the usual case, inline).
std::string_view written_scalar_text(const FieldValue& v, ScalarBuffer& buffer);
inline std::string_view scalar_text(const FieldValue& v, ScalarBuffer& buffer) {
  return v.is_string() ? v.text : written_scalar_text(v, buffer);
}

// Null, or a string of spaces and tabs only. Inline: asked of most values a
// record's normalisation reads.
inline bool is_blank(const FieldValue& v) {
  if (v.kind == FieldValue::Kind::kNull) return true;
  if (v.kind != FieldValue::Kind::kString) return false;
  for (const char c : v.text) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// The value as JSON text (nothing for kAbsent).
void append_json(TextBuffer& out, const FieldValue& v);

}  // namespace comptoir::ingest
