// SearchResponse: Elasticsearch's `_search` response shape (took, timed_out, _shards,
// hits.total {value, relation}, max_score, hits[] with _index/_id/_score/_source/sort),
// with to_es_json() and parse_search_response() for the external-cluster backend.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dsl/query.h"
#include "util/result.h"

namespace comptoir::engine {

struct SearchHit {
  std::string index;
  std::string id;
  std::optional<double> score;               // null when sorting by a field without track_scores
  std::optional<boost::json::value> source;  // absent when _source is disabled
  // Instead of `source`, the stored _source text as indexed, when the search was asked
  // for it (SearchOptions::source_text, for exports that read a few fields of many hits).
  // Not written by to_es_json().
  std::optional<std::string> source_text;
  std::vector<JsonScalar> sort;  // present when the request sorted
  bool operator==(const SearchHit&) const = default;
};

struct TotalHits {
  int64_t value = 0;
  bool gte = false;  // relation "gte" (lower bound) instead of "eq"
  bool operator==(const TotalHits&) const = default;
};

struct ShardStats {
  int64_t total = 1, successful = 1, skipped = 0, failed = 0;
  bool operator==(const ShardStats&) const = default;
};

struct SearchResponse {
  int64_t took_ms = 0;
  bool timed_out = false;
  ShardStats shards;
  std::optional<TotalHits> total;  // absent with track_total_hits: false
  std::optional<double> max_score;
  std::vector<SearchHit> hits;
  std::optional<boost::json::object> aggregations;
  bool operator==(const SearchResponse&) const = default;
};

boost::json::value to_es_json(const SearchResponse& response);
Result<SearchResponse> parse_search_response(const boost::json::value& json);

}  // namespace comptoir::engine
