// The two Cache implementations as test backends. MemoryBackend drives a MemoryCache
// with a fake clock; RedisBackend talks to a real server and lets real time pass. A
// test writes its keys under key(), a random prefix, so runs never see each other's.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "../real_servers.h"
#include "backends/cache/memory_cache.h"
#include "backends/cache/redis_cache.h"

namespace comptoir::testing {

// A clock that moves only when told to; shared with the cache through a pointer.
class FakeClock {
 public:
  std::chrono::steady_clock::time_point now() const { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }
  MemoryCache::Clock as_function() {
    return [this] { return now(); };
  }

 private:
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1000)};
};

class MemoryBackend {
 public:
  static constexpr uint64_t kMaxBytes = 1 << 20;

  void set_up() {}
  std::unique_ptr<Cache> open() {
    return std::make_unique<MemoryCache>(kMaxBytes, clock_.as_function());
  }
  void advance(std::chrono::milliseconds by) { clock_.advance(by); }

 private:
  FakeClock clock_;
};

// "redis://host:port" into its parts; false when it is not that shape.
inline bool parse_redis_url(const std::string& url, std::string& host, int& port) {
  const std::string scheme = "redis://";
  if (url.rfind(scheme, 0) != 0) return false;
  std::string rest = url.substr(scheme.size());
  if (size_t slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos) return false;
  host = rest.substr(0, colon);
  port = std::atoi(rest.c_str() + colon + 1);
  return !host.empty() && port > 0;
}

class RedisBackend {
 public:
  void set_up() {
    COMPTOIR_REAL_SERVER_URL(url_, "COMPTOIR_TEST_REDIS_URL", "redis");
    ASSERT_TRUE(parse_redis_url(url_, host_, port_)) << "bad COMPTOIR_TEST_REDIS_URL: " << url_;
  }
  std::unique_ptr<Cache> open() { return std::make_unique<RedisCache>(host_, port_, "", 0); }
  void advance(std::chrono::milliseconds by) { std::this_thread::sleep_for(by); }

  const std::string& url() const { return url_; }
  const std::string& host() const { return host_; }
  int port() const { return port_; }

 private:
  std::string url_;
  std::string host_;
  int port_ = 0;
};

template <typename Backend>
class CacheFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_.set_up();
    if (IsSkipped() || HasFatalFailure()) return;
    cache_ = backend_.open();
  }
  // Leaves a shared server as it was found.
  void TearDown() override {
    if (!cache_) return;
    for (const std::string& used : used_keys_) (void)cache_->remove(used);
  }

  std::string key(std::string_view name) {
    std::string full = prefix_ + std::string(name);
    std::lock_guard lock(used_keys_mutex_);
    used_keys_.insert(full);
    return full;
  }

  Backend backend_;
  std::unique_ptr<Cache> cache_;
  const std::string prefix_ = "comptoir-test:" + random_name() + ":";

 private:
  std::mutex used_keys_mutex_;
  std::set<std::string> used_keys_;
};

}  // namespace comptoir::testing
