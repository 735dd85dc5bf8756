// What only MongoStore has: a connection string (bad ones rejected, its timeouts
// honoured), the reserved _id, and a server that can go away and come back while the
// store stays usable (stopped and restarted through scripts/services).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store_backends.h"

namespace comptoir {
namespace {

using MongoStoreTest = testing::StoreFixture<testing::MongoBackend>;

boost::json::object object(std::string_view json) {
  return boost::json::parse(json).as_object();
}

TEST(MongoStoreOpenTest, InvalidUriIsInvalidArgument) {
  for (const char* uri : {"", "http://localhost", "mongodb://", "mongodb://host:notaport/"}) {
    SCOPED_TRACE(uri);
    auto store = MongoStore::open(uri);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(MongoStoreOpenTest, DownServerIsUnavailableWithinTheUriTimeout) {
  // Nothing listens on port 1; the URI's own timeout replaces the 2 s default.
  auto store = MongoStore::open("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300");
  ASSERT_TRUE(store.ok());
  const auto start = std::chrono::steady_clock::now();
  Status ping = (*store)->ping();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable) << ping.error().message;
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
  auto got = (*store)->get("products", "p1");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kUnavailable);
  Status inserted = (*store)->insert("products", "p1", object("{}"));
  ASSERT_FALSE(inserted.ok());
  EXPECT_EQ(inserted.error().code, ErrorCode::kUnavailable);
}

TEST_F(MongoStoreTest, IdIsReservedInBodies) {
  Status status = store_->insert("products", "p1", object(R"({"_id":"other"})"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(MongoStoreTest, StringsThatLookLikeExtendedJsonStayStrings) {
  const auto doc = object(R"({"when":{"$date":"2025-01-01"},"oid":{"$oid":"x"}})");
  Status status = store_->insert("products", "p1", doc);
  // MongoDB may refuse $-prefixed keys; when it stores them they must come back as given.
  if (status.ok()) {
    EXPECT_EQ(*store_->get("products", "p1"), doc);
  } else {
    EXPECT_NE(status.error().code, ErrorCode::kUnavailable) << status.error().message;
  }
}

TEST_F(MongoStoreTest, ReconnectsAfterTheServerRestarts) {
  if (testing::run_services("url mongo") != backend_.base_uri()) {
    GTEST_SKIP() << "the MongoDB server was not started by scripts/services: cannot restart it";
  }
  ASSERT_TRUE(store_->insert("orders", "o1", object(R"({"total":5})")).ok());

  ASSERT_TRUE(testing::run_services("stop mongo").has_value());
  Status down = store_->ping();
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable) << down.error().message;
  EXPECT_EQ(store_->get("orders", "o1").error().code, ErrorCode::kUnavailable);

  ASSERT_EQ(testing::run_services("start mongo"), backend_.base_uri());
  // No reconnect call: the pool finds the server again on its own.
  Status up = store_->ping();
  for (int i = 0; i < 20 && !up.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    up = store_->ping();
  }
  ASSERT_TRUE(up.ok()) << up.error().message;
  auto got = store_->get("orders", "o1");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, object(R"({"total":5})"));
}

}  // namespace
}  // namespace comptoir
