// Catalogue rules: ISO dates, document ids, validation of products and orders, and
// the list/CRUD use cases on the embedded store.
#include "core/catalogue.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "backends/store/sqlite_store.h"
#include "util/random_id.h"

namespace comptoir {
namespace {

namespace json = boost::json;

TEST(CatalogueTest, IsoDates) {
  for (const char* ok : {"2025-12-23", "2024-02-29", "2025-12-23T10:30", "2025-12-23T10:30:00",
                         "2025-12-23 10:30:00", "2025-12-23T10:30:00.123Z",
                         "2025-12-23T10:30:00+01:00", "2025-12-23T23:59:60Z"}) {
    EXPECT_TRUE(is_iso_date(ok)) << ok;
  }
  for (const char* bad :
       {"", "2025-1-1", "2025-02-29", "2025-13-01", "2025-12-32", "23/12/2025", "2025-12-23T",
        "2025-12-23T24:00", "2025-12-23T10:60", "2025-12-23T10:30:00+1", "2025-12-23T10:30:00Zjunk",
        "2025-12-23T10:30:00.", "2025-12-23x", "abcd-ef-gh"}) {
    EXPECT_FALSE(is_iso_date(bad)) << bad;
  }
}

TEST(CatalogueTest, DocumentIds) {
  EXPECT_TRUE(is_valid_document_id("ORD-001_a.b:c"));
  EXPECT_FALSE(is_valid_document_id(""));
  EXPECT_FALSE(is_valid_document_id("a/b"));
  EXPECT_FALSE(is_valid_document_id("a b"));
  EXPECT_FALSE(is_valid_document_id(std::string(129, 'a')));
}

TEST(CatalogueTest, ValidationNormalisesNumericIds) {
  json::object p{{"id", 42}, {"name", "A"}, {"price", 0}};
  ASSERT_TRUE(validate_catalogue_document(CatalogueKind::kProduct, p).ok());
  EXPECT_EQ(p.at("id"), json::value("42"));
  json::object o{{"customer", "A"}, {"total", 1.5}};
  auto st = validate_catalogue_document(CatalogueKind::kOrder, o);
  ASSERT_FALSE(st.ok());
  ASSERT_EQ(st.error().fields.size(), 1u);
  EXPECT_EQ(st.error().fields[0].field, "date");
}

class CatalogueStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("catalogue-" + random_hex_id());
    auto store = SqliteStore::open(dir_ / "c.db");
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(store.value());
    catalogue_ = std::make_unique<Catalogue>(*store_);
  }
  void TearDown() override {
    catalogue_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Catalogue> catalogue_;
};

TEST_F(CatalogueStoreTest, CrudAndErrors) {
  auto created =
      catalogue_->create(CatalogueKind::kProduct, json::object{{"name", "Desk"}, {"price", 10}});
  ASSERT_TRUE(created.ok());
  const std::string id(created->at("id").as_string());
  EXPECT_EQ(catalogue_->get(CatalogueKind::kProduct, id)->at("name"), json::value("Desk"));
  EXPECT_EQ(catalogue_->get(CatalogueKind::kOrder, id).error().code, ErrorCode::kNotFound);
  auto dup = catalogue_->create(CatalogueKind::kProduct,
                                json::object{{"id", id}, {"name", "X"}, {"price", 1}});
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto replaced = catalogue_->replace(CatalogueKind::kProduct, id,
                                      json::object{{"name", "Desk 2"}, {"price", 11}});
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->at("id"), json::value(id));
  EXPECT_TRUE(catalogue_->remove(CatalogueKind::kProduct, id).ok());
  EXPECT_EQ(catalogue_->remove(CatalogueKind::kProduct, id).error().code, ErrorCode::kNotFound);
}

TEST_F(CatalogueStoreTest, OrderDateRangeIsInclusiveOfTheEndDay) {
  for (const char* date :
       {"2025-12-09T23:59:59", "2025-12-10", "2025-12-10T23:59:59.999Z", "2025-12-11"}) {
    ASSERT_TRUE(catalogue_
                    ->create(CatalogueKind::kOrder,
                             json::object{{"customer", "A"}, {"total", 1}, {"date", date}})
                    .ok());
  }
  OrderQuery q;
  q.start_date = "2025-12-10";
  q.end_date = "2025-12-10";
  auto page = catalogue_->list_orders(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->count, 2u);
}

}  // namespace
}  // namespace comptoir
