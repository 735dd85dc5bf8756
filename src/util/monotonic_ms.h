// monotonic_ms(): milliseconds on the steady clock, for measuring intervals (idle times,
// retry back-off) that wall-clock changes must not stretch or shrink.
#pragma once

#include <chrono>
#include <cstdint>

namespace comptoir {

inline int64_t monotonic_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace comptoir
