// BM25 as Lucene 9 computes it (Elasticsearch's default similarity): k1 = 1.2, b = 0.75,
// idf = ln(1 + (N - df + 0.5) / (df + 0.5)), score = boost * idf * tf / (tf + k1 * (1 - b +
// b * dl / avgdl)), in float; dl is the norm-decoded field length (1 without norms).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace comptoir::engine {

inline constexpr float kBm25K1 = 1.2f;
inline constexpr float kBm25B = 0.75f;

inline float bm25_idf(uint64_t doc_freq, uint64_t doc_count) {
  return static_cast<float>(
      std::log(1.0 + (double(doc_count) - double(doc_freq) + 0.5) / (double(doc_freq) + 0.5)));
}

inline float bm25_tf_norm(float tf, float dl, float avgdl) {
  float norm = kBm25K1 * ((1 - kBm25B) + kBm25B * dl / avgdl);
  return tf / (tf + norm);
}

// A float score as the shortest decimal double (0.2876821 rather than 0.28768208622...).
inline double score_to_double(float f) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
  *end = '\0';
  return std::strtod(buf, nullptr);
}

}  // namespace comptoir::engine
