// FlatRecord: one JSON object flattened into named fields, as a document holds
// them: nested objects become dotted names ("http.status"), arrays stay arrays
// (objects inside them flattened too, as Boost.JSON values), and a name seen twice
// keeps its first position and its last value (what inserting each member with
// insert_or_assign into one object gives). The record is reused from object to
// object; its strings are views into the simdjson parser's document, its arrays
// live in its own arena, made anew for each object (a monotonic_resource that is
// only release()d keeps doubling the blocks it asks for).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include "ingest/field_value.h"
#include "ingest/text_buffer.h"

namespace comptoir::ingest {

class FlatRecord {
 public:
  FlatRecord();

  // Replaces the record with `object` flattened.
  void assign(simdjson::dom::object object);

  std::span<const std::string_view> names() const { return names_; }
  std::span<const FieldValue> values() const { return values_; }

  // The names in order, each after its length: records with equal signatures have
  // the same names in the same order.
  std::string_view signature() const { return keys_.view(); }

 private:
  struct Entry {
    uint32_t offset;  // of the name in keys_
    uint32_t length;
    uint32_t hash;
  };

  void flatten(simdjson::dom::object object, std::string& prefix,
               const boost::json::storage_ptr& sp);
  // The value of the field `name`, added last or (a repeated name) where it is,
  // for the caller to set in place.
  FieldValue& field(std::string_view name);

  TextBuffer keys_;  // per field: 4 bytes of length, then the name
  std::vector<Entry> entries_;
  std::vector<std::string_view> names_;
  std::vector<FieldValue> values_;
  std::unique_ptr<unsigned char[]> arena_buffer_;
  std::optional<boost::json::monotonic_resource> arena_;
  std::deque<boost::json::value> arrays_;  // in arena_
  std::string prefix_;
};

// An element as a Boost.JSON value in `sp`, objects flattened (for arrays).
boost::json::value to_flat_value(simdjson::dom::element element,
                                 const boost::json::storage_ptr& sp);

}  // namespace comptoir::ingest
