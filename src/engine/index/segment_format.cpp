// CRC32C and norm encoding shared by the on-disk formats (see segment_format.h).
#include "engine/index/segment_format.h"

#include <array>

namespace comptoir::engine {

namespace {

std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (0x82F63B78u ^ (c >> 1)) : (c >> 1);
    t[i] = c;
  }
  return t;
}

int long_to_int4(uint64_t i) {
  int num_bits = 64 - __builtin_clzll(i | 1);
  if (i == 0) num_bits = 0;
  if (num_bits < 4) return static_cast<int>(i);
  int shift = num_bits - 4;
  int encoded = static_cast<int>(i >> shift) & 0x07;
  encoded |= (shift + 1) << 3;
  return encoded;
}

uint64_t int4_to_long(int i) {
  uint64_t bits = static_cast<uint64_t>(i & 0x07);
  int shift = (i >> 3) - 1;
  return shift == -1 ? bits : (bits | 0x08) << shift;
}

constexpr int kMaxInt4 = 231;  // long_to_int4(INT32_MAX)
constexpr int kNumFreeValues = 255 - kMaxInt4;

}  // namespace

#if defined(__x86_64__)
static __attribute__((target("sse4.2"))) uint32_t crc32c_hw(const void* data, size_t n,
                                                            uint32_t crc) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t c = ~crc;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c = __builtin_ia32_crc32di(c, v);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  while (n-- > 0) c32 = __builtin_ia32_crc32qi(c32, *p++);
  return ~c32;
}
#endif

uint32_t crc32c(const void* data, size_t n, uint32_t crc) {
#if defined(__x86_64__)
  static const bool hw = __builtin_cpu_supports("sse4.2");
  if (hw) return crc32c_hw(data, n, crc);
#endif
  static const std::array<uint32_t, 256> table = make_crc_table();
  const auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
  while (n-- > 0) crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

uint8_t encode_norm(uint32_t i) {
  if (i < static_cast<uint32_t>(kNumFreeValues)) return static_cast<uint8_t>(i);
  return static_cast<uint8_t>(kNumFreeValues + long_to_int4(i - kNumFreeValues));
}

uint32_t decode_norm(uint8_t b) {
  int i = b;
  if (i < kNumFreeValues) return static_cast<uint32_t>(i);
  return static_cast<uint32_t>(kNumFreeValues + int4_to_long(i - kNumFreeValues));
}

}  // namespace comptoir::engine
