// ResponseCache: answers of the read endpoints (search, dashboard, results) kept in
// the Cache backend for COMPTOIR_CACHE_TTL seconds, under a key made of the answer's
// kind, the SHA-256 of its normalised request and the data generation.
//
// The generation is a random token stored in the cache itself (`comptoir:generation`,
// no expiry), so that every Comptoir node sharing a Redis sees the same one. Every
// change of the indexed data (an upload, a deletion, a rollback) writes a new token
// after the change is visible, so an answer computed before the change is never
// served after it. Tokens are never reused (unlike a counter, which would restart at
// a value old answers still carry if the key were evicted), and a request reads the
// generation before computing its answer, so an answer stored under a token was
// computed after that token was written. If the new token cannot be written (Redis
// down), this node stops using the cache until it can; other nodes sharing that Redis
// may serve their answers for at most the TTL.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "backends/cache/cache.h"
#include "util/result.h"

namespace comptoir {

inline constexpr std::string_view kGenerationKey = "comptoir:generation";
inline constexpr size_t kMaxCachedAnswerBytes = 1 << 20;

class ResponseCache {
 public:
  // ttl 0: answers are never cached.
  ResponseCache(Cache& cache, std::chrono::seconds ttl) : cache_(cache), ttl_(ttl) {}

  struct Answer {
    std::string body;
    bool hit = false;
  };

  // The cached answer of (kind, normalized_request) at the current generation, or
  // compute()'s, stored when it succeeds (and is at most kMaxCachedAnswerBytes).
  // The cache being unavailable only costs the hit: compute() still answers.
  Result<Answer> get_or_compute(std::string_view kind, std::string_view normalized_request,
                                const std::function<Result<std::string>()>& compute);

  // The indexed data changed: answers cached so far must not be served again.
  void data_changed();

 private:
  // The current generation; nullopt when the cache cannot be trusted or reached.
  std::optional<std::string> generation();
  bool write_new_generation();

  Cache& cache_;
  std::chrono::seconds ttl_;
  std::atomic<bool> stale_{false};  // a new generation could not be written yet
};

}  // namespace comptoir
