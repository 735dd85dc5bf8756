// MemoryCache beyond the shared contract: exact expiry on an injected clock, lazy and
// swept expiry, LRU eviction under the byte budget, exact counters and accounting under
// concurrent use, and the human byte format that both caches report.
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "cache_backends.h"

namespace comptoir {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeClock;

uint64_t entry_bytes(std::string_view key, std::string_view value) {
  return key.size() + value.size() + MemoryCache::kEntryOverheadBytes;
}

std::vector<std::string> split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

TEST(MemoryCacheTest, ExpiresExactlyAtTheTtl) {
  FakeClock clock;
  MemoryCache cache(1 << 20, clock.as_function());
  ASSERT_TRUE(cache.set("k", "v", seconds(10)).ok());
  EXPECT_EQ((*cache.get("k"))->ttl_seconds, 10);
  clock.advance(milliseconds(9001));
  EXPECT_EQ((*cache.get("k"))->ttl_seconds, 1);  // 0.999 s left: never shown as 0
  clock.advance(milliseconds(998));
  EXPECT_EQ((*cache.get("k"))->ttl_seconds, 1);
  clock.advance(milliseconds(1));
  EXPECT_FALSE(cache.get("k")->has_value());
}

TEST(MemoryCacheTest, ExpiredKeysLeaveLazilyOrWhenSwept) {
  FakeClock clock;
  MemoryCache cache(1 << 20, clock.as_function());
  for (const char* key : {"a", "b", "c"}) ASSERT_TRUE(cache.set(key, "v", seconds(5)).ok());
  for (const char* key : {"d", "e"}) ASSERT_TRUE(cache.set(key, "v", std::nullopt).ok());
  ASSERT_TRUE(cache.set("f", "v", seconds(60)).ok());
  clock.advance(seconds(5));
  // Expired but not yet touched: still counted, as Redis's DBSIZE would.
  EXPECT_EQ(cache.stats()->keys, 6u);
  EXPECT_FALSE(cache.get("a")->has_value());  // lazy expiry removes it
  EXPECT_EQ(cache.stats()->keys, 5u);
  EXPECT_EQ(cache.sweep_expired(), 2u);  // b and c
  EXPECT_EQ(cache.stats()->keys, 3u);
  EXPECT_EQ(cache.stats()->used_memory_bytes, 3 * entry_bytes("d", "v"));
  EXPECT_EQ(cache.sweep_expired(), 0u);
  EXPECT_EQ(cache.stats()->evictions, 0u);  // expiry is not eviction
}

struct LruCase {
  const char* name;
  size_t capacity;     // how many 1-byte keys with 8-byte values fit
  const char* script;  // "set K" or "get K" steps, in order
  const char* alive;   // the keys left, in any order
  uint64_t evictions;
};

TEST(MemoryCacheTest, EvictsTheLeastRecentlyUsedKey) {
  const LruCase cases[] = {
      {"oldest goes first", 3, "set a set b set c set d", "b c d", 1},
      {"a get refreshes", 3, "set a set b set c get a set d", "a c d", 1},
      {"a set refreshes", 3, "set a set b set c set a set d", "a c d", 1},
      {"a miss refreshes nothing", 3, "set a set b set c get z set d", "b c d", 1},
      {"several evictions", 2, "set a set b get a set c set d", "c d", 2},
      {"fits exactly", 4, "set a set b set c set d", "a b c d", 0},
      {"capacity of one", 1, "set a set b get a set c", "c", 2},
  };
  for (const LruCase& c : cases) {
    SCOPED_TRACE(c.name);
    FakeClock clock;
    const std::string value(8, 'v');
    MemoryCache cache(c.capacity * entry_bytes("k", value), clock.as_function());
    const auto steps = split(c.script);
    for (size_t i = 0; i + 1 < steps.size(); i += 2) {
      if (steps[i] == "set") {
        ASSERT_TRUE(cache.set(steps[i + 1], value, std::nullopt).ok());
      } else {
        ASSERT_TRUE(cache.get(steps[i + 1]).ok());
      }
    }
    const auto alive = split(c.alive);
    for (const char* key : {"a", "b", "c", "d"}) {
      const bool expected = std::find(alive.begin(), alive.end(), key) != alive.end();
      // remove(), not get(): a get would refresh the key for the next check.
      EXPECT_EQ(*cache.remove(key), expected) << key;
    }
    EXPECT_EQ(cache.stats()->evictions, c.evictions);
  }
}

TEST(MemoryCacheTest, GrowingAValueEvictsOthers) {
  FakeClock clock;
  MemoryCache cache(3 * entry_bytes("k", "12345678"), clock.as_function());
  ASSERT_TRUE(cache.set("a", "12345678", std::nullopt).ok());
  ASSERT_TRUE(cache.set("b", "12345678", std::nullopt).ok());
  ASSERT_TRUE(cache.set("c", "12345678", std::nullopt).ok());
  // c grows by 9 bytes, past the budget: the least recently used key, a, makes room.
  ASSERT_TRUE(cache.set("c", std::string(8 + 8 + 1, 'x'), std::nullopt).ok());
  EXPECT_FALSE(cache.get("a")->has_value());
  EXPECT_TRUE(cache.get("b")->has_value());
  EXPECT_TRUE(cache.get("c")->has_value());
  EXPECT_EQ(cache.stats()->evictions, 1u);
  EXPECT_LE(cache.stats()->used_memory_bytes, 3 * entry_bytes("k", "12345678"));
}

TEST(MemoryCacheTest, AnEntryLargerThanTheBudgetIsTooLarge) {
  MemoryCache cache(1000);
  ASSERT_TRUE(cache.set("keep", "v", std::nullopt).ok());
  Status status = cache.set("big", std::string(1000, 'x'), std::nullopt);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kTooLarge);
  EXPECT_TRUE(cache.get("keep")->has_value());  // nothing was evicted for it
}

TEST(MemoryCacheTest, CountersAndAccountingAreExact) {
  FakeClock clock;
  MemoryCache cache(1 << 20, clock.as_function());
  ASSERT_TRUE(cache.set("a", "1234", std::nullopt).ok());
  ASSERT_TRUE(cache.set("bb", "12", seconds(1)).ok());
  EXPECT_EQ(cache.stats()->used_memory_bytes, entry_bytes("a", "1234") + entry_bytes("bb", "12"));
  ASSERT_TRUE(cache.set("a", "123456", std::nullopt).ok());  // overwrite: one key
  EXPECT_EQ(cache.stats()->used_memory_bytes, entry_bytes("a", "123456") + entry_bytes("bb", "12"));
  (void)cache.get("a");   // hit
  (void)cache.get("a");   // hit
  (void)cache.get("zz");  // miss
  clock.advance(seconds(1));
  (void)cache.get("bb");  // expired: miss
  auto stats = cache.stats();
  EXPECT_EQ(stats->keys, 1u);
  EXPECT_EQ(stats->hits, 2u);
  EXPECT_EQ(stats->misses, 2u);
  EXPECT_EQ(stats->evictions, 0u);
  EXPECT_EQ(stats->connected_clients, 0u);
  EXPECT_EQ(stats->used_memory_bytes, entry_bytes("a", "123456"));
  EXPECT_TRUE(*cache.remove("a"));
  EXPECT_EQ(cache.stats()->used_memory_bytes, 0u);
}

TEST(MemoryCacheTest, ConcurrentUseUnderEvictionKeepsTheBooks) {
  constexpr int kThreads = 4;
  constexpr int kOps = 5000;
  constexpr uint64_t kBudget = 64 * 1024;
  MemoryCache cache(kBudget);
  std::atomic<uint64_t> gets{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOps; ++i) {
        const std::string key = "k" + std::to_string((t * 7919 + i * 31) % 2000);
        switch (i % 4) {
          case 0:
          case 1:
            EXPECT_TRUE(cache.set(key, std::string(100 + i % 50, 'v'), seconds(60)).ok());
            break;
          case 2:
            EXPECT_TRUE(cache.get(key).ok());
            ++gets;
            break;
          default:
            EXPECT_TRUE(cache.remove(key).ok());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto stats = cache.stats();
  EXPECT_EQ(stats->hits + stats->misses, gets.load());
  EXPECT_LE(stats->used_memory_bytes, kBudget);
  EXPECT_GT(stats->evictions, 0u);
  // Every key costs at least its overhead, and no more than its longest value.
  EXPECT_GE(stats->used_memory_bytes, stats->keys * (MemoryCache::kEntryOverheadBytes + 100));
  EXPECT_LE(stats->used_memory_bytes, stats->keys * (MemoryCache::kEntryOverheadBytes + 5 + 149));
  // Removing what is left brings the accounting back to zero.
  for (int k = 0; k < 2000; ++k) (void)cache.remove("k" + std::to_string(k));
  EXPECT_EQ(cache.stats()->keys, 0u);
  EXPECT_EQ(cache.stats()->used_memory_bytes, 0u);
}

TEST(FormatHumanBytesTest, MatchesRedisUsedMemoryHuman) {
  const std::pair<uint64_t, const char*> cases[] = {
      {0, "0B"},
      {912, "912B"},
      {1023, "1023B"},
      {1024, "1.00K"},
      {3277, "3.20K"},
      {1048575, "1024.00K"},
      {1048576, "1.00M"},
      {1572864, "1.50M"},
      {1181116006, "1.10G"},
      {1099511627776, "1.00T"},
  };
  for (const auto& [bytes, human] : cases) EXPECT_EQ(format_human_bytes(bytes), human) << bytes;
}

}  // namespace
}  // namespace comptoir
