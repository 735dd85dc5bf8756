// Query execution on one segment: build_match() turns a query tree into a tree of
// MatchNodes, each holding the bitmap of the docs it matches (filters are pure bitmap
// algebra; numeric/date ranges are column scans skipped or short-cut by the segment's
// min/max), and MatchNode::score() computes the BM25 score of a matching doc.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/dsl/query.h"
#include "engine/index/snapshot.h"
#include "engine/query/bitmap.h"
#include "util/result.h"

namespace comptoir::engine {

// Per-search, per-index state: BM25 statistics summed over the snapshot's segments
// (as Lucene does per shard), and the clock for date math.
class QueryContext {
 public:
  QueryContext(const IndexSnapshot& snapshot, int64_t now_ms)
      : snapshot_(snapshot), now_ms_(now_ms) {}
  const IndexSnapshot& snapshot() const { return snapshot_; }
  const Mapping& mapping() const { return *snapshot_.mapping; }
  int64_t now_ms() const { return now_ms_; }
  float idf(const std::string& field, std::string_view term);
  float avgdl(const std::string& field);

 private:
  const IndexSnapshot& snapshot_;
  int64_t now_ms_;
  std::map<std::pair<std::string, std::string>, float> idf_cache_;
  std::map<std::string, float> avgdl_cache_;
};

struct MatchNode {
  enum class Kind { kConst, kTerm, kBool, kDisMax };
  Kind kind = Kind::kConst;
  Bitmap docs;
  float boost = 1.0f;
  // kTerm
  const FieldReader* field = nullptr;
  Postings postings;
  float weight = 0, avgdl = 1;
  // kBool: scoring clauses (must: always match; should: when they contain the doc)
  std::vector<MatchNode> must, should;
  // kDisMax
  std::vector<MatchNode> children;
  float tie_breaker = 0;

  float score(uint32_t doc) const;
  // kTerm: the score of `doc` given its term frequency.
  float term_score(uint32_t doc, uint32_t tf) const { return term_score_at(tf, field->norm(doc)); }
  // kTerm: the score for a term frequency and a norm byte; not above it for any longer
  // field (floating-point operations keep the order).
  float term_score_at(uint32_t tf, uint8_t norm) const;
  // kTerm: term_score() of a doc with frequency 1, by the doc's norm byte.
  std::array<float, 256> tf1_scores() const;
};

Result<MatchNode> build_match(const Query& query, const SegmentView& segment, QueryContext& ctx);

}  // namespace comptoir::engine
