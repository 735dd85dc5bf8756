// tune_allocator(): the process's malloc settings for a long-running server. glibc's
// defaults give memory back to the kernel as soon as a heap's free top passes 128 KiB
// (trimming) and serve every block over 128 KiB by its own mmap; an upload or a refresh
// allocates and frees tens of MiB, so each one faulted its pages in again (page faults
// and page clearing were ~8% of the CPU of a 1 MiB upload). Kept memory is reused by the
// next request; release_free_memory() hands it back when the process is idle.
#pragma once

namespace comptoir {

// Keeps freed memory for reuse: blocks up to 32 MiB come from the heaps, and heaps are
// trimmed only beyond 1 GiB of free top. Call once, first thing in main(). Returns false
// if the C library refused a setting (the defaults then stay; nothing else changes).
bool tune_allocator();

// Restarts the process in place (execv of /proc/self/exe: same pid, arguments and
// environment) with glibc's malloc told to back its heaps with transparent huge pages
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1; Debian's kernels give huge pages only to
// memory advised so). Indexing looks terms up at random in hash tables of tens of MiB:
// with 4 KiB pages nearly every lookup misses the TLB too, and the 10M-document engine
// bench on one core ran 5% faster on huge pages. Returns only when it does not restart:
// the tunable is already in effect, COMPTOIR_HUGE_PAGES=0 opts out, the process runs
// under valgrind, or exec failed.
// Call first thing in main(), before any thread starts.
void restart_with_huge_pages(char** argv);

// Returns free heap memory to the kernel (malloc_trim).
void release_free_memory();

}  // namespace comptoir
