// Finding bytes fast, for the tokenizers' inner loops. find_first_of: the first
// of up to three byte values, 16 bytes at a time (SSE2; one at a time elsewhere),
// for scans that run once (the end of a quoted string). StopFinder: the same
// question asked again and again along one text (where does each CSV field end?),
// answered from a bit mask of the stop bytes of one 64-byte block, kept between
// calls, so that a short field costs a count of trailing zeros rather than a
// vector loop and a mispredicted branch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace comptoir::ingest {

// The offset of the first of a, b, c in s[from, n), or n.
inline size_t find_first_of(const char* s, size_t from, size_t n, char a, char b, char c) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  const __m128i vc = _mm_set1_epi8(c);
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                                     _mm_cmpeq_epi8(x, vc));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < n && s[i] != a && s[i] != b && s[i] != c) ++i;
  return i;
}

class StopFinder {
 public:
  // Stops are the bytes a, b and c (none of them NUL).
  StopFinder(std::string_view text, char a, char b, char c) : text_(text), stops_{a, b, c} {}

  // Takes over the block mask `other` (a finder of the same text and stops) holds.
  void keep_block(const StopFinder& other) {
    block_ = other.block_;
    mask_ = other.mask_;
  }

  // The offset of the first stop at or after `pos`, or the text's size.
  size_t next(size_t pos) {
    for (;;) {
      const size_t block = pos & ~size_t{63};
      if (block >= text_.size()) return text_.size();
      if (block != block_) load(block);
      const uint64_t ahead = mask_ & (~uint64_t{0} << (pos - block));
      if (ahead != 0) return block + static_cast<size_t>(__builtin_ctzll(ahead));
      pos = block + 64;
    }
  }

 private:
  void load(size_t block) {
    const char* p = text_.data() + block;
    char tail[64];
    if (text_.size() - block < 64) {  // the last block, NUL-padded: NUL is no stop
      std::memset(tail, 0, sizeof(tail));
      std::memcpy(tail, p, text_.size() - block);
      p = tail;
    }
    uint64_t mask = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8(stops_[0]);
    const __m128i vb = _mm_set1_epi8(stops_[1]);
    const __m128i vc = _mm_set1_epi8(stops_[2]);
    for (int k = 0; k < 4; ++k) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
      const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                                       _mm_cmpeq_epi8(x, vc));
      mask |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(hit))) << (16 * k);
    }
#else
    for (int i = 0; i < 64; ++i) {
      if (p[i] == stops_[0] || p[i] == stops_[1] || p[i] == stops_[2]) mask |= uint64_t{1} << i;
    }
#endif
    block_ = block;
    mask_ = mask;
  }

  std::string_view text_;
  char stops_[3];
  size_t block_ = ~size_t{0};  // the block mask_ describes
  uint64_t mask_ = 0;
};

}  // namespace comptoir::ingest
