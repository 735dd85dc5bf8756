// The DocumentStore contract, written once and run on every implementation: the
// embedded SqliteStore always, MongoStore against a real server (see real_servers.h).
// Filters, sort and paging are tables of cases over one small catalogue.
#include <gtest/gtest.h>

#include <thread>

#include "store_backends.h"

namespace comptoir {
namespace {

using testing::MongoBackend;
using testing::SqliteBackend;
using testing::StoreFixture;
using Op = DocFilter::Op;

boost::json::object object(std::string_view json) {
  return boost::json::parse(json).as_object();
}

// The catalogue every query case runs on, inserted in this order. p5's price is a
// string, p3's note is null; only some documents have a note.
const char* const kCatalogue[][2] = {
    {"p1", R"({"sku":"p1","name":"Blue Mug","category":"kitchen","price":12.5,"stock":10,
               "active":true})"},
    {"p2", R"({"sku":"p2","name":"Red Mug","category":"kitchen","price":8,"stock":0,
               "active":false})"},
    {"p3", R"({"sku":"p3","name":"Laptop Stand","category":"office","price":45.0,"stock":3,
               "active":true,"note":null})"},
    {"p4", R"({"sku":"p4","name":"USB cable","category":"office","price":5,"stock":100,
               "active":true,"note":"bulk"})"},
    {"p5", R"({"sku":"p5","name":"mug rack","category":"kitchen","price":"n/a","stock":2})"},
};

template <typename Backend>
class DocumentStoreTest : public StoreFixture<Backend> {
 protected:
  void insert_catalogue() {
    for (const auto& [id, json] : kCatalogue) {
      Status status = this->store_->insert("products", id, object(json));
      ASSERT_TRUE(status.ok()) << status.error().message;
    }
  }
  // The skus of what find() returned, in order.
  std::vector<std::string> find_skus(const FindOptions& options) {
    auto docs = this->store_->find("products", options);
    EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error().message);
    std::vector<std::string> skus;
    if (!docs.ok()) return skus;
    for (const auto& doc : *docs) skus.emplace_back(doc.at("sku").as_string());
    return skus;
  }
};

using Backends = ::testing::Types<SqliteBackend, MongoBackend>;
class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, SqliteBackend> ? "Sqlite" : "Mongo";
  }
};
TYPED_TEST_SUITE(DocumentStoreTest, Backends, BackendNames);

TYPED_TEST(DocumentStoreTest, PingsAndNamesItsBackend) {
  EXPECT_TRUE(this->store_->ping().ok());
  EXPECT_TRUE(this->store_->backend_name() == "embedded" ||
              this->store_->backend_name() == "mongodb");
}

TYPED_TEST(DocumentStoreTest, GetReturnsTheDocumentAsInserted) {
  const auto doc =
      object(R"({"name":"Thé vert — 100 g","price":4.25,"qty":3,"big":-9007199254740993,
      "tags":["tea","green"],"dims":{"w":1.5,"h":2},"organic":true,"note":null,"empty":{},
      "id":"not-the-key"})");
  ASSERT_TRUE(this->store_->insert("products", "t1", doc).ok());
  auto got = this->store_->get("products", "t1");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, doc);
  EXPECT_TRUE(got->at("qty").is_int64());
  EXPECT_TRUE(got->at("price").is_double());
}

TYPED_TEST(DocumentStoreTest, InsertOfAnExistingIdIsConflict) {
  ASSERT_TRUE(this->store_->insert("products", "a", object(R"({"v":1})")).ok());
  Status again = this->store_->insert("products", "a", object(R"({"v":2})"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict) << again.error().message;
  EXPECT_EQ(this->store_->get("products", "a")->at("v"), 1);
}

TYPED_TEST(DocumentStoreTest, MissingIdsAreNotFound) {
  auto got = this->store_->get("products", "nope");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  Status replaced = this->store_->replace("products", "nope", object("{}"));
  ASSERT_FALSE(replaced.ok());
  EXPECT_EQ(replaced.error().code, ErrorCode::kNotFound);
  Status removed = this->store_->remove("products", "nope");
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().code, ErrorCode::kNotFound);
}

TYPED_TEST(DocumentStoreTest, ReplaceSwapsTheWholeBody) {
  ASSERT_TRUE(this->store_->insert("orders", "o1", object(R"({"total":10,"old":true})")).ok());
  ASSERT_TRUE(this->store_->replace("orders", "o1", object(R"({"total":12.5})")).ok());
  EXPECT_EQ(*this->store_->get("orders", "o1"), object(R"({"total":12.5})"));
}

TYPED_TEST(DocumentStoreTest, RemoveDeletesOnce) {
  ASSERT_TRUE(this->store_->insert("orders", "o1", object(R"({"total":10})")).ok());
  ASSERT_TRUE(this->store_->remove("orders", "o1").ok());
  EXPECT_EQ(this->store_->get("orders", "o1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(this->store_->remove("orders", "o1").error().code, ErrorCode::kNotFound);
  // The id is free again.
  EXPECT_TRUE(this->store_->insert("orders", "o1", object(R"({"total":1})")).ok());
}

TYPED_TEST(DocumentStoreTest, CollectionsAreSeparateNamespaces) {
  ASSERT_TRUE(this->store_->insert("products", "x", object(R"({"kind":"product"})")).ok());
  ASSERT_TRUE(this->store_->insert("orders", "x", object(R"({"kind":"order"})")).ok());
  EXPECT_EQ(this->store_->get("products", "x")->at("kind"), "product");
  EXPECT_EQ(this->store_->get("orders", "x")->at("kind"), "order");
  ASSERT_TRUE(this->store_->remove("orders", "x").ok());
  EXPECT_TRUE(this->store_->get("products", "x").ok());
}

struct FilterCase {
  const char* name;
  std::vector<DocFilter> filters;
  std::vector<std::string> expected;  // skus, in insertion order
};

TYPED_TEST(DocumentStoreTest, FiltersSelectTheRightDocuments) {
  this->insert_catalogue();
  const FilterCase cases[] = {
      {"eq string", {{"category", Op::kEq, "kitchen"}}, {"p1", "p2", "p5"}},
      {"eq double", {{"price", Op::kEq, 12.5}}, {"p1"}},
      {"eq int matches a stored int", {{"stock", Op::kEq, 0}}, {"p2"}},
      {"eq double matches a stored int", {{"price", Op::kEq, 8.0}}, {"p2"}},
      {"eq int matches a stored double", {{"price", Op::kEq, 45}}, {"p3"}},
      {"eq bool", {{"active", Op::kEq, true}}, {"p1", "p3", "p4"}},
      {"eq false is not missing", {{"active", Op::kEq, false}}, {"p2"}},
      {"eq null matches null and missing", {{"note", Op::kEq, nullptr}}, {"p1", "p2", "p3", "p5"}},
      {"eq on a missing field", {{"color", Op::kEq, "red"}}, {}},
      {"eq number never matches a string", {{"sku", Op::kEq, 1}}, {}},
      {"gt number skips strings", {{"price", Op::kGt, 8}}, {"p1", "p3"}},
      {"gte", {{"price", Op::kGte, 8}}, {"p1", "p2", "p3"}},
      {"lt", {{"price", Op::kLt, 8}}, {"p4"}},
      {"lte", {{"price", Op::kLte, 8}}, {"p2", "p4"}},
      {"range on doubles", {{"price", Op::kGt, 5.5}, {"price", Op::kLt, 12.5}}, {"p2"}},
      {"gt string in byte order", {{"name", Op::kGt, "M"}}, {"p2", "p4", "p5"}},
      {"lt string skips numbers", {{"price", Op::kLt, "z"}}, {"p5"}},
      {"contains ignores case", {{"name", Op::kContains, "MUG"}}, {"p1", "p2", "p5"}},
      {"contains spans words", {{"name", Op::kContains, "b c"}}, {"p4"}},
      {"contains is literal, not a pattern", {{"name", Op::kContains, "."}}, {}},
      {"contains with regex characters", {{"name", Op::kContains, "Mug$"}}, {}},
      {"contains skips non-strings", {{"price", Op::kContains, "4"}}, {}},
      {"filters combine with and",
       {{"category", Op::kEq, "office"}, {"price", Op::kLt, 10}},
       {"p4"}},
      {"no filter", {}, {"p1", "p2", "p3", "p4", "p5"}},
  };
  for (const FilterCase& c : cases) {
    SCOPED_TRACE(c.name);
    FindOptions options;
    options.filters = c.filters;
    EXPECT_EQ(this->find_skus(options), c.expected);
    auto n = this->store_->count("products", c.filters);
    ASSERT_TRUE(n.ok()) << n.error().message;
    EXPECT_EQ(*n, c.expected.size());
  }
}

struct SortCase {
  const char* name;
  std::string field;
  bool descending;
  uint64_t skip;
  uint64_t limit;
  std::vector<std::string> expected;
};

TYPED_TEST(DocumentStoreTest, SortSkipAndLimit) {
  this->insert_catalogue();
  const SortCase cases[] = {
      {"insertion order", "", false, 0, 0, {"p1", "p2", "p3", "p4", "p5"}},
      {"numbers ascending", "stock", false, 0, 0, {"p2", "p5", "p3", "p1", "p4"}},
      {"numbers descending", "stock", true, 0, 0, {"p4", "p1", "p3", "p5", "p2"}},
      {"strings in byte order", "name", false, 0, 0, {"p1", "p3", "p2", "p4", "p5"}},
      {"ties break by id", "category", false, 0, 0, {"p1", "p2", "p5", "p3", "p4"}},
      {"ties by id when descending", "category", true, 0, 0, {"p3", "p4", "p1", "p2", "p5"}},
      {"numbers before strings", "price", false, 0, 0, {"p4", "p2", "p1", "p3", "p5"}},
      {"skip and limit on a sort", "stock", false, 1, 2, {"p5", "p3"}},
      {"skip and limit in insertion order", "", false, 2, 2, {"p3", "p4"}},
      {"limit only", "stock", true, 0, 1, {"p4"}},
      {"skip only", "", false, 3, 0, {"p4", "p5"}},
      {"skip past the end", "", false, 10, 0, {}},
  };
  for (const SortCase& c : cases) {
    SCOPED_TRACE(c.name);
    FindOptions options;
    options.sort_field = c.field;
    options.descending = c.descending;
    options.skip = c.skip;
    options.limit = c.limit;
    EXPECT_EQ(this->find_skus(options), c.expected);
  }
}

TYPED_TEST(DocumentStoreTest, FilteredSortedPage) {
  this->insert_catalogue();
  FindOptions options;
  options.filters = {{"category", Op::kEq, "kitchen"}, {"price", Op::kGte, 0}};
  options.sort_field = "price";
  options.descending = true;
  options.limit = 1;
  EXPECT_EQ(this->find_skus(options), std::vector<std::string>{"p1"});
}

TYPED_TEST(DocumentStoreTest, EmptyAndUnknownCollections) {
  auto docs = this->store_->find("nothing", {});
  ASSERT_TRUE(docs.ok());
  EXPECT_TRUE(docs->empty());
  auto n = this->store_->count("nothing", {});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);
  auto names = this->store_->list_collections();
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());
}

TYPED_TEST(DocumentStoreTest, ListCollectionsIsSorted) {
  for (const char* collection : {"products", "orders", "alpha", "saved_searches"}) {
    ASSERT_TRUE(this->store_->insert(collection, "1", object("{}")).ok());
  }
  ASSERT_TRUE(this->store_->insert("orders", "2", object("{}")).ok());
  auto names = this->store_->list_collections();
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"alpha", "orders", "products", "saved_searches"}));
}

TYPED_TEST(DocumentStoreTest, InvalidFieldNamesAreRejected) {
  this->insert_catalogue();
  const std::string bad_names[] = {"",        "a.b",    "a b",     "$where", "x'y",
                                   "name)--", "na\"me", "ünicode", "a[0]",   std::string(65, 'f')};
  for (const std::string& field : bad_names) {
    SCOPED_TRACE("field '" + field + "'");
    FindOptions filtered;
    filtered.filters = {{field, Op::kEq, "x"}};
    auto found = this->store_->find("products", filtered);
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().code, ErrorCode::kInvalidArgument);
    auto counted = this->store_->count("products", filtered.filters);
    ASSERT_FALSE(counted.ok());
    EXPECT_EQ(counted.error().code, ErrorCode::kInvalidArgument);
    FindOptions sorted;
    sorted.sort_field = field;
    if (field.empty()) continue;  // an empty sort field means insertion order
    auto by = this->store_->find("products", sorted);
    ASSERT_FALSE(by.ok());
    EXPECT_EQ(by.error().code, ErrorCode::kInvalidArgument);
  }
  FindOptions longest;
  longest.filters = {{std::string(64, 'f'), Op::kEq, "x"}};
  EXPECT_TRUE(this->store_->find("products", longest).ok());
}

TYPED_TEST(DocumentStoreTest, FilterValuesOfTheWrongTypeAreRejected) {
  const std::vector<DocFilter> bad[] = {
      {{"name", Op::kContains, 3}},
      {{"price", Op::kGt, true}},
      {{"price", Op::kLte, nullptr}},
      {{"tags", Op::kEq, boost::json::array{"a"}}},
      {{"dims", Op::kEq, boost::json::object{{"w", 1}}}},
  };
  for (const auto& filters : bad) {
    auto n = this->store_->count("products", filters);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.error().code, ErrorCode::kInvalidArgument);
  }
}

TYPED_TEST(DocumentStoreTest, ConcurrentWritersAndReaders) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        boost::json::object doc{{"thread", t}, {"i", i}};
        if (!this->store_->insert("orders", id, doc).ok()) ++failures;
        auto got = this->store_->get("orders", id);
        if (!got.ok() || *got != doc) ++failures;
        if (!this->store_->count("orders", {{"thread", Op::kEq, t}}).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*this->store_->count("orders", {}), uint64_t{kThreads * kPerThread});
  EXPECT_EQ(*this->store_->count("orders", {{"thread", Op::kEq, 2}}), uint64_t{kPerThread});
}

}  // namespace
}  // namespace comptoir
