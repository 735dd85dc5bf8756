// What only the embedded store promises: the data outlives the process (reopen), the
// file is in WAL mode, the catalogue's filter fields are served by indexes, and an
// unusable path is an error, not a crash.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "store_backends.h"

namespace comptoir {
namespace {

using SqliteStoreTest = testing::StoreFixture<testing::SqliteBackend>;

boost::json::object object(std::string_view json) {
  return boost::json::parse(json).as_object();
}

// Runs one query on its own connection and returns the first column of every row.
std::vector<std::string> query_column(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      const int last_column = sqlite3_column_count(stmt) - 1;
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, last_column);
        rows.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return rows;
}

TEST_F(SqliteStoreTest, DocumentsSurviveReopening) {
  ASSERT_TRUE(store_->insert("products", "p1", object(R"({"name":"Mug","price":12.5})")).ok());
  ASSERT_TRUE(store_->insert("orders", "o1", object(R"({"total":3})")).ok());
  ASSERT_TRUE(store_->remove("orders", "o1").ok());
  store_.reset();

  store_ = backend_.open();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(*store_->get("products", "p1"), object(R"({"name":"Mug","price":12.5})"));
  EXPECT_EQ(store_->get("orders", "o1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*store_->list_collections(), std::vector<std::string>{"products"});
  // Insertion order continues after the reopen.
  ASSERT_TRUE(store_->insert("products", "p0", object(R"({"name":"Cup"})")).ok());
  auto docs = store_->find("products", {});
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[1].at("name"), "Cup");
}

TEST_F(SqliteStoreTest, UsesWriteAheadLogging) {
  ASSERT_TRUE(store_->insert("products", "p1", object("{}")).ok());
  EXPECT_EQ(query_column(backend_.path(), "PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  EXPECT_TRUE(std::filesystem::exists(backend_.path().string() + "-wal"));
}

TEST_F(SqliteStoreTest, CatalogueFiltersUseExpressionIndexes) {
  // The shape of the SQL that find() builds: a type check, then the comparison.
  const char* const kText = "= 'text'";
  const char* const kNumber = "IN ('integer', 'real')";
  const std::string cases[][3] = {
      {"category", kText, "= 'kitchen'"}, {"price", kNumber, ">= 10"},  {"name", kText, "= 'Mug'"},
      {"customer", kText, "= 'c1'"},      {"date", kText, ">= '2025'"}, {"total", kNumber, "< 100"},
  };
  for (const auto& [field, type_check, condition] : cases) {
    SCOPED_TRACE(field);
    const std::string path = "'$." + field + "'";
    auto plan = query_column(backend_.path(),
                             "EXPLAIN QUERY PLAN SELECT body FROM documents WHERE collection = "
                             "'products' AND (json_type(body, " +
                                 path + ") " + type_check + " AND json_extract(body, " + path +
                                 ") " + condition + ")");
    ASSERT_FALSE(plan.empty());
    EXPECT_NE(plan[0].find("USING INDEX documents_" + field), std::string::npos) << plan[0];
  }
}

TEST_F(SqliteStoreTest, NumbersKeepTheirJsonType) {
  // boost::json writes 10.0 as 1E1: SQLite must read it back as a number.
  ASSERT_TRUE(store_->insert("products", "p", object(R"({"price":10.0,"n":7})")).ok());
  FindOptions options;
  options.filters = {{"price", DocFilter::Op::kEq, 10}};
  auto docs = store_->find("products", options);
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_TRUE((*docs)[0].at("price").is_double());
  EXPECT_TRUE((*docs)[0].at("n").is_int64());
}

TEST(SqliteStoreOpenTest, UnusablePathIsAnError) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("comptoir-store-" + testing::random_name());
  std::filesystem::create_directories(dir);
  // A regular file where the parent directory should be.
  std::ofstream(dir / "file") << "x";
  auto under_file = SqliteStore::open(dir / "file" / "comptoir.db");
  ASSERT_FALSE(under_file.ok());
  EXPECT_EQ(under_file.error().code, ErrorCode::kIo);
  // A directory where the database file should be.
  auto directory = SqliteStore::open(dir);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, ErrorCode::kIo);
  // Not a database at all.
  std::ofstream(dir / "garbage.db") << std::string(4096, 'g');
  auto garbage = SqliteStore::open(dir / "garbage.db");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, ErrorCode::kCorruption);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace comptoir
