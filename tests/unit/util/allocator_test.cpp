// tune_allocator: the settings are accepted, and a freed multi-MiB block is handed out
// again without faulting its pages in anew (counted by the process's minor page faults);
// release_free_memory() can be called at any time. restart_with_huge_pages() restarts the
// process with glibc's huge-page tunable added to those it had, and does nothing when
// the tunable is set or the operator opted out.
#include "util/allocator.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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

// Run by the restarted copy of this binary only: writes the GLIBC_TUNABLES it started
// with to the file COMPTOIR_TEST_TUNABLES_OUT names.
TEST(Allocator, ReportsItsTunablesWhenRestarted) {
  const char* out = std::getenv("COMPTOIR_TEST_TUNABLES_OUT");
  if (out == nullptr) GTEST_SKIP() << "run by RestartAddsTheHugePageTunable";
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  std::ofstream(out) << (tunables != nullptr ? tunables : "(unset)");
}

// Forks, sets the child's GLIBC_TUNABLES to `before`, COMPTOIR_HUGE_PAGES to
// `huge_pages` (nullptr: unset) and LD_PRELOAD to `preload` (nullptr: as it is), has it
// call restart_with_huge_pages(), and returns what the restarted process reported, or
// "exit 3" when the child was not restarted.
std::string tunables_after_restart(const char* before, const char* huge_pages = nullptr,
                                   const char* preload = nullptr) {
  const auto out =
      std::filesystem::temp_directory_path() / ("comptoir-tunables-" + std::to_string(getpid()));
  std::filesystem::remove(out);
  const pid_t child = fork();
  if (child == 0) {
    if (before != nullptr) {
      setenv("GLIBC_TUNABLES", before, 1);
    } else {
      unsetenv("GLIBC_TUNABLES");
    }
    if (huge_pages != nullptr) {
      setenv("COMPTOIR_HUGE_PAGES", huge_pages, 1);
    } else {
      unsetenv("COMPTOIR_HUGE_PAGES");
    }
    if (preload != nullptr) setenv("LD_PRELOAD", preload, 1);
    setenv("COMPTOIR_TEST_TUNABLES_OUT", out.c_str(), 1);
    const int null = open("/dev/null", O_WRONLY);  // the restarted run's own report
    if (null >= 0) dup2(null, STDOUT_FILENO);
    char self[] = "comptoir_unit_tests";
    char filter[] = "--gtest_filter=Allocator.ReportsItsTunablesWhenRestarted";
    char* argv[] = {self, filter, nullptr};
    restart_with_huge_pages(argv);
    _exit(3);  // it returned: no restart
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "exit " + std::to_string(WEXITSTATUS(status));
  std::ostringstream text;
  text << std::ifstream(out).rdbuf();
  std::filesystem::remove(out);
  return text.str();
}

TEST(Allocator, RestartAddsTheHugePageTunable) {
  EXPECT_EQ(tunables_after_restart(nullptr), "glibc.malloc.hugetlb=1");
  // The operator's own tunables stay.
  EXPECT_EQ(tunables_after_restart("glibc.malloc.tcache_count=9"),
            "glibc.malloc.tcache_count=9:glibc.malloc.hugetlb=1");
  // Whoever set the tunable decided: no restart.
  EXPECT_EQ(tunables_after_restart("glibc.malloc.hugetlb=0"), "exit 3");
}

TEST(Allocator, NoRestartWhenOptedOut) {
  EXPECT_EQ(tunables_after_restart(nullptr, "0"), "exit 3");
  EXPECT_EQ(tunables_after_restart(nullptr, "1"), "glibc.malloc.hugetlb=1");
  // Nor under valgrind, whose tool the restarted process would leave.
  EXPECT_EQ(tunables_after_restart(nullptr, nullptr,
                                   "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so"),
            "exit 3");
}

}  // namespace
}  // namespace comptoir
