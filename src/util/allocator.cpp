// tune_allocator() and release_free_memory() with glibc's mallopt and malloc_trim.
#include "util/allocator.h"

#include <malloc.h>

namespace comptoir {

bool tune_allocator() {
  constexpr int kMmapThreshold = 32 << 20;  // glibc's upper bound for this setting
  constexpr int kTrimThreshold = 1 << 30;
  constexpr int kTopPad = 16 << 20;  // heaps grow by this much more than asked
  bool ok = mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1;
  ok = mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1 && ok;
  ok = mallopt(M_TOP_PAD, kTopPad) == 1 && ok;
  return ok;
}

void release_free_memory() {
  malloc_trim(0);
}

}  // namespace comptoir
