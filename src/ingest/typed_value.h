// Typed values from text cells: what a CSV cell or a key=value token becomes in a
// document. Integers (no leading zeros, so "007" and zip codes stay text), decimals,
// booleans (true/false, any case); empty means absent; everything else, formulas
// such as "=SUM(A1)" included, is kept verbatim as text and never evaluated.
// A CSV column takes one kind for the whole file so a field never changes type
// between documents (which a search engine's dynamic mapping would refuse).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/json/value.hpp>

namespace comptoir::ingest {

enum class ValueKind : uint8_t { kEmpty, kInteger, kDecimal, kBoolean, kText };

ValueKind classify_value(std::string_view text);

// The narrowest kind holding both: Integer+Decimal = Decimal, anything mixed with
// Text or Boolean-with-number = Text, Empty is neutral.
ValueKind widen(ValueKind column, ValueKind cell);

// The cell as a JSON value of the column's kind (text when it does not fit), in `sp`.
boost::json::value typed_value(std::string_view text, ValueKind column_kind,
                               const boost::json::storage_ptr& sp = {});

// Numbers as sales files write them: optional sign, digits, '.', exponent, spaces
// around. nullopt for anything else.
std::optional<double> parse_decimal(std::string_view text);
std::optional<int64_t> parse_integer(std::string_view text);

// A JSON value read as a number (numbers, and strings that parse_decimal accepts).
std::optional<double> number_of(const boost::json::value& v);

// Trimmed of ASCII spaces and tabs.
std::string_view trim(std::string_view s);

}  // namespace comptoir::ingest
