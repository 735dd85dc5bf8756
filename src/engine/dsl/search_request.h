// SearchRequest: the typed body of an Elasticsearch `_search` (query, sort, from/size,
// search_after, _source filtering, track_total_hits). parse_es_json() validates like ES
// (unknown keys, the 10,000 result window) and to_es_json() writes a body that parses
// back to the same request. Aggregations are kept as raw JSON until they are typed.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dsl/query.h"
#include "util/result.h"

namespace comptoir::engine {

inline constexpr int64_t kMaxResultWindow = 10000;

enum class SortOrder { kAsc, kDesc };

struct SortField {
  std::string field;               // a field name, "_score" or "_doc"
  std::optional<SortOrder> order;  // default: desc for _score, asc otherwise
  JsonScalar missing;              // "_last" (default), "_first", or a value
  std::optional<std::string> unmapped_type;
  std::optional<std::string> format;
  std::optional<std::string> mode;  // min | max | avg | sum | median

  SortOrder effective_order() const {
    return order.value_or(field == "_score" ? SortOrder::kDesc : SortOrder::kAsc);
  }
  bool missing_first() const;  // where docs without a value go, for this order
  bool operator==(const SortField&) const = default;
};

struct SourceFilter {
  bool fetch = true;
  std::vector<std::string> includes, excludes;  // patterns with '*'
  bool operator==(const SourceFilter&) const = default;
};

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
  std::optional<boost::json::object> aggregations;  // raw until typed

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

// `_source` filtering of one document (dotted paths and '*' patterns).
boost::json::value filter_source(const boost::json::value& source, const SourceFilter& filter);

}  // namespace comptoir::engine
