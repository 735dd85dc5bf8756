// Bitmap::from_sorted builds roaring's portable form itself: it must hold exactly the docs
// roaring_bitmap_add_many would add, for sparse and dense containers, container edges, the
// top of the 32-bit range, and inputs that are not strictly increasing (added one by one).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "engine/query/bitmap.h"

namespace comptoir::engine {
namespace {

void expect_same_as_adding(const std::vector<uint32_t>& docs) {
  const Bitmap built = Bitmap::from_sorted(docs.data(), docs.size());
  roaring_bitmap_t* want = roaring_bitmap_create();
  roaring_bitmap_add_many(want, docs.size(), docs.data());
  ASSERT_EQ(built.cardinality(), roaring_bitmap_get_cardinality(want));
  std::vector<uint32_t> got;
  built.for_each([&](uint32_t d) { got.push_back(d); });
  std::vector<uint32_t> expected(roaring_bitmap_get_cardinality(want));
  roaring_bitmap_to_uint32_array(want, expected.data());
  roaring_bitmap_free(want);
  ASSERT_EQ(got, expected);
  // Still a working bitmap: it optimizes and serializes like any other.
  Bitmap copy = built;
  copy.optimize();
  EXPECT_TRUE(copy == built);
}

std::vector<uint32_t> random_sorted(std::mt19937& rng, size_t n, uint32_t lo, uint32_t span) {
  std::set<uint32_t> s;
  while (s.size() < n) s.insert(lo + static_cast<uint32_t>(rng() % span));
  return std::vector<uint32_t>(s.begin(), s.end());
}

TEST(BitmapTest, FromSortedHoldsWhatAddingHolds) {
  std::mt19937 rng(7);
  expect_same_as_adding({});
  expect_same_as_adding({0});
  expect_same_as_adding({UINT32_MAX});
  for (size_t n : {31u, 32u, 33u, 100u, 4095u, 4096u, 4097u, 9000u}) {
    expect_same_as_adding(random_sorted(rng, n, 0, 65536));                   // one container
    expect_same_as_adding(random_sorted(rng, n, 60000, 140000));              // across edges
    expect_same_as_adding(random_sorted(rng, n, 0, 5000000));                 // sparse
    expect_same_as_adding(random_sorted(rng, n, UINT32_MAX - 70000, 70000));  // the top
  }
  // Every doc of a range (a bitset, then runs once optimized), and each container full.
  std::vector<uint32_t> all(200000);
  for (uint32_t i = 0; i < all.size(); ++i) all[i] = i + 5;
  expect_same_as_adding(all);
  // Exactly 4096 and 4097 values in one container (array / bitset edge), then another.
  std::vector<uint32_t> edge;
  for (uint32_t i = 0; i < 4096; ++i) edge.push_back(i * 16);
  for (uint32_t i = 0; i < 4097; ++i) edge.push_back(65536 + i * 15);
  expect_same_as_adding(edge);
}

TEST(BitmapTest, FromSortedAcceptsRepeatsAndDisorder) {
  std::mt19937 rng(9);
  std::vector<uint32_t> docs = random_sorted(rng, 5000, 0, 300000);
  std::vector<uint32_t> repeats = docs;
  repeats.insert(repeats.begin() + 100, docs[100]);  // a repeat
  expect_same_as_adding(repeats);
  std::vector<uint32_t> shuffled = docs;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  expect_same_as_adding(shuffled);
}

}  // namespace
}  // namespace comptoir::engine
