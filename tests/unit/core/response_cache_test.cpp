// ResponseCache on the in-process cache: a miss computes and stores, a hit does not
// compute, a data change makes every earlier answer unreachable, errors are not
// cached, a TTL of 0 turns caching off, and a lost generation key starts a new one.
#include "core/response_cache.h"

#include <gtest/gtest.h>

#include "backends/cache/memory_cache.h"

namespace comptoir {
namespace {

class ResponseCacheTest : public ::testing::Test {
 protected:
  Result<ResponseCache::Answer> ask(ResponseCache& rc, std::string_view request) {
    return rc.get_or_compute("search", request, [&]() -> Result<std::string> {
      ++computed_;
      return "answer " + std::to_string(computed_);
    });
  }
  MemoryCache cache_{1 << 20};
  int computed_ = 0;
};

TEST_F(ResponseCacheTest, MissThenHit) {
  ResponseCache rc(cache_, std::chrono::seconds(30));
  auto first = ask(rc, "q=a");
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->hit);
  EXPECT_EQ(first->body, "answer 1");
  auto second = ask(rc, "q=a");
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->hit);
  EXPECT_EQ(second->body, "answer 1");
  EXPECT_EQ(computed_, 1);
  auto other = ask(rc, "q=b");
  EXPECT_FALSE(other->hit);
  EXPECT_EQ(computed_, 2);
}

TEST_F(ResponseCacheTest, DataChangeInvalidates) {
  ResponseCache rc(cache_, std::chrono::seconds(30));
  (void)ask(rc, "q=a");
  rc.data_changed();
  auto after = ask(rc, "q=a");
  EXPECT_FALSE(after->hit);
  EXPECT_EQ(after->body, "answer 2");
  EXPECT_TRUE(ask(rc, "q=a")->hit);
}

TEST_F(ResponseCacheTest, TwoNodesSharingTheCacheSeeEachOthersChanges) {
  ResponseCache a(cache_, std::chrono::seconds(30));
  ResponseCache b(cache_, std::chrono::seconds(30));
  (void)ask(a, "q=a");
  EXPECT_TRUE(ask(b, "q=a")->hit);
  b.data_changed();
  EXPECT_FALSE(ask(a, "q=a")->hit);
}

TEST_F(ResponseCacheTest, LostGenerationNeverRevivesOldAnswers) {
  ResponseCache rc(cache_, std::chrono::seconds(30));
  (void)ask(rc, "q=a");
  ASSERT_TRUE(cache_.remove(kGenerationKey).ok());
  EXPECT_FALSE(ask(rc, "q=a")->hit);
}

TEST_F(ResponseCacheTest, ErrorsAreNotCached) {
  ResponseCache rc(cache_, std::chrono::seconds(30));
  auto failing = rc.get_or_compute(
      "search", "q=a", []() -> Result<std::string> { return Error::unavailable("down"); });
  ASSERT_FALSE(failing.ok());
  EXPECT_EQ(failing.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(ask(rc, "q=a")->hit);
}

TEST_F(ResponseCacheTest, ZeroTtlNeverCaches) {
  ResponseCache rc(cache_, std::chrono::seconds(0));
  (void)ask(rc, "q=a");
  EXPECT_FALSE(ask(rc, "q=a")->hit);
  EXPECT_EQ(computed_, 2);
}

}  // namespace
}  // namespace comptoir
