// ResponseCache: generation tokens and cached answers.
#include "core/response_cache.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "util/random_id.h"
#include "util/sha256.h"

namespace comptoir {

bool ResponseCache::write_new_generation() {
  // Two random ids: 128 bits, so two nodes never pick the same token.
  const std::string token = random_hex_id() + random_hex_id();
  if (auto st = cache_.set(kGenerationKey, token, std::nullopt); !st.ok()) {
    spdlog::warn(
        "response cache: cannot write a new data generation ({}); cached answers are "
        "not used until it can",
        st.error().message);
    return false;
  }
  return true;
}

void ResponseCache::data_changed() {
  if (ttl_.count() == 0) return;
  stale_ = !write_new_generation();
}

std::optional<std::string> ResponseCache::generation() {
  if (stale_) {
    if (!write_new_generation()) return std::nullopt;
    stale_ = false;
  }
  auto current = cache_.get(kGenerationKey);
  if (!current.ok()) return std::nullopt;
  if (*current) return std::move((*current)->value);
  // Never written, or evicted: start a new generation (never an old one).
  if (!write_new_generation()) return std::nullopt;
  auto written = cache_.get(kGenerationKey);
  if (!written.ok() || !*written) return std::nullopt;
  return std::move((*written)->value);
}

Result<ResponseCache::Answer> ResponseCache::get_or_compute(
    std::string_view kind, std::string_view normalized_request,
    const std::function<Result<std::string>()>& compute) {
  std::optional<std::string> gen;
  std::string key;
  if (ttl_.count() > 0) gen = generation();
  if (gen) {
    key = fmt::format("comptoir:answer:{}:{}:{}", kind, *gen, sha256_hex(normalized_request));
    auto cached = cache_.get(key);
    if (cached.ok() && *cached) return Answer{std::move((*cached)->value), true};
  }
  auto computed = compute();
  COMPTOIR_TRY(computed);
  if (gen && computed->size() <= kMaxCachedAnswerBytes) {
    if (auto st = cache_.set(key, *computed, ttl_); !st.ok()) {
      spdlog::debug("response cache: cannot store {}: {}", key, st.error().message);
    }
  }
  return Answer{std::move(*computed), false};
}

}  // namespace comptoir
