// What only RedisCache has: a server that may be down, refuse the password, or drop
// the pooled connections, and a database number. The cache must answer Unavailable
// while it cannot reach the server and recover by itself, without a restart of ours.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <chrono>
#include <thread>

#include "cache_backends.h"

namespace comptoir {
namespace {

using std::chrono::seconds;
using RedisCacheTest = testing::CacheFixture<testing::RedisBackend>;

TEST(RedisCacheDownTest, EveryCallIsUnavailable) {
  RedisCache cache("127.0.0.1", 1, "", 0);  // nothing listens on port 1
  auto expect_unavailable = [](const Error& error) {
    EXPECT_EQ(error.code, ErrorCode::kUnavailable) << error.message;
  };
  expect_unavailable(cache.ping().error());
  expect_unavailable(cache.get("k").error());
  expect_unavailable(cache.set("k", "v", seconds(5)).error());
  expect_unavailable(cache.remove("k").error());
  expect_unavailable(cache.stats().error());
}

TEST_F(RedisCacheTest, WrongPasswordIsUnavailable) {
  RedisCache cache(backend_.host(), backend_.port(), "not-the-password", 0);
  Status ping = cache.ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(ping.error().message.find("AUTH"), std::string::npos) << ping.error().message;
}

TEST_F(RedisCacheTest, UsesTheConfiguredDatabase) {
  RedisCache db0(backend_.host(), backend_.port(), "", 0);
  RedisCache db3(backend_.host(), backend_.port(), "", 3);
  const std::string k = key("in-db-3");
  ASSERT_TRUE(db3.set(k, "three", std::nullopt).ok());
  EXPECT_FALSE(db0.get(k)->has_value());
  EXPECT_EQ((*db3.get(k))->value, "three");
  EXPECT_TRUE(*db3.remove(k));
}

TEST_F(RedisCacheTest, RecoversWhenPooledConnectionsAreKilled) {
  ASSERT_TRUE(cache_->set(key("k"), "before", std::nullopt).ok());
  // Another client closes every other connection, as a server-side timeout would.
  redisContext* admin = redisConnect(backend_.host().c_str(), backend_.port());
  ASSERT_TRUE(admin && !admin->err);
  auto* killed =
      static_cast<redisReply*>(redisCommand(admin, "CLIENT KILL TYPE normal SKIPME yes"));
  ASSERT_NE(killed, nullptr);
  EXPECT_EQ(killed->type, REDIS_REPLY_INTEGER);
  EXPECT_GE(killed->integer, 1);
  freeReplyObject(killed);
  redisFree(admin);

  auto entry = cache_->get(key("k"));
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  ASSERT_TRUE(entry->has_value());
  EXPECT_EQ((*entry)->value, "before");
}

TEST_F(RedisCacheTest, StatsComeFromTheServer) {
  auto stats = cache_->stats();
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_GE(stats->connected_clients, 1u);       // this very connection
  EXPECT_GT(stats->used_memory_bytes, 100000u);  // an empty Redis uses about 1 MB
}

TEST_F(RedisCacheTest, ReconnectsAfterTheServerRestarts) {
  if (testing::run_services("url redis") != backend_.url()) {
    GTEST_SKIP() << "the Redis server was not started by scripts/services: cannot restart it";
  }
  ASSERT_TRUE(cache_->ping().ok());

  ASSERT_TRUE(testing::run_services("stop redis").has_value());
  Status down = cache_->ping();
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable) << down.error().message;
  EXPECT_EQ(cache_->get(key("k")).error().code, ErrorCode::kUnavailable);

  ASSERT_EQ(testing::run_services("start redis"), backend_.url());
  // The first call after the restart already succeeds: no reconnect call, no wait.
  Status up = cache_->ping();
  EXPECT_TRUE(up.ok()) << up.error().message;
  ASSERT_TRUE(cache_->set(key("k"), "after", seconds(30)).ok());
  EXPECT_EQ((*cache_->get(key("k")))->value, "after");
}

}  // namespace
}  // namespace comptoir
