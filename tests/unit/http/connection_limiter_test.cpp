// ConnectionLimiter: the cap holds, slots release on destruction and on move,
// and concurrent acquirers never exceed the cap.
#include "http/connection_limiter.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace comptoir::http {
namespace {

TEST(ConnectionLimiterTest, CapsAndReleases) {
  ConnectionLimiter limiter(2);
  auto a = limiter.try_acquire();
  auto b = limiter.try_acquire();
  auto c = limiter.try_acquire();
  EXPECT_TRUE(a.held());
  EXPECT_TRUE(b.held());
  EXPECT_FALSE(c.held());
  EXPECT_EQ(limiter.active(), 2u);
  a.reset();
  EXPECT_EQ(limiter.active(), 1u);
  auto d = limiter.try_acquire();
  EXPECT_TRUE(d.held());
  ConnectionLimiter::Slot moved = std::move(d);
  EXPECT_FALSE(d.held());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(limiter.active(), 2u);
}

TEST(ConnectionLimiterTest, ConcurrentAcquirersNeverExceedTheCap) {
  ConnectionLimiter limiter(8);
  std::atomic<uint32_t> peak{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        auto slot = limiter.try_acquire();
        const uint32_t now = limiter.active();
        uint32_t p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), 8u);
  EXPECT_EQ(limiter.active(), 0u);
}

}  // namespace
}  // namespace comptoir::http
