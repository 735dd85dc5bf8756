// tune_allocator: the settings are accepted, and a freed multi-MiB block is handed out
// again without faulting its pages in anew (counted by the process's minor page faults);
// release_free_memory() can be called at any time.
#include "util/allocator.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdlib>
#include <cstring>

namespace comptoir {
namespace {

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Allocates, writes every page of, and frees a block of `bytes`.
void touch_block(size_t bytes) {
  char* p = static_cast<char*>(std::malloc(bytes));
  ASSERT_NE(p, nullptr);
  std::memset(p, 1, bytes);
  asm volatile("" : : "r"(p) : "memory");  // the writes and the free stay
  std::free(p);
}

TEST(Allocator, FreedLargeBlocksAreReusedWithoutPageFaults) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer brings its own allocator";
#endif
  ASSERT_TRUE(tune_allocator());
  constexpr size_t kBytes = 8 << 20;  // 2,048 pages; glibc's default mmaps it each time
  touch_block(kBytes);
  const long before = minor_faults();
  touch_block(kBytes);
  EXPECT_LT(minor_faults() - before, 64);
  release_free_memory();
  touch_block(kBytes);  // still usable after the memory went back
}

}  // namespace
}  // namespace comptoir
