// MemoryCache: sharded LRU cache with TTL (see memory_cache.h).
//
// Invariant: used_bytes_ is the sum of entry_bytes() over every stored entry; it is
// only changed while the owning shard's mutex is held, and read without it for the
// eviction loop, which locks one shard at a time (never two) so it cannot deadlock.
#include "backends/cache/memory_cache.h"

#include <algorithm>
#include <limits>

namespace comptoir {
namespace {

uint64_t entry_bytes(std::string_view key, std::string_view value) {
  return key.size() + value.size() + MemoryCache::kEntryOverheadBytes;
}

// Remaining time in whole seconds, rounded up so that a live key never reports 0.
int64_t remaining_seconds(std::chrono::steady_clock::time_point expires_at,
                          std::chrono::steady_clock::time_point now) {
  if (expires_at == std::chrono::steady_clock::time_point::max()) return -1;
  return std::chrono::ceil<std::chrono::seconds>(expires_at - now).count();
}

}  // namespace

MemoryCache::Shard& MemoryCache::shard_for(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

void MemoryCache::erase_locked(Shard& shard, std::list<Entry>::iterator entry) {
  used_bytes_.fetch_sub(entry_bytes(entry->key, entry->value), std::memory_order_relaxed);
  shard.index.erase(entry->key);
  shard.lru.erase(entry);
}

Result<std::optional<CacheEntry>> MemoryCache::get(std::string_view key) {
  const TimePoint now = clock_();
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  auto found = shard.index.find(key);
  if (found == shard.index.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::optional<CacheEntry>();
  }
  auto entry = found->second;
  if (entry->expires_at <= now) {
    erase_locked(shard, entry);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::optional<CacheEntry>();
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, entry);
  entry->last_used = tick_.fetch_add(1, std::memory_order_relaxed);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return std::optional<CacheEntry>(
      CacheEntry{entry->value, remaining_seconds(entry->expires_at, now)});
}

Status MemoryCache::set(std::string_view key, std::string_view value,
                        std::optional<std::chrono::seconds> ttl) {
  if (ttl && ttl->count() < 1) return Error::invalid("ttl must be at least one second");
  if (entry_bytes(key, value) > max_bytes_) {
    return Error::too_large("key and value exceed the cache size (" +
                            format_human_bytes(max_bytes_) + ")");
  }
  // Beyond a century a TTL means "keep it"; the clamp keeps the addition from overflowing.
  constexpr std::chrono::seconds kLongestTtl = std::chrono::hours(24 * 365 * 100);
  const TimePoint expires_at = ttl ? clock_() + std::min(*ttl, kLongestTtl) : TimePoint::max();
  {
    Shard& shard = shard_for(key);
    std::lock_guard lock(shard.mutex);
    const uint64_t tick = tick_.fetch_add(1, std::memory_order_relaxed);
    if (auto found = shard.index.find(key); found != shard.index.end()) {
      auto entry = found->second;
      used_bytes_.fetch_sub(entry->value.size(), std::memory_order_relaxed);
      used_bytes_.fetch_add(value.size(), std::memory_order_relaxed);
      entry->value.assign(value);
      entry->expires_at = expires_at;
      entry->last_used = tick;
      shard.lru.splice(shard.lru.begin(), shard.lru, entry);
    } else {
      shard.lru.push_front(Entry{std::string(key), std::string(value), expires_at, tick});
      shard.index.emplace(shard.lru.front().key, shard.lru.begin());
      used_bytes_.fetch_add(entry_bytes(key, value), std::memory_order_relaxed);
    }
  }
  evict_over_budget();
  return {};
}

void MemoryCache::evict_over_budget() {
  while (used_bytes_.load(std::memory_order_relaxed) > max_bytes_) {
    // The victim is the oldest of the shards' LRU tails: exact LRU when one thread
    // writes, close to it under concurrency (a tail may move between the two looks).
    Shard* victim = nullptr;
    uint64_t oldest = std::numeric_limits<uint64_t>::max();
    for (Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      if (!shard.lru.empty() && shard.lru.back().last_used < oldest) {
        oldest = shard.lru.back().last_used;
        victim = &shard;
      }
    }
    if (!victim) return;
    std::lock_guard lock(victim->mutex);
    if (victim->lru.empty()) continue;
    erase_locked(*victim, std::prev(victim->lru.end()));
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
}

Result<bool> MemoryCache::remove(std::string_view key) {
  const TimePoint now = clock_();
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  auto found = shard.index.find(key);
  if (found == shard.index.end()) return false;
  const bool live = found->second->expires_at > now;
  erase_locked(shard, found->second);
  return live;
}

Result<CacheStats> MemoryCache::stats() {
  uint64_t keys = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    keys += shard.index.size();
  }
  return CacheStats{keys,
                    used_bytes_.load(std::memory_order_relaxed),
                    0,
                    hits_.load(std::memory_order_relaxed),
                    misses_.load(std::memory_order_relaxed),
                    evictions_.load(std::memory_order_relaxed)};
}

size_t MemoryCache::sweep_expired() {
  const TimePoint now = clock_();
  size_t removed = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (auto entry = shard.lru.begin(); entry != shard.lru.end();) {
      auto next = std::next(entry);
      if (entry->expires_at <= now) {
        erase_locked(shard, entry);
        ++removed;
      }
      entry = next;
    }
  }
  return removed;
}

}  // namespace comptoir
