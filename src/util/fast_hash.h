// fast_hash: a 64-bit hash of short byte strings (terms, field paths) for in-memory hash
// tables on indexing's hot path, several times cheaper than std::hash's for the 2-20
// byte keys they hold. Multiply-fold mixing as in wyhash; never persisted, so the values
// may change between versions. Not for hostile keys that aim at collisions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace comptoir {

namespace fast_hash_detail {

inline uint64_t mix(uint64_t a, uint64_t b) {
  const __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
inline uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline constexpr uint64_t kSeed0 = 0xa0761d6478bd642full;
inline constexpr uint64_t kSeed1 = 0xe7037ed1a0b428dbull;

}  // namespace fast_hash_detail

inline uint64_t fast_hash(const char* p, size_t n) {
  using namespace fast_hash_detail;
  uint64_t a = 0, b = 0, seed = kSeed0;
  if (n <= 16) {
    if (n >= 8) {
      a = load64(p);
      b = load64(p + n - 8);
    } else if (n >= 4) {
      a = load32(p);
      b = load32(p + n - 4);
    } else if (n > 0) {
      const auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(p[i])); };
      a = byte(0) << 16 | byte(n >> 1) << 8 | byte(n - 1);
    }
  } else {
    size_t left = n;
    const char* q = p;
    while (left > 16) {
      seed = mix(load64(q) ^ kSeed1, load64(q + 8) ^ seed);
      q += 16;
      left -= 16;
    }
    // The last 16 bytes, overlapping what was mixed already when n is not a multiple.
    a = load64(p + n - 16);
    b = load64(p + n - 8);
  }
  return mix(kSeed1 ^ n, mix(a ^ kSeed1, b ^ seed));
}

inline uint64_t fast_hash(std::string_view s) {
  return fast_hash(s.data(), s.size());
}

// For unordered containers keyed by strings (transparent: string_view lookups).
struct FastStringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return fast_hash(s); }
};

}  // namespace comptoir
