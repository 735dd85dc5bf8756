// What the Cache implementations share: the human byte format of Redis's INFO
// (used_memory_human), so both backends report memory the same way.
#include "backends/cache/cache.h"

#include <fmt/format.h>

namespace comptoir {

std::string format_human_bytes(uint64_t bytes) {
  constexpr const char* kUnits[] = {"K", "M", "G", "T", "P"};
  if (bytes < 1024) return fmt::format("{}B", bytes);
  double value = static_cast<double>(bytes) / 1024.0;
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.2f}{}", value, kUnits[unit]);
}

}  // namespace comptoir
