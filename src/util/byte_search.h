// Finding the first of a few byte values in text sixteen bytes at a time with SSE2,
// else eight at a time (SWAR: a word's bytes tested at once with integer arithmetic),
// for the scans that look at every byte of an export (JSON strings, CSV cells). The
// classic "has a zero byte" test flags a byte of the word for each match; it may also
// flag bytes above a real match, never below one, so the lowest flag of a little-endian
// load is exact.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace comptoir {

namespace byte_search {

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHighs = 0x8080808080808080ULL;

// The high bit of each byte of `word` that is zero (exact for the lowest one).
constexpr uint64_t zero_bytes(uint64_t word) {
  return (word - kOnes) & ~word & kHighs;
}

}  // namespace byte_search

// The first byte of [p, end) equal to one of `kBytes`, or below 0x20 when `kControls`;
// `end` when there is none.
template <bool kControls, char... kBytes>
const char* find_byte(const char* p, const char* end) {
  using namespace byte_search;
#if defined(__SSE2__)
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hits = _mm_setzero_si128();
    ((hits = _mm_or_si128(hits, _mm_cmpeq_epi8(v, _mm_set1_epi8(kBytes)))), ...);
    if constexpr (kControls) {  // v <= 0x1F, unsigned
      const __m128i top = _mm_set1_epi8(0x1F);
      hits = _mm_or_si128(hits, _mm_cmpeq_epi8(_mm_max_epu8(v, top), top));
    }
    if (const int bits = _mm_movemask_epi8(hits); bits != 0)
      return p + std::countr_zero(static_cast<unsigned>(bits));
    p += 16;
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      uint64_t flags = (zero_bytes(word ^ (kOnes * static_cast<uint8_t>(kBytes))) | ... | 0);
      if constexpr (kControls) flags |= (word - kOnes * 0x20) & ~word & kHighs;
      if (flags != 0) return p + std::countr_zero(flags) / 8;
      p += 8;
    }
  }
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (((c == static_cast<unsigned char>(kBytes)) || ...) || (kControls && c < 0x20)) return p;
  }
  return end;
}

}  // namespace comptoir
