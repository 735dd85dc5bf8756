// The two DocumentStore implementations as test backends: each opens a fresh, empty
// store for one test (a temp SQLite file, or a MongoDB database of a random name) and
// removes it afterwards. document_store_test.cpp runs one suite on both.
#pragma once

#include <mongoc/mongoc.h>

#include <filesystem>
#include <memory>
#include <string>

#include "../real_servers.h"
#include "backends/store/mongo_store.h"
#include "backends/store/sqlite_store.h"

namespace comptoir::testing {

class SqliteBackend {
 public:
  // Called from SetUp(); may skip or fail the test through gtest macros.
  void set_up() {
    dir_ = std::filesystem::temp_directory_path() / ("comptoir-store-" + random_name());
    // The database sits in a directory that does not exist yet: open() creates it.
    path_ = dir_ / "data" / "comptoir.db";
  }
  std::unique_ptr<DocumentStore> open() {
    auto store = SqliteStore::open(path_);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }
  void tear_down() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

// `base` with its database replaced by `database` (options kept).
inline std::string mongo_uri_with_database(const std::string& base, const std::string& database) {
  size_t hosts = base.find("://");
  hosts = hosts == std::string::npos ? 0 : hosts + 3;
  size_t slash = base.find('/', hosts);
  size_t query = base.find('?', hosts);
  if (slash == std::string::npos || (query != std::string::npos && query < slash)) {
    std::string head = base.substr(0, query == std::string::npos ? base.size() : query);
    return head + "/" + database + (query == std::string::npos ? "" : base.substr(query));
  }
  return base.substr(0, slash + 1) + database +
         (query == std::string::npos ? "" : base.substr(query));
}

class MongoBackend {
 public:
  void set_up() {
    COMPTOIR_REAL_SERVER_URL(base_uri_, "COMPTOIR_TEST_MONGODB_URI", "mongo");
    database_ = "comptoir_test_" + random_name();
    uri_ = mongo_uri_with_database(base_uri_, database_);
  }
  std::unique_ptr<DocumentStore> open() {
    auto store = MongoStore::open(uri_);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }
  void tear_down() {
    if (uri_.empty()) return;
    // Drop the test's database with libmongoc directly: the store has no such operation.
    mongoc_client_t* client = mongoc_client_new(uri_.c_str());
    if (!client) return;
    mongoc_database_t* database = mongoc_client_get_database(client, database_.c_str());
    bson_error_t error;
    mongoc_database_drop(database, &error);
    mongoc_database_destroy(database);
    mongoc_client_destroy(client);
  }
  const std::string& base_uri() const { return base_uri_; }
  const std::string& uri() const { return uri_; }

 private:
  std::string base_uri_;
  std::string database_;
  std::string uri_;
};

// A test fixture holding one backend and the store it opened.
template <typename Backend>
class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_.set_up();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = backend_.open();
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    backend_.tear_down();
  }

  Backend backend_;
  std::unique_ptr<DocumentStore> store_;
};

}  // namespace comptoir::testing
