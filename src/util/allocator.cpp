// tune_allocator() and release_free_memory() with glibc's mallopt and malloc_trim.
#include "util/allocator.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

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

void restart_with_huge_pages(char** argv) {
  constexpr const char* kTunable = "glibc.malloc.hugetlb=1";
  const char* opt = std::getenv("COMPTOIR_HUGE_PAGES");
  if (opt != nullptr && std::strcmp(opt, "0") == 0) return;
  // Under valgrind the restarted process would leave the tool (it follows no exec by
  // default), and its allocator replaces glibc's anyway.
  const char* preload = std::getenv("LD_PRELOAD");
  if (preload != nullptr && std::strstr(preload, "vgpreload") != nullptr) return;
  const char* set = std::getenv("GLIBC_TUNABLES");
  // Set already (by us before the restart, or by whoever started us, either way): as is.
  if (set != nullptr && std::strstr(set, "glibc.malloc.hugetlb") != nullptr) return;
  const std::optional<std::string> tunables =
      set != nullptr ? std::optional<std::string>(set) : std::nullopt;
  const std::string value =
      tunables && !tunables->empty() ? *tunables + ":" + kTunable : std::string(kTunable);
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  // Constructors of the libraries have run already, and exec skips their destructors:
  // libmongoc's automatic init made a shared-memory segment for its counters, named after
  // the pid, which its cleanup would have removed. The restarted process makes it again.
  const std::string counters = "/mongoc-" + std::to_string(getpid());
  shm_unlink(counters.c_str());
  execv("/proc/self/exe", argv);
  // Still here: the exec failed. Carry on with the usual pages, and leave the variable as
  // it was for the processes this one starts.
  if (tunables) {
    setenv("GLIBC_TUNABLES", tunables->c_str(), 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}

void release_free_memory() {
  malloc_trim(0);
}

}  // namespace comptoir
