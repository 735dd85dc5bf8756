// Request id generation: a per-thread xorshift generator seeded from
// std::random_device, so ids are unique with overwhelming probability and cost
// no lock or syscall per request.
#include "http/request_id.h"

#include <cctype>
#include <cstdint>
#include <random>

namespace comptoir::http {

std::string new_request_id() {
  thread_local uint64_t state = [] {
    std::random_device rd;
    uint64_t s = (uint64_t{rd()} << 32) ^ rd();
    return s == 0 ? 0x9e3779b97f4a7c15ULL : s;
  }();
  // xorshift64*
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

bool is_acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace comptoir::http
