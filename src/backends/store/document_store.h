// DocumentStore: collections of JSON documents addressed by (collection, id).
//
// The catalogue (products, orders) and saved searches live here. Two implementations:
// SqliteStore (embedded, the default) and MongoStore (a MongoDB server). Both keep a
// document exactly as given and answer the same filters, sort and paging, so the API
// behaves the same on either; tests/unit/backends/store runs one suite on both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "util/result.h"

namespace comptoir {

// One condition on a top-level field. Numbers compare with numbers, strings with
// strings (byte order); a value of another type never matches a range. kEq also
// takes a boolean or null (null matches a missing field too); kContains takes a
// string and matches strings containing it, ignoring ASCII case.
struct DocFilter {
  enum class Op { kEq, kGt, kGte, kLt, kLte, kContains };
  std::string field;
  Op op;
  boost::json::value value;
};

struct FindOptions {
  std::vector<DocFilter> filters;  // all must hold
  std::string sort_field;          // empty = insertion order; ties break by id
  bool descending = false;
  uint64_t skip = 0;
  uint64_t limit = 0;  // 0 = all
};

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  virtual std::string_view backend_name() const = 0;  // "embedded" or "mongodb"
  virtual Status ping() = 0;                          // Unavailable when the server is down
  // Conflict when the id exists.
  virtual Status insert(std::string_view collection, std::string_view id,
                        const boost::json::object& doc) = 0;
  virtual Result<boost::json::object> get(std::string_view collection,
                                          std::string_view id) = 0;  // NotFound
  virtual Status replace(std::string_view collection, std::string_view id,
                         const boost::json::object& doc) = 0;                   // NotFound
  virtual Status remove(std::string_view collection, std::string_view id) = 0;  // NotFound
  virtual Result<std::vector<boost::json::object>> find(std::string_view collection,
                                                        const FindOptions& options) = 0;
  virtual Result<uint64_t> count(std::string_view collection,
                                 const std::vector<DocFilter>& filters) = 0;
  // Sorted names of the collections that hold or held documents.
  virtual Result<std::vector<std::string>> list_collections() = 0;
};

// Field names come from API users and end up in SQL and query documents: only
// [A-Za-z0-9_]{1,64} is accepted (InvalidArgument otherwise). Shared by both stores.
Status check_field_name(std::string_view field);

// The value checks of DocFilter above (which types each op takes). Shared too.
Status check_filter(const DocFilter& filter);

}  // namespace comptoir
