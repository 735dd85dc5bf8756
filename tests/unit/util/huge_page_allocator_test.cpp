// HugePageAllocator: small blocks come from the ordinary allocator, blocks of 2 MiB and
// more are 2 MiB-aligned; a vector on it grows across the threshold and back with its
// values intact.
#include "util/huge_page_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace comptoir {
namespace {

TEST(HugePageAllocator, LargeBlocksAreAlignedToHugePages) {
  HugePageAllocator<uint64_t> alloc;
  const size_t n = kHugePageBytes / sizeof(uint64_t) + 1;  // just past 2 MiB
  uint64_t* p = alloc.allocate(n);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePageBytes, 0u);
  p[0] = 1;
  p[n - 1] = 2;  // the whole block is usable
  EXPECT_EQ(p[0] + p[n - 1], 3u);
  alloc.deallocate(p, n);

  uint64_t* small = alloc.allocate(16);
  ASSERT_NE(small, nullptr);
  small[15] = 7;
  EXPECT_EQ(small[15], 7u);
  alloc.deallocate(small, 16);
}

TEST(HugePageAllocator, VectorsKeepTheirValuesAcrossTheThreshold) {
  std::vector<uint32_t, HugePageAllocator<uint32_t>> v;
  for (uint32_t i = 0; i < 3'000'000; ++i) v.push_back(i * 7);  // grows past 2 MiB
  for (uint32_t i = 0; i < v.size(); i += 99'991) ASSERT_EQ(v[i], i * 7);
  v.resize(100);
  v.shrink_to_fit();  // back below it
  EXPECT_EQ(v[99], 99u * 7);
}

}  // namespace
}  // namespace comptoir
