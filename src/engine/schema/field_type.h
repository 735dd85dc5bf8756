// Field types of a mapping, as Elasticsearch names them, grouped by how the engine
// stores them: analysed text (postings + norms), keyword (postings + ordinals), and
// numeric columns (long/integer/short/byte, double/float/half_float, date, boolean).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace comptoir::engine {

enum class FieldType : uint8_t {
  kText,
  kKeyword,
  kLong,
  kInteger,
  kShort,
  kByte,
  kDouble,
  kFloat,
  kHalfFloat,
  kDate,
  kBoolean,
  kIp,      // stored and matched as a keyword (exact string)
  kObject,  // only in mappings: its sub-fields are flattened to dotted names
};

std::string_view field_type_name(FieldType t);
std::optional<FieldType> parse_field_type(std::string_view name);

// How values are stored in a segment.
enum class StorageKind : uint8_t { kText, kKeyword, kInt64, kDouble, kNone };

inline StorageKind storage_kind(FieldType t) {
  switch (t) {
    case FieldType::kText:
      return StorageKind::kText;
    case FieldType::kKeyword:
    case FieldType::kIp:
      return StorageKind::kKeyword;
    case FieldType::kLong:
    case FieldType::kInteger:
    case FieldType::kShort:
    case FieldType::kByte:
    case FieldType::kDate:
    case FieldType::kBoolean:
      return StorageKind::kInt64;
    case FieldType::kDouble:
    case FieldType::kFloat:
    case FieldType::kHalfFloat:
      return StorageKind::kDouble;
    case FieldType::kObject:
      return StorageKind::kNone;
  }
  return StorageKind::kNone;
}

inline bool is_numeric(FieldType t) {
  StorageKind k = storage_kind(t);
  return k == StorageKind::kInt64 || k == StorageKind::kDouble;
}

}  // namespace comptoir::engine
