// CPU time for the scenarios' figures: of the calling thread (a parser measured alone, a
// generator's share to leave out) and of the whole process (every thread of an ingest).
#pragma once

#include <sys/resource.h>

#include <ctime>

namespace comptoir::bench {

// CPU seconds the calling thread has used.
inline double thread_cpu_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CPU seconds the process has used (all threads, user + system).
inline double process_cpu_seconds() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

}  // namespace comptoir::bench
