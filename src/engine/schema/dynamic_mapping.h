// Dynamic mapping: ES's rules for a field seen for the first time (ES-COMPAT.md §6).
// Strings become date when they look like one (date_detection), else text with a
// `.keyword` sub-field (ignore_above 256); integers long; decimals float; booleans
// boolean. Objects are flattened by the document parser; arrays take the first value's type.
#pragma once

#include <string_view>
#include <vector>

#include "engine/schema/mapping.h"

namespace comptoir::engine {

enum class JsonValueKind { kString, kInteger, kFloat, kBoolean };

inline constexpr uint32_t kDynamicKeywordIgnoreAbove = 256;

// The definitions to add (the field and its multi-fields) for `path` first seen as `kind`.
std::vector<FieldDef> dynamic_field_defs(const Mapping& mapping, std::string_view path,
                                         JsonValueKind kind, std::string_view string_value);

}  // namespace comptoir::engine
