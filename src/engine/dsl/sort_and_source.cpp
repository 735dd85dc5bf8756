// Sort clauses and _source filters <-> ES JSON, and _source filtering (sort_and_source.h).
#include "engine/dsl/sort_and_source.h"

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

Status parse_sort(const json::value& v, std::vector<SortField>& out) {
  if (v.is_array()) {
    for (const auto& item : v.get_array()) COMPTOIR_TRY(parse_sort_entry(item, out));
    return {};
  }
  return parse_sort_entry(v, out);
}

json::array sort_to_json(const std::vector<SortField>& sort) {
  json::array out;
  for (const auto& f : sort) {
    json::object opts;
    if (f.order) opts["order"] = *f.order == SortOrder::kAsc ? "asc" : "desc";
    if (!std::holds_alternative<std::monostate>(f.missing))
      opts["missing"] = scalar_to_json(f.missing);
    if (f.unmapped_type) opts["unmapped_type"] = *f.unmapped_type;
    if (f.format) opts["format"] = *f.format;
    if (f.mode) opts["mode"] = *f.mode;
    out.push_back(json::object{{f.field, std::move(opts)}});
  }
  return out;
}

Status parse_source_filter(const json::value& v, SourceFilter& out) {
  return parse_source(v, out);
}

json::value source_filter_to_json(const SourceFilter& filter) {
  if (!filter.fetch) return false;
  json::object s;
  json::array inc, exc;
  for (const auto& p : filter.includes) inc.emplace_back(p);
  for (const auto& p : filter.excludes) exc.emplace_back(p);
  s["includes"] = std::move(inc);
  s["excludes"] = std::move(exc);
  return s;
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
