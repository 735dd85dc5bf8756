// Cache: a key-value store of strings with optional time-to-live, behind /api/cache.
//
// Two implementations: MemoryCache (in process, the default) and RedisCache. Both
// report the remaining TTL rounded up to whole seconds (a live key never shows 0),
// and the same statistics, named after Redis's INFO fields.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace comptoir {

struct CacheEntry {
  std::string value;
  int64_t ttl_seconds;  // -1 = no expiry
};

struct CacheStats {
  uint64_t keys;
  uint64_t used_memory_bytes;
  uint64_t connected_clients;
  uint64_t hits;
  uint64_t misses;
  uint64_t evictions;
};

class Cache {
 public:
  virtual ~Cache() = default;

  virtual std::string_view backend_name() const = 0;  // "embedded" or "redis"
  virtual Status ping() = 0;
  // The value and its remaining TTL, read atomically; nullopt when absent or expired.
  virtual Result<std::optional<CacheEntry>> get(std::string_view key) = 0;
  // Sets the value; without a ttl the key never expires (a previous ttl is dropped).
  // A ttl below one second is InvalidArgument.
  virtual Status set(std::string_view key, std::string_view value,
                     std::optional<std::chrono::seconds> ttl) = 0;
  virtual Result<bool> remove(std::string_view key) = 0;  // false when absent
  virtual Result<CacheStats> stats() = 0;
};

// Redis's used_memory_human style: "912B", "3.20K", "1.50M", "1.10G".
std::string format_human_bytes(uint64_t bytes);

}  // namespace comptoir
