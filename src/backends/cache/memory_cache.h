// MemoryCache: the in-process Cache, bounded by COMPTOIR_CACHE_MAX_BYTES.
//
// 16 shards, each a mutex over a hash index and an LRU list, so threads on different
// keys rarely meet. Expiry is lazy (a read of an expired key removes it) plus
// sweep_expired(), which the server calls from a timer. When the accounted bytes pass
// the budget, the least recently used key among the shards' LRU tails is evicted.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "backends/cache/cache.h"

namespace comptoir {

class MemoryCache final : public Cache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // What one key costs beyond its key and value bytes: list node, hash slot, expiry.
  static constexpr uint64_t kEntryOverheadBytes = 64;

  // `clock` is injectable for tests; the server uses the steady clock.
  explicit MemoryCache(uint64_t max_bytes, Clock clock = std::chrono::steady_clock::now)
      : max_bytes_(max_bytes), clock_(std::move(clock)) {}

  std::string_view backend_name() const override { return "embedded"; }
  Status ping() override { return {}; }
  Result<std::optional<CacheEntry>> get(std::string_view key) override;
  // TooLarge when one key and value alone exceed the budget.
  Status set(std::string_view key, std::string_view value,
             std::optional<std::chrono::seconds> ttl) override;
  Result<bool> remove(std::string_view key) override;
  // keys counts stored keys, expired ones not yet swept included (as Redis's DBSIZE);
  // connected_clients is 0: nothing connects to an in-process cache.
  Result<CacheStats> stats() override;

  // Removes every expired key; returns how many. Cost: one pass over all keys.
  size_t sweep_expired();

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    std::string key;
    std::string value;
    TimePoint expires_at;  // TimePoint::max() when the key never expires
    uint64_t last_used;    // tick_ at the last set or hit, to compare shards' LRU tails
  };
  struct Shard {
    std::mutex mutex;
    std::list<Entry> lru;  // most recently used first
    // Keys view the Entry's own key: list nodes never move.
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;
  };
  static constexpr size_t kShards = 16;

  Shard& shard_for(std::string_view key);
  // Requires the shard's mutex.
  void erase_locked(Shard& shard, std::list<Entry>::iterator entry);
  void evict_over_budget();

  const uint64_t max_bytes_;
  const Clock clock_;
  std::array<Shard, kShards> shards_;
  std::atomic<uint64_t> used_bytes_{0};
  std::atomic<uint64_t> tick_{0};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> evictions_{0};
};

}  // namespace comptoir
