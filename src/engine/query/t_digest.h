// TDigest: the percentile sketch of the percentiles aggregation. It keeps every value
// while there are at most kExactValues of them (percentiles are then exact, linear
// interpolation between closest ranks, as Elasticsearch 8.9+ is for small samples),
// then becomes a merging t-digest (Dunning) with the arcsine scale function:
// centroids are small at the tails, so extreme percentiles stay accurate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace comptoir::engine {

class TDigest {
 public:
  static constexpr size_t kExactValues = 2000;

  explicit TDigest(double compression = 100) : compression_(compression) {}

  void add(double v);
  uint64_t count() const { return count_; }
  // q in [0, 1]; NaN when empty.
  double quantile(double q);

 private:
  struct Centroid {
    double mean;
    double weight;
  };
  void compress();

  double compression_;
  uint64_t count_ = 0;
  double min_ = 0, max_ = 0;
  bool exact_ = true;
  std::vector<double> buffer_;       // unmerged values (all of them while exact)
  std::vector<Centroid> centroids_;  // sorted by mean
};

}  // namespace comptoir::engine
