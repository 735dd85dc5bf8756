// Mapping: the fields of an index and their types, flattened to dotted names
// ("user.name", "Message.keyword"). Parsed from and written to ES mapping JSON
// ({"properties": {...}}); grown by dynamic mapping (dynamic_mapping.h). A Mapping is
// immutable once published: the index swaps a shared_ptr when fields are added.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/schema/field_type.h"
#include "util/result.h"

namespace comptoir::engine {

struct FieldDef {
  std::string name;  // full dotted name
  FieldType type = FieldType::kKeyword;
  std::optional<uint32_t> ignore_above;  // keyword: longer values (chars) are not indexed
  std::optional<std::string> format;     // date: e.g. "strict_date_optional_time||epoch_millis"
  bool index = true;
  std::vector<std::string> multi_fields;  // full names of sub-fields ("Message.keyword")
  std::string parent;                     // for a multi-field, the field it derives from
  bool operator==(const FieldDef&) const = default;
};

// A value drawn afresh whenever a Mapping is created, copied or changed: while a
// mapping keeps its version, pointers to its fields stay valid and lookups give the same
// answers (the document parser caches them).
class MappingVersion {
 public:
  MappingVersion() : value_(next()) {}
  MappingVersion(const MappingVersion&) : value_(next()) {}
  MappingVersion& operator=(const MappingVersion&) {
    value_ = next();
    return *this;
  }
  void bump() { value_ = next(); }
  uint64_t value() const { return value_; }

 private:
  static uint64_t next();
  uint64_t value_;
};

class Mapping {
 public:
  bool dynamic = true;
  bool date_detection = true;
  bool numeric_detection = false;

  const FieldDef* find(std::string_view name) const;
  // Fields matching a pattern with '*' ("*", "user.*"), in name order; no '*' = exact.
  std::vector<const FieldDef*> match(std::string_view pattern) const;
  const std::map<std::string, FieldDef, std::less<>>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

  // Adds a field (and its multi-fields). Conflicting redefinition is an error.
  Status add(FieldDef def);
  // Object paths known to be objects (a scalar there is a mapping error).
  bool is_object(std::string_view path) const { return objects_.count(std::string(path)) > 0; }
  void add_object(std::string path) {
    objects_.insert(std::move(path));
    version_.bump();
  }
  uint64_t version() const { return version_.value(); }

  // Disabled objects ({"type": "object", "enabled": false}): whatever a document holds
  // at such a path (a value, an object, an array) stays in _source and is not parsed,
  // mapped or indexed; queries see an unmapped field, as Elasticsearch's do.
  void add_disabled(std::string path) {
    disabled_.insert(std::move(path));
    version_.bump();
  }
  // `path` or one of its dotted prefixes is disabled.
  bool is_disabled(std::string_view path) const;
  const std::set<std::string, std::less<>>& disabled() const { return disabled_; }

  bool operator==(const Mapping& o) const {
    return fields_ == o.fields_ && objects_ == o.objects_ && disabled_ == o.disabled_ &&
           dynamic == o.dynamic && date_detection == o.date_detection;
  }

 private:
  std::map<std::string, FieldDef, std::less<>> fields_;
  std::set<std::string> objects_;
  std::set<std::string, std::less<>> disabled_;
  MappingVersion version_;
};

// {"properties": {...}} or {"mappings": {"properties": {...}}}, with "dynamic",
// "date_detection", "numeric_detection" and multi-fields ("fields": {...}).
Result<Mapping> parse_mapping(const boost::json::value& json);
boost::json::value to_es_json(const Mapping& mapping);

bool field_pattern_match(std::string_view pattern, std::string_view name);

}  // namespace comptoir::engine
