// Exact-then-merging t-digest (t_digest.h).
#include "engine/query/t_digest.h"

#include <algorithm>
#include <cmath>

namespace comptoir::engine {

void TDigest::add(double v) {
  if (std::isnan(v)) return;
  if (count_ == 0) {
    min_ = max_ = v;
  } else {
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }
  ++count_;
  buffer_.push_back(v);
  if (exact_) {
    if (buffer_.size() > kExactValues) {
      exact_ = false;
      compress();
    }
    return;
  }
  if (buffer_.size() >= static_cast<size_t>(5 * compression_) + 10) compress();
}

void TDigest::compress() {
  if (buffer_.empty()) return;
  std::vector<Centroid> all;
  all.reserve(centroids_.size() + buffer_.size());
  all = centroids_;
  for (double v : buffer_) all.push_back({v, 1});
  buffer_.clear();
  std::sort(all.begin(), all.end(),
            [](const Centroid& a, const Centroid& b) { return a.mean < b.mean; });
  double total = 0;
  for (const auto& c : all) total += c.weight;
  const double norm = compression_ / (2 * M_PI);
  auto k = [&](double q) { return norm * std::asin(2 * std::clamp(q, 0.0, 1.0) - 1); };
  std::vector<Centroid> merged;
  merged.reserve(static_cast<size_t>(compression_) * 2);
  double so_far = 0;
  Centroid cur = all[0];
  double k_left = k(0);
  for (size_t i = 1; i < all.size(); ++i) {
    double proposed = cur.weight + all[i].weight;
    double q_right = (so_far + proposed) / total;
    if (k(q_right) - k_left <= 1.0) {
      cur.mean += (all[i].mean - cur.mean) * all[i].weight / proposed;
      cur.weight = proposed;
    } else {
      so_far += cur.weight;
      merged.push_back(cur);
      k_left = k(so_far / total);
      cur = all[i];
    }
  }
  merged.push_back(cur);
  centroids_ = std::move(merged);
}

double TDigest::quantile(double q) {
  if (count_ == 0) return NAN;
  q = std::clamp(q, 0.0, 1.0);
  if (exact_) {
    std::sort(buffer_.begin(), buffer_.end());
    double index = q * double(buffer_.size() - 1);
    auto lo = static_cast<size_t>(std::floor(index));
    size_t hi = std::min(lo + 1, buffer_.size() - 1);
    double frac = index - double(lo);
    return buffer_[lo] + (buffer_[hi] - buffer_[lo]) * frac;
  }
  compress();
  const double total = double(count_);
  const double target = q * total;
  if (centroids_.size() == 1) return centroids_[0].mean;
  // Centroid i covers [cum_i, cum_i + w_i); its mean sits at its middle.
  double cum = 0;
  double prev_mid = 0, prev_mean = min_;
  for (size_t i = 0; i < centroids_.size(); ++i) {
    double mid = cum + centroids_[i].weight / 2;
    if (target < mid) {
      if (i == 0) {
        // Between the minimum and the first centroid's middle.
        if (mid <= 0) return centroids_[0].mean;
        return min_ + (centroids_[0].mean - min_) * (target / mid);
      }
      double span = mid - prev_mid;
      return prev_mean + (centroids_[i].mean - prev_mean) * ((target - prev_mid) / span);
    }
    prev_mid = mid;
    prev_mean = centroids_[i].mean;
    cum += centroids_[i].weight;
  }
  // Between the last centroid's middle and the maximum.
  double span = total - prev_mid;
  if (span <= 0) return max_;
  return prev_mean + (max_ - prev_mean) * ((target - prev_mid) / span);
}

}  // namespace comptoir::engine
