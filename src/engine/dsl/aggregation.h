// The typed aggregation tree of a `_search` request (ES-COMPAT.md §5): bucket
// aggregations (terms, date_histogram, histogram, range, date_range, filters, filter,
// missing) that may hold sub-aggregations to any depth, and metrics (sum, avg, min, max,
// value_count, stats, cardinality, percentiles, top_hits). parse_aggregations() validates
// like Elasticsearch 8 (the removed `interval` of date_histogram is an error);
// to_es_json() writes a body that parses back to the same tree.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/dsl/query.h"
#include "engine/dsl/sort_and_source.h"
#include "util/result.h"

namespace comptoir::engine {

// A bucket order: "_count", "_key", or a sub-aggregation path ("revenue", "stats.avg").
struct BucketOrder {
  std::string key;
  SortOrder order = SortOrder::kDesc;
  bool operator==(const BucketOrder&) const = default;
};

struct TermsAgg {
  std::string field;
  int64_t size = 10;
  std::optional<int64_t> shard_size;
  int64_t min_doc_count = 1;
  std::vector<BucketOrder> order;  // empty: _count desc, then _key asc
  JsonScalar missing;
  std::optional<std::string> include_regex, exclude_regex;
  std::vector<std::string> include_values, exclude_values;
  std::optional<std::string> format;
  bool operator==(const TermsAgg&) const = default;
};

enum class CalendarUnit { kMinute, kHour, kDay, kWeek, kMonth, kQuarter, kYear };

struct DateHistogramAgg {
  std::string field;
  std::optional<CalendarUnit> calendar_interval;
  int64_t fixed_interval_ms = 0;  // when fixed_interval is used
  std::string interval_text;      // as written ("1d", "month", "90m")
  std::string time_zone;          // "" = UTC
  int64_t offset_ms = 0;
  std::string offset_text;
  int64_t min_doc_count = 0;
  JsonScalar extended_min, extended_max;  // extended_bounds (dates or date math)
  JsonScalar hard_min, hard_max;          // hard_bounds
  std::optional<std::string> format;
  JsonScalar missing;
  std::vector<BucketOrder> order;  // empty: _key asc
  bool keyed = false;
  bool operator==(const DateHistogramAgg&) const = default;
};

struct HistogramAgg {
  std::string field;
  double interval = 0;
  double offset = 0;
  int64_t min_doc_count = 0;
  std::optional<double> extended_min, extended_max;
  JsonScalar missing;
  std::vector<BucketOrder> order;  // empty: _key asc
  bool keyed = false;
  bool operator==(const HistogramAgg&) const = default;
};

struct RangeBucketSpec {
  std::optional<std::string> key;
  JsonScalar from, to;  // numbers, or dates / date math for date_range
  bool operator==(const RangeBucketSpec&) const = default;
};

struct RangeAgg {
  bool dates = false;  // date_range
  std::string field;
  std::vector<RangeBucketSpec> ranges;
  bool keyed = false;
  std::optional<std::string> format;  // date_range
  std::string time_zone;              // date_range
  JsonScalar missing;
  bool operator==(const RangeAgg&) const = default;
};

struct FiltersAgg {
  bool keyed = true;  // named filters (object) vs anonymous (array)
  std::vector<std::pair<std::string, Query>> filters;
  bool other_bucket = false;
  std::string other_bucket_key;  // "" = "_other_"
  bool operator==(const FiltersAgg&) const = default;
};

struct FilterAgg {
  Query filter;
  bool operator==(const FilterAgg&) const = default;
};

struct MissingAgg {
  std::string field;
  bool operator==(const MissingAgg&) const = default;
};

enum class MetricKind { kSum, kAvg, kMin, kMax, kValueCount, kStats };

struct MetricAgg {
  MetricKind kind = MetricKind::kSum;
  std::string field;
  JsonScalar missing;
  std::optional<std::string> format;
  bool operator==(const MetricAgg&) const = default;
};

inline constexpr int64_t kDefaultPrecisionThreshold = 3000;
inline constexpr int64_t kMaxPrecisionThreshold = 40000;

struct CardinalityAgg {
  std::string field;
  int64_t precision_threshold = kDefaultPrecisionThreshold;
  bool threshold_specified = false;
  JsonScalar missing;
  bool operator==(const CardinalityAgg&) const = default;
};

struct PercentilesAgg {
  std::string field;
  std::vector<double> percents{1, 5, 25, 50, 75, 95, 99};
  bool percents_specified = false;
  bool keyed = true;
  double compression = 100;
  JsonScalar missing;
  bool operator==(const PercentilesAgg&) const = default;
};

struct TopHitsAgg {
  int64_t from = 0;
  int64_t size = 3;
  std::vector<SortField> sort;  // empty: by score (ties by index order)
  SourceFilter source;
  bool source_specified = false;
  bool operator==(const TopHitsAgg&) const = default;
};

using AggBody =
    std::variant<TermsAgg, DateHistogramAgg, HistogramAgg, RangeAgg, FiltersAgg, FilterAgg,
                 MissingAgg, MetricAgg, CardinalityAgg, PercentilesAgg, TopHitsAgg>;

struct Aggregation {
  std::string name;
  AggBody body;
  std::vector<Aggregation> subs;
  std::optional<boost::json::object> meta;  // echoed back in the response

  std::string_view type_name() const;  // "terms", "date_histogram", "sum", ...
  bool is_bucket() const;
  bool operator==(const Aggregation&) const = default;
};

// The value of `"aggs"`: {name: {type: {...}, "aggs": {...}, "meta": {...}}}.
Result<std::vector<Aggregation>> parse_aggregations(const boost::json::value& json);
boost::json::object to_es_json(const std::vector<Aggregation>& aggs);

// A double as Java's Double.toString writes it, as ES does in range keys and percentile
// names: "100.0", "99.9", "1.0E7".
std::string java_double_text(double v);

}  // namespace comptoir::engine
