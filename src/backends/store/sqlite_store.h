// SqliteStore: the embedded DocumentStore, one SQLite database file (WAL mode).
// Every collection shares one table, documents(seq, collection, id, body JSON); filters
// and sort run in SQL through JSON1, and expression indexes serve the catalogue API's
// fields. Concurrency: one connection behind a mutex. SQLite serialises writers anyway
// and catalogue queries are short, so a pool of reader connections would not repay its
// extra prepared-statement caches.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/store/document_store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace comptoir {

class SqliteStore final : public DocumentStore {
 public:
  // Opens (creating it and its parent directories if needed) the database at `path`.
  static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& path);

  std::string_view backend_name() const override { return "embedded"; }
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
  struct DatabaseCloser {
    void operator()(sqlite3* db) const;
  };
  struct StatementFinalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };
  using DatabaseHandle = std::unique_ptr<sqlite3, DatabaseCloser>;
  using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;
  class Cursor;

  explicit SqliteStore(DatabaseHandle db) : db_(std::move(db)) {}

  // The cached prepared statement for `sql`, reset; requires mutex_.
  Result<sqlite3_stmt*> prepare(const std::string& sql);
  // Runs a statement that returns no rows and reports how many rows it changed.
  Result<int> execute(const std::string& sql, const std::vector<boost::json::value>& params);

  std::mutex mutex_;  // guards db_ and statements_
  DatabaseHandle db_;
  std::unordered_map<std::string, StatementHandle> statements_;
};

}  // namespace comptoir
