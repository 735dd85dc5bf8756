// Exact-then-HyperLogLog distinct counting (cardinality_counter.h).
#include "engine/query/cardinality_counter.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace comptoir::engine {

namespace {

uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

}  // namespace

uint64_t hash_bytes(std::string_view bytes) {
  // FNV-1a over the bytes, then the MurmurHash3 finaliser for avalanche.
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return fmix64(h ^ bytes.size());
}

uint64_t hash_int(uint64_t v) {
  return fmix64(v + 0x9E3779B97F4A7C15ull);
}

void CardinalityCounter::add_hash(uint64_t h) {
  if (!registers_.empty()) {
    add_to_sketch(h);
    return;
  }
  if (h == 0) h = 1;
  if (2 * (size_ + 1) > table_.size()) grow_table(table_.empty() ? 16 : table_.size() * 2);
  const size_t mask = table_.size() - 1;
  size_t i = static_cast<size_t>(h) & mask;
  while (table_[i] != 0) {
    if (table_[i] == h) return;
    i = (i + 1) & mask;
  }
  table_[i] = h;
  if (++size_ > threshold_) to_sketch();
}

void CardinalityCounter::grow_table(size_t slots) {
  std::vector<uint64_t> old = std::move(table_);
  table_.assign(slots, 0);
  const size_t mask = table_.size() - 1;
  for (uint64_t x : old) {
    if (x == 0) continue;
    size_t i = static_cast<size_t>(x) & mask;
    while (table_[i] != 0) i = (i + 1) & mask;
    table_[i] = x;
  }
}

void CardinalityCounter::reserve_distinct(uint64_t more) {
  if (!registers_.empty()) return;
  if (more > threshold_) {
    to_sketch();
    return;
  }
  const uint64_t want = std::min(size_ + more, threshold_ + 1);
  if (2 * want > table_.size()) grow_table(std::bit_ceil(2 * want));
}

void CardinalityCounter::to_sketch() {
  registers_.assign(size_t{1} << kPrecision, 0);
  for (uint64_t h : table_)
    if (h != 0) add_to_sketch(h);
  table_ = {};
  size_ = 0;
}

void CardinalityCounter::add_to_sketch(uint64_t h) {
  uint32_t index = static_cast<uint32_t>(h >> (64 - kPrecision));
  uint64_t rest = (h << kPrecision) | (uint64_t{1} << (kPrecision - 1));
  auto rank = static_cast<uint8_t>(std::countl_zero(rest) + 1);
  if (rank > registers_[index]) registers_[index] = rank;
}

uint64_t CardinalityCounter::estimate() const {
  if (registers_.empty()) return size_;
  const double m = double(registers_.size());
  double sum = 0;
  size_t zeros = 0;
  for (uint8_t r : registers_) {
    sum += std::ldexp(1.0, -int(r));
    if (r == 0) ++zeros;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double e = alpha * m * m / sum;
  if (e <= 2.5 * m && zeros > 0) e = m * std::log(m / double(zeros));  // linear counting
  return static_cast<uint64_t>(std::llround(e));
}

}  // namespace comptoir::engine
