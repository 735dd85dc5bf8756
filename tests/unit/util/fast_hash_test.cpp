// fast_hash: every byte and the length count (no collisions over 200,000 distinct
// short keys of every length 0-40, nor between a key and its zero-padded form), it
// reads no byte outside the key (run under AddressSanitizer), and the bits a hash table
// takes its positions from are evenly spread.
#include "util/fast_hash.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <random>
#include <string>
#include <unordered_set>

namespace comptoir {
namespace {

TEST(FastHashTest, DistinctKeysGetDistinctHashes) {
  std::mt19937_64 rng(7);
  std::unordered_set<std::string> keys;
  std::unordered_set<uint64_t> hashes;
  while (keys.size() < 200000) {
    std::string k(rng() % 41, '\0');
    for (char& c : k) c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 'a' + rng() % 26);
    if (keys.insert(k).second) hashes.insert(fast_hash(k));
  }
  EXPECT_EQ(hashes.size(), keys.size());
  for (size_t n = 0; n < 40; ++n) {
    const std::string a(n, 'x');
    EXPECT_NE(fast_hash(a), fast_hash(a + '\0')) << n;
    if (n > 0) {
      std::string b = a;
      b[n / 2] = 'y';
      EXPECT_NE(fast_hash(a), fast_hash(b)) << n;
    }
  }
}

TEST(FastHashTest, ReadsOnlyTheKey) {
  for (size_t n = 0; n < 64; ++n) {
    auto exact = std::make_unique<char[]>(n == 0 ? 1 : n);  // ASan flags any overread
    for (size_t i = 0; i < n; ++i) exact[i] = static_cast<char>('a' + i % 26);
    EXPECT_EQ(fast_hash(exact.get(), n), fast_hash(std::string(exact.get(), n)));
  }
}

TEST(FastHashTest, HighBitsAreSpread) {
  // TermTable takes a slot from the high 32 bits: sequential terms must not cluster.
  std::array<int, 256> buckets{};
  for (int i = 0; i < 256 * 1000; ++i) ++buckets[fast_hash("user" + std::to_string(i)) >> 56];
  for (int count : buckets) {
    EXPECT_GT(count, 800);
    EXPECT_LT(count, 1200);
  }
}

}  // namespace
}  // namespace comptoir
