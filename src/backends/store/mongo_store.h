// MongoStore: the DocumentStore on a MongoDB server (or a wire-compatible one).
// libmongoc 1.23 with a client pool; each call pops a client for its duration. A
// document is stored with _id = its id followed by its own fields, and _id is dropped
// on the way out, so a body round-trips unchanged (a body may not hold "_id"). The
// pool reconnects by itself: calls fail Unavailable while the server is down (after
// serverSelectionTimeoutMS) and succeed again once it is back.
#pragma once

#include <memory>
#include <string>

#include "backends/store/document_store.h"

struct _mongoc_client_pool_t;

namespace comptoir {

class MongoStore final : public DocumentStore {
 public:
  // `uri` is a MongoDB connection string, used as given (auth source, TLS, ...). The
  // database is the URI's, "comptoir" when it names none. serverSelectionTimeoutMS and
  // connectTimeoutMS default to 2000 and socketTimeoutMS to 10000 unless the URI sets
  // them. Does not wait for the server: ping() tells whether it is reachable.
  static Result<std::unique_ptr<MongoStore>> open(std::string_view uri);

  std::string_view backend_name() const override { return "mongodb"; }
  Status ping() override;
  Status insert(std::string_view collection, std::string_view id,
                const boost::json::object& doc) override;
  Result<boost::json::object> get(std::string_view collection, std::string_view id) override;
  Status replace(std::string_view collection, std::string_view id,
                 const boost::json::object& doc) override;
  Status remove(std::string_view collection, std::string_view id) override;
  Result<std::vector<boost::json::object>> find(std::string_view collection,
                                                const FindOptions& options) override;
  Result<uint64_t> count(std::string_view collection,
                         const std::vector<DocFilter>& filters) override;
  Result<std::vector<std::string>> list_collections() override;

 private:
  struct PoolDestroyer {
    void operator()(_mongoc_client_pool_t* pool) const;
  };
  using PoolHandle = std::unique_ptr<_mongoc_client_pool_t, PoolDestroyer>;
  class Session;

  MongoStore(PoolHandle pool, std::string database)
      : pool_(std::move(pool)), database_(std::move(database)) {}

  PoolHandle pool_;
  std::string database_;
};

}  // namespace comptoir
