// Sort clauses and `_source` filters: the parts of a `_search` body shared by the
// request itself and the top_hits aggregation, with their ES JSON forms and the
// _source filtering of one document.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/dsl/query.h"
#include "util/result.h"

namespace comptoir::engine {

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

// One `sort` value (a string, an object, or an array of those), appended to `out`.
Status parse_sort(const boost::json::value& v, std::vector<SortField>& out);
boost::json::array sort_to_json(const std::vector<SortField>& sort);

Status parse_source_filter(const boost::json::value& v, SourceFilter& out);
boost::json::value source_filter_to_json(const SourceFilter& filter);

// `_source` filtering of one document (dotted paths and '*' patterns).
boost::json::value filter_source(const boost::json::value& source, const SourceFilter& filter);

}  // namespace comptoir::engine
