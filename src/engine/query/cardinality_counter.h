// CardinalityCounter: the distinct-value counter of the cardinality aggregation, as
// Elasticsearch's HyperLogLog++: a set of 64-bit value hashes, exact (up to hash
// collisions) while it holds at most `threshold` values, then a HyperLogLog sketch of
// 2^14 registers (standard error about 0.8%) with linear counting for small estimates.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace comptoir::engine {

// 64-bit hashes of the values counted (MurmurHash3's finaliser over the bytes).
uint64_t hash_bytes(std::string_view bytes);
uint64_t hash_int(uint64_t v);

class CardinalityCounter {
 public:
  explicit CardinalityCounter(uint64_t threshold = 3000) : threshold_(threshold) {}

  void add_hash(uint64_t h);
  // About to add up to `more` hashes known to be distinct among themselves: sizes the
  // set once, or turns to the sketch at once when they alone pass the threshold (the
  // registers are the same as when the set overflows on the way).
  void reserve_distinct(uint64_t more);
  uint64_t estimate() const;
  bool exact() const { return registers_.empty(); }

 private:
  static constexpr int kPrecision = 14;
  void to_sketch();
  void grow_table(size_t slots);
  void add_to_sketch(uint64_t h);

  uint64_t threshold_;
  // Exact mode: an open-addressing set of hashes (0 marks an empty slot; a zero hash
  // is stored as 1), grown at half load.
  std::vector<uint64_t> table_;
  uint64_t size_ = 0;
  std::vector<uint8_t> registers_;  // empty while exact
};

}  // namespace comptoir::engine
