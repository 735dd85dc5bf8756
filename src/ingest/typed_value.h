// Typed values from text cells: what a CSV cell or a key=value token becomes in a
// document. Integers (no leading zeros, so "007" and zip codes stay text), decimals,
// booleans (true/false, any case); empty means absent; everything else, formulas
// such as "=SUM(A1)" included, is kept verbatim as text and never evaluated.
// A CSV column takes one kind for the whole file so a field never changes type
// between documents (which a search engine's dynamic mapping would refuse).
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ingest/field_value.h"

namespace comptoir::ingest {

enum class ValueKind : uint8_t { kEmpty, kInteger, kDecimal, kBoolean, kText };

ValueKind classify_value(std::string_view text);

// The narrowest kind holding both: Integer+Decimal = Decimal, anything mixed with
// Text or Boolean-with-number = Text, Empty is neutral.
ValueKind widen(ValueKind column, ValueKind cell);

// Numbers as sales files write them: optional sign, digits, '.', exponent, spaces
// around. nullopt for anything else.
std::optional<double> parse_decimal(std::string_view text);
// The same, and whether `text` is already the JSON text append_json_double writes
// for the number ("16.67", "13542.0"; not " 16.67", "16.70" or "12").
std::optional<double> parse_decimal(std::string_view text, bool& json_form);
std::optional<int64_t> parse_integer(std::string_view text);

// Numbers, and strings that parse_decimal accepts; nullopt for anything else.
inline std::optional<double> number_of(const FieldValue& v) {
  switch (v.kind) {
    case FieldValue::Kind::kInt64:
      return static_cast<double>(v.int64);
    case FieldValue::Kind::kUint64:
      return static_cast<double>(v.uint64);
    case FieldValue::Kind::kDouble:
      return std::isfinite(v.number) ? std::optional(v.number) : std::nullopt;
    case FieldValue::Kind::kString:
      return parse_decimal(v.text);
    default:
      return std::nullopt;
  }
}

// Trimmed of ASCII spaces and tabs. Inline: normalisation trims most values it reads.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether `a` is `lower` in any case (for ASCII letters).
bool iequals_lower(std::string_view a, std::string_view lower);

// Sets `out` to the cell as a value of the column's kind (text when it does not
// fit). Inline, in place: a CSV row sets one per cell.
inline void set_typed_value(FieldValue& out, std::string_view text, ValueKind column_kind) {
  switch (column_kind) {
    case ValueKind::kInteger:
      if (auto v = parse_integer(text)) return out.set_int(*v);
      break;
    case ValueKind::kDecimal: {
      bool json_form = false;
      if (auto v = parse_decimal(text, json_form)) {
        return json_form ? out.set_double(*v, text) : out.set_double(*v);
      }
      break;
    }
    case ValueKind::kBoolean: {
      const std::string_view s = trim(text);
      if (iequals_lower(s, "true")) return out.set_bool(true);
      if (iequals_lower(s, "false")) return out.set_bool(false);
      break;
    }
    case ValueKind::kEmpty:
    case ValueKind::kText:
      break;
  }
  out.set_string(text);
}

}  // namespace comptoir::ingest
