// SearchRequest: the typed body of an Elasticsearch `_search` (query, sort, from/size,
// search_after, _source filtering, track_total_hits). parse_es_json() validates like ES
// (unknown keys, the 10,000 result window) and to_es_json() writes a body that parses
// back to the same request, aggregations included (aggregation.h).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dsl/aggregation.h"
#include "engine/dsl/query.h"
#include "engine/dsl/sort_and_source.h"
#include "util/result.h"

namespace comptoir::engine {

inline constexpr int64_t kMaxResultWindow = 10000;

struct TrackTotalHits {
  bool enabled = true;
  int64_t up_to = kMaxResultWindow;  // INT64_MAX for `true`
  bool specified = false;            // written back only when the user gave it
  bool operator==(const TrackTotalHits&) const = default;
};

struct SearchRequest {
  std::optional<Query> query;  // none: match_all
  int64_t from = 0;
  int64_t size = 10;
  bool from_specified = false, size_specified = false;
  std::vector<SortField> sort;  // empty: by _score desc
  std::vector<JsonScalar> search_after;
  SourceFilter source;
  bool source_specified = false;
  TrackTotalHits track_total_hits;
  bool track_scores = false;
  std::vector<Aggregation> aggregations;

  bool operator==(const SearchRequest&) const = default;
};

// Parses a `_search` body ("" or "{}" is a match_all request). Errors are DSL errors
// (dsl_error.h): parsing_exception, illegal_argument_exception, ...
Result<SearchRequest> parse_es_json(std::string_view body);
Result<SearchRequest> parse_search_request(const boost::json::value& body);
boost::json::value to_es_json(const SearchRequest& request);

// The `_count` body: {"query": ...} or empty.
Result<std::optional<Query>> parse_count_json(std::string_view body);

// Checks from/size against the 10,000 window and search_after against sort.
Status validate(const SearchRequest& request);

}  // namespace comptoir::engine
