// random_hex_id(): see random_id.h.
#include "util/random_id.h"

#include <cstdint>
#include <random>

namespace comptoir {

std::string random_hex_id() {
  thread_local uint64_t state = [] {
    std::random_device rd;
    const uint64_t s = (uint64_t{rd()} << 32) ^ rd();
    return s == 0 ? 0x9e3779b97f4a7c15ULL : s;
  }();
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  uint64_t v = state * 0x2545F4914F6CDD1DULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i) {
    id[static_cast<size_t>(i)] = kHex[v & 15];
    v >>= 4;
  }
  return id;
}

}  // namespace comptoir
