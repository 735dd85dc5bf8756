// SearchRequest <-> Elasticsearch `_search` JSON and validation.
#include "engine/dsl/search_request.h"

#include "engine/dsl/dsl_error.h"
#include "engine/dsl/query_json.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

Result<int64_t> get_int(const json::value& v, std::string_view name) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.get_uint64());
  if (v.is_double() && v.get_double() == static_cast<double>(static_cast<int64_t>(v.get_double())))
    return static_cast<int64_t>(v.get_double());
  if (v.is_string()) {
    try {
      size_t used = 0;
      std::string s(v.get_string());
      int64_t n = std::stoll(s, &used);
      if (used == s.size()) return n;
    } catch (...) {
    }
  }
  return dsl_error("parsing_exception", "[" + std::string(name) + "] must be an integer");
}

}  // namespace

Result<SearchRequest> parse_search_request(const json::value& body) {
  SearchRequest r;
  if (body.is_null()) return r;
  if (!body.is_object()) return dsl_error("parsing_exception", "request body must be an object");
  for (const auto& kv : body.get_object()) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "query") {
      auto q = parse_query(v);
      if (!q) return q.error();
      r.query = std::move(*q);
    } else if (k == "from") {
      auto n = get_int(v, k);
      if (!n) return n.error();
      r.from = *n;
      r.from_specified = true;
    } else if (k == "size") {
      auto n = get_int(v, k);
      if (!n) return n.error();
      r.size = *n;
      r.size_specified = true;
    } else if (k == "sort") {
      COMPTOIR_TRY(parse_sort(v, r.sort));
    } else if (k == "search_after") {
      if (!v.is_array()) return dsl_error("parsing_exception", "[search_after] must be an array");
      for (const auto& item : v.get_array()) {
        auto s = scalar_from_json(item);
        if (!s) return s.error();
        r.search_after.push_back(std::move(*s));
      }
    } else if (k == "_source") {
      COMPTOIR_TRY(parse_source_filter(v, r.source));
      r.source_specified = true;
    } else if (k == "track_total_hits") {
      r.track_total_hits.specified = true;
      if (v.is_bool()) {
        r.track_total_hits.enabled = v.get_bool();
        r.track_total_hits.up_to = v.get_bool() ? INT64_MAX : 0;
      } else {
        auto n = get_int(v, k);
        if (!n) return n.error();
        if (*n < -1)
          return dsl_error("illegal_argument_exception",
                           "[track_total_hits] parameter must be positive or equals to -1, got " +
                               std::to_string(*n));
        r.track_total_hits.up_to = *n == -1 ? INT64_MAX : *n;
      }
    } else if (k == "track_scores") {
      if (!v.is_bool()) return dsl_error("parsing_exception", "[track_scores] must be a boolean");
      r.track_scores = v.get_bool();
    } else if (k == "aggs" || k == "aggregations") {
      auto aggs = parse_aggregations(v);
      if (!aggs) return aggs.error();
      r.aggregations = std::move(*aggs);
    } else if (k == "timeout" || k == "version" || k == "seq_no_primary_term" || k == "explain" ||
               k == "stored_fields" || k == "min_score" || k == "highlight") {
      // accepted, no effect
    } else {
      return dsl_error("parsing_exception", "Unknown key for a " +
                                                std::string(v.is_object()  ? "START_OBJECT"
                                                            : v.is_array() ? "START_ARRAY"
                                                                           : "VALUE_STRING") +
                                                " in [" + std::string(k) + "].");
    }
  }
  COMPTOIR_TRY(validate(r));
  return r;
}

Result<SearchRequest> parse_es_json(std::string_view body) {
  size_t i = 0;
  while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
  if (i == body.size()) return SearchRequest{};
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec)
    return dsl_error("parsing_exception", "failed to parse the request body: " + ec.message());
  return parse_search_request(v);
}

Result<std::optional<Query>> parse_count_json(std::string_view body) {
  size_t i = 0;
  while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
  if (i == body.size()) return std::optional<Query>{};
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec)
    return dsl_error("parsing_exception", "failed to parse the request body: " + ec.message());
  if (!v.is_object()) return dsl_error("parsing_exception", "request body must be an object");
  std::optional<Query> out;
  for (const auto& kv : v.get_object()) {
    if (kv.key() != "query")
      return dsl_error("parsing_exception",
                       "request does not support [" + std::string(kv.key()) + "]");
    auto q = parse_query(kv.value());
    if (!q) return q.error();
    out = std::move(*q);
  }
  return out;
}

Status validate(const SearchRequest& r) {
  if (r.from < 0)
    return dsl_error("illegal_argument_exception",
                     "[from] parameter cannot be negative, found [" + std::to_string(r.from) + "]");
  if (r.size < 0)
    return dsl_error("illegal_argument_exception",
                     "[size] parameter cannot be negative, found [" + std::to_string(r.size) + "]");
  if (r.from + r.size > kMaxResultWindow)
    return dsl_error(
        "search_phase_execution_exception",
        "Result window is too large, from + size must be less than or equal to: [10000] but was [" +
            std::to_string(r.from + r.size) +
            "]. See the scroll api for a more efficient way to request large data sets. This limit "
            "can be set by changing the [index.max_result_window] index level setting.");
  if (!r.search_after.empty()) {
    if (r.from > 0)
      return dsl_error("illegal_argument_exception",
                       "[from] parameter must be set to 0 when [search_after] is used");
    size_t sort_len = r.sort.empty() ? 1 : r.sort.size();
    if (r.search_after.size() != sort_len)
      return dsl_error("illegal_argument_exception",
                       "search_after has " + std::to_string(r.search_after.size()) +
                           " value(s) but sort has " + std::to_string(sort_len) + ".");
  }
  return {};
}

json::value to_es_json(const SearchRequest& r) {
  json::object o;
  if (r.query) o["query"] = to_es_json(*r.query);
  if (r.from_specified || r.from != 0) o["from"] = r.from;
  if (r.size_specified || r.size != 10) o["size"] = r.size;
  if (!r.sort.empty()) o["sort"] = sort_to_json(r.sort);
  if (!r.search_after.empty()) {
    json::array a;
    for (const auto& v : r.search_after) a.push_back(scalar_to_json(v));
    o["search_after"] = std::move(a);
  }
  if (r.source_specified || !r.source.fetch || !r.source.includes.empty() ||
      !r.source.excludes.empty()) {
    o["_source"] = source_filter_to_json(r.source);
  }
  if (r.track_total_hits.specified) {
    if (!r.track_total_hits.enabled) {
      o["track_total_hits"] = false;
    } else if (r.track_total_hits.up_to == INT64_MAX) {
      o["track_total_hits"] = true;
    } else {
      o["track_total_hits"] = r.track_total_hits.up_to;
    }
  }
  if (r.track_scores) o["track_scores"] = true;
  if (!r.aggregations.empty()) o["aggs"] = to_es_json(r.aggregations);
  return o;
}

}  // namespace comptoir::engine
