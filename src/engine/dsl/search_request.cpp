// SearchRequest <-> Elasticsearch `_search` JSON, validation and _source filtering.
#include "engine/dsl/search_request.h"

#include "engine/dsl/dsl_error.h"
#include "engine/dsl/query_json.h"
#include "util/glob_match.h"

namespace comptoir::engine {

namespace json = boost::json;

bool SortField::missing_first() const {
  if (const auto* s = std::get_if<std::string>(&missing)) return *s == "_first";
  return false;
}

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

Result<SortOrder> parse_order(const json::value& v) {
  if (v.is_string()) {
    if (v.get_string() == "asc" || v.get_string() == "ASC") return SortOrder::kAsc;
    if (v.get_string() == "desc" || v.get_string() == "DESC") return SortOrder::kDesc;
  }
  return dsl_error("parsing_exception", "[sort] order must be [asc] or [desc]");
}

Status parse_sort_entry(const json::value& v, std::vector<SortField>& out) {
  if (v.is_string()) {
    SortField f;
    f.field = std::string(v.get_string());
    out.push_back(std::move(f));
    return {};
  }
  if (!v.is_object() || v.get_object().size() != 1)
    return dsl_error("parsing_exception",
                     "[sort] malformed sort entry, expected a field name or "
                     "an object with one field");
  const auto& kv = *v.get_object().begin();
  SortField f;
  f.field = std::string(kv.key());
  if (kv.value().is_string()) {
    auto o = parse_order(kv.value());
    if (!o) return o.error();
    f.order = *o;
  } else if (kv.value().is_object()) {
    for (const auto& opt : kv.value().get_object()) {
      std::string_view k = opt.key();
      if (k == "order") {
        auto o = parse_order(opt.value());
        if (!o) return o.error();
        f.order = *o;
      } else if (k == "missing") {
        auto m = scalar_from_json(opt.value());
        if (!m) return m.error();
        f.missing = std::move(*m);
      } else if (k == "unmapped_type" && opt.value().is_string()) {
        f.unmapped_type = std::string(opt.value().get_string());
      } else if (k == "format" && opt.value().is_string()) {
        f.format = std::string(opt.value().get_string());
      } else if (k == "mode" && opt.value().is_string()) {
        f.mode = std::string(opt.value().get_string());
      } else if (k == "numeric_type") {
        // accepted, no effect
      } else {
        return dsl_error("parsing_exception",
                         "[field_sort] unknown field [" + std::string(k) + "]");
      }
    }
  } else {
    return dsl_error("parsing_exception", "[sort] malformed sort entry for [" + f.field + "]");
  }
  out.push_back(std::move(f));
  return {};
}

Result<std::vector<std::string>> string_list(const json::value& v, std::string_view name) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
    return out;
  }
  if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      if (!item.is_string())
        return dsl_error("parsing_exception", "[" + std::string(name) + "] must hold strings");
      out.emplace_back(item.get_string());
    }
    return out;
  }
  return dsl_error("parsing_exception", "[" + std::string(name) + "] must be a string or an array");
}

Status parse_source(const json::value& v, SourceFilter& out) {
  if (v.is_bool()) {
    out.fetch = v.get_bool();
    return {};
  }
  if (v.is_string() || v.is_array()) {
    auto l = string_list(v, "_source");
    if (!l) return l.error();
    out.includes = std::move(*l);
    return {};
  }
  if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      auto l = string_list(kv.value(), kv.key());
      if (!l) return l.error();
      if (kv.key() == "includes" || kv.key() == "include") {
        out.includes = std::move(*l);
      } else if (kv.key() == "excludes" || kv.key() == "exclude") {
        out.excludes = std::move(*l);
      } else {
        return dsl_error("parsing_exception",
                         "Unknown key for a START_ARRAY in [" + std::string(kv.key()) + "].");
      }
    }
    return {};
  }
  return dsl_error("parsing_exception",
                   "[_source] must be a boolean, a string, an array or an object");
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
      if (v.is_array()) {
        for (const auto& item : v.get_array()) COMPTOIR_TRY(parse_sort_entry(item, r.sort));
      } else {
        COMPTOIR_TRY(parse_sort_entry(v, r.sort));
      }
    } else if (k == "search_after") {
      if (!v.is_array()) return dsl_error("parsing_exception", "[search_after] must be an array");
      for (const auto& item : v.get_array()) {
        auto s = scalar_from_json(item);
        if (!s) return s.error();
        r.search_after.push_back(std::move(*s));
      }
    } else if (k == "_source") {
      COMPTOIR_TRY(parse_source(v, r.source));
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
      if (!v.is_object()) return dsl_error("parsing_exception", "[aggs] must be an object");
      r.aggregations = v.get_object();
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
  if (!r.sort.empty()) {
    json::array sort;
    for (const auto& f : r.sort) {
      json::object opts;
      if (f.order) opts["order"] = *f.order == SortOrder::kAsc ? "asc" : "desc";
      if (!std::holds_alternative<std::monostate>(f.missing))
        opts["missing"] = scalar_to_json(f.missing);
      if (f.unmapped_type) opts["unmapped_type"] = *f.unmapped_type;
      if (f.format) opts["format"] = *f.format;
      if (f.mode) opts["mode"] = *f.mode;
      sort.push_back(json::object{{f.field, std::move(opts)}});
    }
    o["sort"] = std::move(sort);
  }
  if (!r.search_after.empty()) {
    json::array a;
    for (const auto& v : r.search_after) a.push_back(scalar_to_json(v));
    o["search_after"] = std::move(a);
  }
  if (r.source_specified || !r.source.fetch || !r.source.includes.empty() ||
      !r.source.excludes.empty()) {
    if (!r.source.fetch) {
      o["_source"] = false;
    } else {
      json::object s;
      json::array inc, exc;
      for (const auto& p : r.source.includes) inc.emplace_back(p);
      for (const auto& p : r.source.excludes) exc.emplace_back(p);
      s["includes"] = std::move(inc);
      s["excludes"] = std::move(exc);
      o["_source"] = std::move(s);
    }
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
  if (r.aggregations) o["aggs"] = *r.aggregations;
  return o;
}

// ---- _source filtering --------------------------------------------------------------

namespace {

bool any_match(const std::vector<std::string>& patterns, std::string_view path) {
  for (const auto& p : patterns)
    if (glob_match(p, path)) return true;
  return false;
}

// Could a pattern match `path` or one of its descendants?
bool may_match_below(const std::vector<std::string>& patterns, const std::string& path) {
  for (const auto& p : patterns) {
    if (p.compare(0, path.size() + 1, path + ".") == 0) return true;
    if (p.find('*') != std::string::npos && p.find('*') <= path.size()) return true;
  }
  return false;
}

json::value filter_value(const json::value& v, const std::string& path, bool included,
                         const SourceFilter& f, bool& keep);

json::object filter_object(const json::object& o, const std::string& prefix, bool included,
                           const SourceFilter& f) {
  json::object out;
  for (const auto& kv : o) {
    std::string path =
        prefix.empty() ? std::string(kv.key()) : prefix + "." + std::string(kv.key());
    bool keep = false;
    json::value fv = filter_value(kv.value(), path, included, f, keep);
    if (keep) out[kv.key()] = std::move(fv);
  }
  return out;
}

json::value filter_value(const json::value& v, const std::string& path, bool included,
                         const SourceFilter& f, bool& keep) {
  keep = false;
  if (any_match(f.excludes, path)) return nullptr;
  bool inc = included || f.includes.empty() || any_match(f.includes, path);
  if (v.is_object()) {
    if (!inc && !may_match_below(f.includes, path)) return nullptr;
    json::object sub = filter_object(v.get_object(), path, inc, f);
    keep = inc || !sub.empty();
    return sub;
  }
  if (v.is_array()) {
    json::array out;
    bool any = false;
    for (const auto& item : v.get_array()) {
      if (item.is_object()) {
        if (!inc && !may_match_below(f.includes, path)) continue;
        json::object sub = filter_object(item.get_object(), path, inc, f);
        if (inc || !sub.empty()) {
          out.push_back(std::move(sub));
          any = true;
        }
      } else if (inc) {
        out.push_back(item);
        any = true;
      }
    }
    keep = any || (inc && v.get_array().empty());
    return out;
  }
  keep = inc;
  return v;
}

}  // namespace

json::value filter_source(const json::value& source, const SourceFilter& filter) {
  if (!filter.fetch) return nullptr;
  if (filter.includes.empty() && filter.excludes.empty()) return source;
  if (!source.is_object()) return source;
  return filter_object(source.get_object(), "", false, filter);
}

}  // namespace comptoir::engine
