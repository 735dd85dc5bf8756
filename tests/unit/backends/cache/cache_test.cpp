// The Cache contract, written once and run on MemoryCache (fake clock) and on a real
// Redis (real time): values, TTLs and their expiry, removal, stats and concurrent use.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "cache_backends.h"

namespace comptoir {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::CacheFixture;
using testing::MemoryBackend;
using testing::RedisBackend;

template <typename Backend>
class CacheTest : public CacheFixture<Backend> {
 protected:
  std::optional<CacheEntry> get(std::string_view name) {
    auto entry = this->cache_->get(this->key(name));
    EXPECT_TRUE(entry.ok()) << (entry.ok() ? "" : entry.error().message);
    return entry.ok() ? *entry : std::nullopt;
  }
  void set(std::string_view name, std::string_view value, std::optional<seconds> ttl) {
    Status status = this->cache_->set(this->key(name), value, ttl);
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message);
  }
};

using Backends = ::testing::Types<MemoryBackend, RedisBackend>;
class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryBackend> ? "Memory" : "Redis";
  }
};
TYPED_TEST_SUITE(CacheTest, Backends, BackendNames);

TYPED_TEST(CacheTest, PingsAndNamesItsBackend) {
  EXPECT_TRUE(this->cache_->ping().ok());
  EXPECT_TRUE(this->cache_->backend_name() == "embedded" ||
              this->cache_->backend_name() == "redis");
}

TYPED_TEST(CacheTest, GetReturnsWhatWasSet) {
  struct Case {
    const char* key;
    std::string value;
  };
  const Case cases[] = {
      {"plain", "hello"},
      {"json", R"({"a":[1,2,{"b":null}]})"},
      {"empty", ""},
      {"binary", std::string("a\0b\r\n\xff", 6)},
      {"utf8 key: é — 東京", "valeur"},
      {"large", std::string(100000, 'x')},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.key);
    this->set(c.key, c.value, std::nullopt);
    auto entry = this->get(c.key);
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->value, c.value);
    EXPECT_EQ(entry->ttl_seconds, -1);
  }
}

TYPED_TEST(CacheTest, MissingKeyIsEmpty) {
  EXPECT_FALSE(this->get("absent").has_value());
}

TYPED_TEST(CacheTest, SetOverwritesValueAndTtl) {
  this->set("k", "one", seconds(60));
  EXPECT_EQ(this->get("k")->ttl_seconds, 60);
  this->set("k", "two", seconds(300));
  EXPECT_EQ(this->get("k")->value, "two");
  EXPECT_EQ(this->get("k")->ttl_seconds, 300);
  // Without a ttl the key stops expiring.
  this->set("k", "three", std::nullopt);
  EXPECT_EQ(this->get("k")->value, "three");
  EXPECT_EQ(this->get("k")->ttl_seconds, -1);
}

TYPED_TEST(CacheTest, TtlCountsDownAndTheKeyExpires) {
  this->set("short", "v", seconds(2));
  this->set("long", "v", seconds(100));
  this->set("forever", "v", std::nullopt);
  this->backend_.advance(milliseconds(700));
  // Rounded up: 1.3 s left shows as 2.
  EXPECT_EQ(this->get("short")->ttl_seconds, 2);
  this->backend_.advance(milliseconds(1400));
  EXPECT_FALSE(this->get("short").has_value());
  auto long_lived = this->get("long");
  ASSERT_TRUE(long_lived.has_value());
  EXPECT_EQ(long_lived->ttl_seconds, 98);
  EXPECT_EQ(this->get("forever")->ttl_seconds, -1);
  // An expired key is gone for remove too.
  EXPECT_FALSE(*this->cache_->remove(this->key("short")));
}

TYPED_TEST(CacheTest, RemoveSaysWhetherTheKeyExisted) {
  this->set("k", "v", std::nullopt);
  auto first = this->cache_->remove(this->key("k"));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(this->get("k").has_value());
  auto second = this->cache_->remove(this->key("k"));
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
}

TYPED_TEST(CacheTest, TtlBelowOneSecondIsInvalid) {
  for (seconds ttl : {seconds(0), seconds(-5)}) {
    Status status = this->cache_->set(this->key("k"), "v", ttl);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(this->get("k").has_value());
}

TYPED_TEST(CacheTest, StatsCountKeysHitsAndMisses) {
  auto before = this->cache_->stats();
  ASSERT_TRUE(before.ok()) << before.error().message;
  this->set("a", "value", std::nullopt);
  this->set("b", "value", std::nullopt);
  ASSERT_TRUE(this->get("a").has_value());
  ASSERT_FALSE(this->get("nothing").has_value());
  auto after = this->cache_->stats();
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->keys, before->keys + 2);
  // Redis counts key lookups, and a get looks twice (GET and PTTL); memory counts gets.
  EXPECT_GE(after->hits, before->hits + 1);
  EXPECT_LE(after->hits, before->hits + 2);
  EXPECT_GE(after->misses, before->misses + 1);
  EXPECT_LE(after->misses, before->misses + 2);
  EXPECT_GT(after->used_memory_bytes, 0u);
  EXPECT_EQ(after->evictions, before->evictions);
}

TYPED_TEST(CacheTest, ConcurrentClients) {
  constexpr int kThreads = 4;
  constexpr int kOps = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOps; ++i) {
        const std::string own = this->key("t" + std::to_string(t) + ":" + std::to_string(i % 10));
        const std::string value = std::to_string(t * 1000 + i);
        if (!this->cache_->set(own, value, seconds(60)).ok()) ++failures;
        auto entry = this->cache_->get(own);
        if (!entry.ok() || !*entry || (*entry)->value != value) ++failures;
        // Everyone writes and reads one shared key too.
        if (!this->cache_->set(this->key("shared"), value, std::nullopt).ok()) ++failures;
        if (!this->cache_->get(this->key("shared")).ok()) ++failures;
        if (i % 10 == 9 && !this->cache_->remove(own).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto shared = this->get("shared");
  ASSERT_TRUE(shared.has_value());
  EXPECT_EQ(shared->ttl_seconds, -1);
}

}  // namespace
}  // namespace comptoir
