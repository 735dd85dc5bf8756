// Query tree <-> Elasticsearch JSON (see query_json.h).
#include "engine/dsl/query_json.h"

#include <cmath>
#include <cstdio>

#include "engine/dsl/dsl_error.h"
#include "engine/dsl/query_string_parser.h"

namespace comptoir::engine {

namespace json = boost::json;

std::string scalar_to_string(const JsonScalar& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      if (std::floor(d) == d && std::fabs(d) < 1e15) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", d);
        return buf;
      }
      return json::serialize(json::value(d));
    }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, v);
}

Result<JsonScalar> scalar_from_json(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return JsonScalar{};
    case json::kind::bool_:
      return JsonScalar{v.get_bool()};
    case json::kind::int64:
      return JsonScalar{v.get_int64()};
    case json::kind::uint64:
      if (v.get_uint64() <= uint64_t(INT64_MAX)) return JsonScalar{int64_t(v.get_uint64())};
      return JsonScalar{double(v.get_uint64())};
    case json::kind::double_:
      return JsonScalar{v.get_double()};
    case json::kind::string:
      return JsonScalar{std::string(v.get_string())};
    default:
      return dsl_error("parsing_exception", "expected a value but found an object or array");
  }
}

json::value scalar_to_json(const JsonScalar& v) {
  struct Visitor {
    json::value operator()(std::monostate) const { return nullptr; }
    json::value operator()(bool b) const { return b; }
    json::value operator()(int64_t i) const { return i; }
    json::value operator()(double d) const { return d; }
    json::value operator()(const std::string& s) const { return json::string(s); }
  };
  return std::visit(Visitor{}, v);
}

namespace {

Error unsupported(std::string_view query, std::string_view param) {
  return dsl_error("parsing_exception", "[" + std::string(query) + "] query does not support [" +
                                            std::string(param) + "]");
}
Error malformed(std::string_view query, std::string_view why) {
  return dsl_error("parsing_exception", "[" + std::string(query) + "] " + std::string(why));
}

Result<float> get_float(const json::value& v, std::string_view query, std::string_view param) {
  if (v.is_number()) return static_cast<float>(v.to_number<double>());
  if (v.is_string()) {
    try {
      return std::stof(std::string(v.get_string()));
    } catch (...) {
    }
  }
  return malformed(query, "[" + std::string(param) + "] must be a number");
}
Result<bool> get_bool(const json::value& v, std::string_view query, std::string_view param) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_string() && (v.get_string() == "true" || v.get_string() == "false"))
    return v.get_string() == "true";
  return malformed(query, "[" + std::string(param) + "] must be a boolean");
}
Result<std::string> get_string(const json::value& v, std::string_view query,
                               std::string_view param) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_number() || v.is_bool()) {
    auto s = scalar_from_json(v);
    return scalar_to_string(*s);
  }
  return malformed(query, "[" + std::string(param) + "] must be a string");
}
Result<Operator> get_operator(const json::value& v, std::string_view query) {
  if (v.is_string()) {
    std::string s(v.get_string());
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "or") return Operator::kOr;
    if (s == "and") return Operator::kAnd;
  }
  return malformed(query, "operator must be [and] or [or]");
}
Result<std::string> get_msm(const json::value& v, std::string_view query) {
  if (v.is_int64() || v.is_uint64()) return std::to_string(v.to_number<int64_t>());
  if (v.is_string()) return std::string(v.get_string());
  return malformed(query, "[minimum_should_match] must be an integer or a string");
}

// {"<field>": value} or {"<field>": {...}}: returns the single field entry.
Result<std::pair<std::string, const json::value*>> single_field(const json::value& body,
                                                                std::string_view query) {
  if (!body.is_object()) return malformed(query, "query malformed, expected an object");
  const json::object& o = body.get_object();
  const json::value* found = nullptr;
  std::string field;
  float boost_ignored = 1;
  (void)boost_ignored;
  for (const auto& kv : o) {
    if (kv.key() == "boost" || kv.key() == "_name") continue;
    if (found != nullptr)
      return malformed(query, "query doesn't support multiple fields, found [" + field + "] and [" +
                                  std::string(kv.key()) + "]");
    field = std::string(kv.key());
    found = &kv.value();
  }
  if (found == nullptr) return malformed(query, "query malformed, no field specified");
  return std::make_pair(field, found);
}

Result<std::vector<Query>> parse_clauses(const json::value& v) {
  std::vector<Query> out;
  if (v.is_object()) {
    auto q = parse_query(v);
    if (!q) return q.error();
    out.push_back(std::move(*q));
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      auto q = parse_query(item);
      if (!q) return q.error();
      out.push_back(std::move(*q));
    }
  } else {
    return malformed("bool", "clauses must be an object or an array");
  }
  return out;
}

Result<std::vector<std::string>> get_string_list(const json::value& v, std::string_view query,
                                                 std::string_view param) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
    return out;
  }
  if (!v.is_array()) return malformed(query, "[" + std::string(param) + "] must be an array");
  for (const auto& item : v.get_array()) {
    auto s = get_string(item, query, param);
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

#define COMPTOIR_ASSIGN(lhs, expr)   \
  do {                               \
    auto r_ = (expr);                \
    if (!r_.ok()) return r_.error(); \
    lhs = std::move(r_).value();     \
  } while (0)

Result<Query> parse_match(const json::value& body) {
  auto fv = single_field(body, "match");
  if (!fv) return fv.error();
  MatchQuery q;
  q.field = fv->first;
  const json::value& v = *fv->second;
  if (!v.is_object()) {
    COMPTOIR_ASSIGN(q.query, scalar_from_json(v));
    return Query(q);
  }
  for (const auto& kv : v.get_object()) {
    std::string_view k = kv.key();
    if (k == "query") {
      COMPTOIR_ASSIGN(q.query, scalar_from_json(kv.value()));
    } else if (k == "operator") {
      COMPTOIR_ASSIGN(q.op, get_operator(kv.value(), "match"));
    } else if (k == "minimum_should_match") {
      COMPTOIR_ASSIGN(q.minimum_should_match, get_msm(kv.value(), "match"));
    } else if (k == "zero_terms_query") {
      std::string s;
      COMPTOIR_ASSIGN(s, get_string(kv.value(), "match", k));
      if (s != "all" && s != "none")
        return malformed("match", "unknown zero_terms_query [" + s + "]");
      q.zero_terms_all = s == "all";
    } else if (k == "lenient") {
      COMPTOIR_ASSIGN(q.lenient, get_bool(kv.value(), "match", k));
    } else if (k == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "match", k));
    } else if (k == "analyzer" || k == "_name" || k == "auto_generate_synonyms_phrase_query") {
      // accepted, no effect: Comptoir has one analyzer
    } else {
      return unsupported("match", k);
    }
  }
  if (std::holds_alternative<std::monostate>(q.query))
    return malformed("match", "requires query value");
  return Query(q);
}

Result<Query> parse_match_phrase(const json::value& body) {
  auto fv = single_field(body, "match_phrase");
  if (!fv) return fv.error();
  MatchPhraseQuery q;
  q.field = fv->first;
  const json::value& v = *fv->second;
  if (!v.is_object()) {
    COMPTOIR_ASSIGN(q.query, get_string(v, "match_phrase", "query"));
    return Query(q);
  }
  bool has_query = false;
  for (const auto& kv : v.get_object()) {
    std::string_view k = kv.key();
    if (k == "query") {
      COMPTOIR_ASSIGN(q.query, get_string(kv.value(), "match_phrase", k));
      has_query = true;
    } else if (k == "slop") {
      float slop;
      COMPTOIR_ASSIGN(slop, get_float(kv.value(), "match_phrase", k));
      q.slop = static_cast<int32_t>(slop);
    } else if (k == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "match_phrase", k));
    } else if (k == "analyzer" || k == "_name") {
    } else {
      return unsupported("match_phrase", k);
    }
  }
  if (!has_query) return malformed("match_phrase", "requires query value");
  return Query(q);
}

Result<Query> parse_multi_match(const json::value& body) {
  if (!body.is_object()) return malformed("multi_match", "query malformed");
  MultiMatchQuery q;
  for (const auto& kv : body.get_object()) {
    std::string_view k = kv.key();
    if (k == "query") {
      COMPTOIR_ASSIGN(q.query, scalar_from_json(kv.value()));
    } else if (k == "fields") {
      COMPTOIR_ASSIGN(q.fields, get_string_list(kv.value(), "multi_match", k));
    } else if (k == "type") {
      std::string t;
      COMPTOIR_ASSIGN(t, get_string(kv.value(), "multi_match", k));
      if (t == "phrase") {
        q.phrase = true;
      } else if (t != "best_fields") {
        return malformed("multi_match", "type [" + t + "] is not supported (best_fields, phrase)");
      }
    } else if (k == "operator") {
      COMPTOIR_ASSIGN(q.op, get_operator(kv.value(), "multi_match"));
    } else if (k == "minimum_should_match") {
      COMPTOIR_ASSIGN(q.minimum_should_match, get_msm(kv.value(), "multi_match"));
    } else if (k == "tie_breaker") {
      COMPTOIR_ASSIGN(q.tie_breaker, get_float(kv.value(), "multi_match", k));
    } else if (k == "lenient") {
      COMPTOIR_ASSIGN(q.lenient, get_bool(kv.value(), "multi_match", k));
    } else if (k == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "multi_match", k));
    } else if (k == "analyzer" || k == "_name") {
    } else {
      return unsupported("multi_match", k);
    }
  }
  if (std::holds_alternative<std::monostate>(q.query))
    return malformed("multi_match", "requires query value");
  return Query(q);
}

template <typename Q>
Result<Query> parse_term_like(const json::value& body, std::string_view name,
                              std::string_view value_key) {
  auto fv = single_field(body, name);
  if (!fv) return fv.error();
  Q q;
  q.field = fv->first;
  const json::value& v = *fv->second;
  auto set_value = [&](const json::value& x) -> Status {
    if constexpr (std::is_same_v<decltype(q.value), JsonScalar>) {
      auto s = scalar_from_json(x);
      if (!s) return s.error();
      if (std::holds_alternative<std::monostate>(*s))
        return malformed(name, "value cannot be null");
      q.value = std::move(*s);
    } else {
      auto s = get_string(x, name, "value");
      if (!s) return s.error();
      q.value = std::move(*s);
    }
    return {};
  };
  if (!v.is_object()) {
    COMPTOIR_TRY(set_value(v));
    return Query(q);
  }
  bool has_value = false;
  for (const auto& kv : v.get_object()) {
    std::string_view k = kv.key();
    if (k == "value" || k == value_key) {
      COMPTOIR_TRY(set_value(kv.value()));
      has_value = true;
    } else if (k == "case_insensitive") {
      COMPTOIR_ASSIGN(q.case_insensitive, get_bool(kv.value(), name, k));
    } else if (k == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), name, k));
    } else if (k == "_name" || k == "rewrite") {
    } else {
      return unsupported(name, k);
    }
  }
  if (!has_value) return malformed(name, "requires a value");
  return Query(q);
}

Result<Query> parse_terms(const json::value& body) {
  if (!body.is_object()) return malformed("terms", "query malformed");
  TermsQuery q;
  bool found = false;
  for (const auto& kv : body.get_object()) {
    if (kv.key() == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "terms", "boost"));
      continue;
    }
    if (kv.key() == "_name") continue;
    if (found) return malformed("terms", "query does not support multiple fields");
    found = true;
    q.field = std::string(kv.key());
    if (!kv.value().is_array())
      return dsl_error("parsing_exception", "[terms] query does not support [" + q.field + "]");
    for (const auto& item : kv.value().get_array()) {
      JsonScalar s;
      COMPTOIR_ASSIGN(s, scalar_from_json(item));
      if (std::holds_alternative<std::monostate>(s))
        return malformed("terms", "no value specified for terms query");
      q.values.push_back(std::move(s));
    }
  }
  if (!found) return malformed("terms", "query requires a field");
  return Query(q);
}

Result<Query> parse_range(const json::value& body) {
  auto fv = single_field(body, "range");
  if (!fv) return fv.error();
  RangeQuery q;
  q.field = fv->first;
  const json::value& v = *fv->second;
  if (!v.is_object()) return malformed("range", "query malformed, expected an object");
  JsonScalar from, to;
  bool include_lower = true, include_upper = true;
  for (const auto& kv : v.get_object()) {
    std::string_view k = kv.key();
    JsonScalar* slot = k == "gt"     ? &q.gt
                       : k == "gte"  ? &q.gte
                       : k == "lt"   ? &q.lt
                       : k == "lte"  ? &q.lte
                       : k == "from" ? &from
                       : k == "to"   ? &to
                                     : nullptr;
    if (slot != nullptr) {
      COMPTOIR_ASSIGN(*slot, scalar_from_json(kv.value()));
    } else if (k == "include_lower") {
      COMPTOIR_ASSIGN(include_lower, get_bool(kv.value(), "range", k));
    } else if (k == "include_upper") {
      COMPTOIR_ASSIGN(include_upper, get_bool(kv.value(), "range", k));
    } else if (k == "format") {
      COMPTOIR_ASSIGN(q.format, get_string(kv.value(), "range", k));
    } else if (k == "time_zone") {
      COMPTOIR_ASSIGN(q.time_zone, get_string(kv.value(), "range", k));
    } else if (k == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "range", k));
    } else if (k == "relation" || k == "_name") {
    } else {
      return unsupported("range", k);
    }
  }
  if (!std::holds_alternative<std::monostate>(from)) (include_lower ? q.gte : q.gt) = from;
  if (!std::holds_alternative<std::monostate>(to)) (include_upper ? q.lte : q.lt) = to;
  return Query(q);
}

Result<Query> parse_exists(const json::value& body) {
  if (!body.is_object()) return malformed("exists", "query malformed");
  ExistsQuery q;
  bool has_field = false;
  for (const auto& kv : body.get_object()) {
    if (kv.key() == "field") {
      COMPTOIR_ASSIGN(q.field, get_string(kv.value(), "exists", "field"));
      has_field = true;
    } else if (kv.key() == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "exists", "boost"));
    } else if (kv.key() != "_name") {
      return unsupported("exists", kv.key());
    }
  }
  if (!has_field) return malformed("exists", "must be provided with a [field]");
  return Query(q);
}

Result<Query> parse_query_string_json(const json::value& body) {
  if (!body.is_object()) return malformed("query_string", "query malformed");
  QueryStringQuery q;
  bool has_query = false;
  for (const auto& kv : body.get_object()) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "query") {
      COMPTOIR_ASSIGN(q.query, get_string(v, "query_string", k));
      has_query = true;
    } else if (k == "default_field") {
      COMPTOIR_ASSIGN(q.default_field, get_string(v, "query_string", k));
    } else if (k == "fields") {
      COMPTOIR_ASSIGN(q.fields, get_string_list(v, "query_string", k));
    } else if (k == "default_operator") {
      COMPTOIR_ASSIGN(q.default_operator, get_operator(v, "query_string"));
    } else if (k == "allow_leading_wildcard") {
      COMPTOIR_ASSIGN(q.allow_leading_wildcard, get_bool(v, "query_string", k));
    } else if (k == "analyze_wildcard") {
      COMPTOIR_ASSIGN(q.analyze_wildcard, get_bool(v, "query_string", k));
    } else if (k == "lenient") {
      COMPTOIR_ASSIGN(q.lenient, get_bool(v, "query_string", k));
    } else if (k == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(v, "query_string", k));
    } else if (k == "analyzer" || k == "_name" || k == "phrase_slop" || k == "time_zone" ||
               k == "max_determinized_states" || k == "fuzziness") {
    } else {
      return unsupported("query_string", k);
    }
  }
  if (!has_query) return malformed("query_string", "query_string must be provided with a [query]");
  auto parsed = parse_query_string(q);  // syntax check now: a typed error, never later
  if (!parsed) return parsed.error();
  return Query(q);
}

Result<Query> parse_simple_query_string_json(const json::value& body) {
  if (!body.is_object()) return malformed("simple_query_string", "query malformed");
  SimpleQueryStringQuery q;
  bool has_query = false;
  for (const auto& kv : body.get_object()) {
    std::string_view k = kv.key();
    if (k == "query") {
      COMPTOIR_ASSIGN(q.query, get_string(kv.value(), "simple_query_string", k));
      has_query = true;
    } else if (k == "fields") {
      COMPTOIR_ASSIGN(q.fields, get_string_list(kv.value(), "simple_query_string", k));
    } else if (k == "default_operator") {
      COMPTOIR_ASSIGN(q.default_operator, get_operator(kv.value(), "simple_query_string"));
    } else if (k == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "simple_query_string", k));
    } else if (k == "analyzer" || k == "_name" || k == "flags" || k == "lenient" ||
               k == "analyze_wildcard" || k == "minimum_should_match") {
    } else {
      return unsupported("simple_query_string", k);
    }
  }
  if (!has_query) return malformed("simple_query_string", "requires a [query]");
  return Query(q);
}

Result<Query> parse_ids(const json::value& body) {
  if (!body.is_object()) return malformed("ids", "query malformed");
  IdsQuery q;
  for (const auto& kv : body.get_object()) {
    if (kv.key() == "values") {
      COMPTOIR_ASSIGN(q.values, get_string_list(kv.value(), "ids", "values"));
    } else if (kv.key() == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "ids", "boost"));
    } else if (kv.key() != "_name") {
      return unsupported("ids", kv.key());
    }
  }
  return Query(q);
}

Result<Query> parse_bool(const json::value& body) {
  if (!body.is_object()) return malformed("bool", "query malformed");
  BoolQuery q;
  for (const auto& kv : body.get_object()) {
    std::string_view k = kv.key();
    if (k == "must") {
      COMPTOIR_ASSIGN(q.must, parse_clauses(kv.value()));
    } else if (k == "filter") {
      COMPTOIR_ASSIGN(q.filter, parse_clauses(kv.value()));
    } else if (k == "should") {
      COMPTOIR_ASSIGN(q.should, parse_clauses(kv.value()));
    } else if (k == "must_not") {
      COMPTOIR_ASSIGN(q.must_not, parse_clauses(kv.value()));
    } else if (k == "minimum_should_match") {
      COMPTOIR_ASSIGN(q.minimum_should_match, get_msm(kv.value(), "bool"));
    } else if (k == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "bool", k));
    } else if (k == "_name" || k == "adjust_pure_negative") {
    } else {
      return dsl_error("parsing_exception",
                       "[bool] query does not support [" + std::string(k) + "]");
    }
  }
  return Query(q);
}

Result<Query> parse_dis_max(const json::value& body) {
  if (!body.is_object()) return malformed("dis_max", "query malformed");
  DisMaxQuery q;
  for (const auto& kv : body.get_object()) {
    if (kv.key() == "queries") {
      COMPTOIR_ASSIGN(q.queries, parse_clauses(kv.value()));
    } else if (kv.key() == "tie_breaker") {
      COMPTOIR_ASSIGN(q.tie_breaker, get_float(kv.value(), "dis_max", "tie_breaker"));
    } else if (kv.key() == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "dis_max", "boost"));
    } else if (kv.key() != "_name") {
      return unsupported("dis_max", kv.key());
    }
  }
  return Query(q);
}

Result<Query> parse_match_all(const json::value& body, bool none) {
  if (!body.is_object()) return malformed(none ? "match_none" : "match_all", "query malformed");
  MatchAllQuery q;
  for (const auto& kv : body.get_object()) {
    if (kv.key() == "boost") {
      COMPTOIR_ASSIGN(q.boost, get_float(kv.value(), "match_all", "boost"));
    } else if (kv.key() != "_name") {
      return unsupported(none ? "match_none" : "match_all", kv.key());
    }
  }
  if (none) return Query(MatchNoneQuery{});
  return Query(q);
}

}  // namespace

Result<Query> parse_query(const json::value& v) {
  if (!v.is_object())
    return dsl_error("parsing_exception", "query malformed, must start with start_object");
  const json::object& o = v.get_object();
  if (o.size() != 1) {
    if (o.empty()) return dsl_error("parsing_exception", "query malformed, empty clause found");
    auto it = o.begin();
    ++it;
    return dsl_error("parsing_exception", "[" + std::string(o.begin()->key()) +
                                              "] malformed query, expected [END_OBJECT] but found "
                                              "[FIELD_NAME] [" +
                                              std::string(it->key()) + "]");
  }
  std::string_view name = o.begin()->key();
  const json::value& body = o.begin()->value();
  if (name == "match_all") return parse_match_all(body, false);
  if (name == "match_none") return parse_match_all(body, true);
  if (name == "match") return parse_match(body);
  if (name == "match_phrase") return parse_match_phrase(body);
  if (name == "multi_match") return parse_multi_match(body);
  if (name == "term") return parse_term_like<TermQuery>(body, "term", "value");
  if (name == "terms") return parse_terms(body);
  if (name == "range") return parse_range(body);
  if (name == "exists") return parse_exists(body);
  if (name == "prefix") return parse_term_like<PrefixQuery>(body, "prefix", "prefix");
  if (name == "wildcard") return parse_term_like<WildcardQuery>(body, "wildcard", "wildcard");
  if (name == "query_string") return parse_query_string_json(body);
  if (name == "simple_query_string") return parse_simple_query_string_json(body);
  if (name == "ids") return parse_ids(body);
  if (name == "bool") return parse_bool(body);
  if (name == "dis_max") return parse_dis_max(body);
  return dsl_error("parsing_exception", "unknown query [" + std::string(name) + "]");
}

namespace {

void put_boost(json::object& o, float boost) {
  if (boost != 1.0f) o["boost"] = static_cast<double>(boost);
}
json::value with_field(std::string_view name, const std::string& field, json::object body) {
  json::object inner;
  inner[field] = std::move(body);
  json::object outer;
  outer[name] = std::move(inner);
  return outer;
}
json::array clauses_json(const std::vector<Query>& qs) {
  json::array a;
  for (const auto& q : qs) a.push_back(to_es_json(q));
  return a;
}
const char* op_name(Operator op) {
  return op == Operator::kAnd ? "and" : "or";
}

struct ToJson {
  json::value operator()(const MatchAllQuery& q) const {
    json::object b;
    put_boost(b, q.boost);
    return json::object{{"match_all", std::move(b)}};
  }
  json::value operator()(const MatchNoneQuery&) const {
    return json::object{{"match_none", json::object{}}};
  }
  json::value operator()(const MatchQuery& q) const {
    json::object b{{"query", scalar_to_json(q.query)}};
    if (q.op != Operator::kOr) b["operator"] = op_name(q.op);
    if (q.minimum_should_match) b["minimum_should_match"] = *q.minimum_should_match;
    if (q.zero_terms_all) b["zero_terms_query"] = "all";
    if (q.lenient) b["lenient"] = true;
    put_boost(b, q.boost);
    return with_field("match", q.field, std::move(b));
  }
  json::value operator()(const MatchPhraseQuery& q) const {
    json::object b{{"query", q.query}};
    if (q.slop != 0) b["slop"] = q.slop;
    put_boost(b, q.boost);
    return with_field("match_phrase", q.field, std::move(b));
  }
  json::value operator()(const MultiMatchQuery& q) const {
    json::object b{{"query", scalar_to_json(q.query)}};
    json::array f;
    for (const auto& s : q.fields) f.emplace_back(s);
    b["fields"] = std::move(f);
    b["type"] = q.phrase ? "phrase" : "best_fields";
    if (q.op != Operator::kOr) b["operator"] = op_name(q.op);
    if (q.minimum_should_match) b["minimum_should_match"] = *q.minimum_should_match;
    if (q.tie_breaker != 0) b["tie_breaker"] = static_cast<double>(q.tie_breaker);
    if (q.lenient) b["lenient"] = true;
    put_boost(b, q.boost);
    return json::object{{"multi_match", std::move(b)}};
  }
  json::value operator()(const TermQuery& q) const {
    json::object b{{"value", scalar_to_json(q.value)}};
    if (q.case_insensitive) b["case_insensitive"] = true;
    put_boost(b, q.boost);
    return with_field("term", q.field, std::move(b));
  }
  json::value operator()(const TermsQuery& q) const {
    json::array vals;
    for (const auto& v : q.values) vals.push_back(scalar_to_json(v));
    json::object b;
    b[q.field] = std::move(vals);
    put_boost(b, q.boost);
    return json::object{{"terms", std::move(b)}};
  }
  json::value operator()(const RangeQuery& q) const {
    json::object b;
    if (!std::holds_alternative<std::monostate>(q.gt)) b["gt"] = scalar_to_json(q.gt);
    if (!std::holds_alternative<std::monostate>(q.gte)) b["gte"] = scalar_to_json(q.gte);
    if (!std::holds_alternative<std::monostate>(q.lt)) b["lt"] = scalar_to_json(q.lt);
    if (!std::holds_alternative<std::monostate>(q.lte)) b["lte"] = scalar_to_json(q.lte);
    if (q.format) b["format"] = *q.format;
    if (q.time_zone) b["time_zone"] = *q.time_zone;
    put_boost(b, q.boost);
    return with_field("range", q.field, std::move(b));
  }
  json::value operator()(const ExistsQuery& q) const {
    json::object b{{"field", q.field}};
    put_boost(b, q.boost);
    return json::object{{"exists", std::move(b)}};
  }
  json::value operator()(const PrefixQuery& q) const {
    json::object b{{"value", q.value}};
    if (q.case_insensitive) b["case_insensitive"] = true;
    put_boost(b, q.boost);
    return with_field("prefix", q.field, std::move(b));
  }
  json::value operator()(const WildcardQuery& q) const {
    json::object b{{"value", q.value}};
    if (q.case_insensitive) b["case_insensitive"] = true;
    put_boost(b, q.boost);
    return with_field("wildcard", q.field, std::move(b));
  }
  json::value operator()(const QueryStringQuery& q) const {
    json::object b{{"query", q.query}};
    if (q.default_field) b["default_field"] = *q.default_field;
    if (!q.fields.empty()) {
      json::array f;
      for (const auto& s : q.fields) f.emplace_back(s);
      b["fields"] = std::move(f);
    }
    if (q.default_operator != Operator::kOr) b["default_operator"] = op_name(q.default_operator);
    if (!q.allow_leading_wildcard) b["allow_leading_wildcard"] = false;
    if (q.analyze_wildcard) b["analyze_wildcard"] = true;
    if (q.lenient) b["lenient"] = *q.lenient;
    put_boost(b, q.boost);
    return json::object{{"query_string", std::move(b)}};
  }
  json::value operator()(const SimpleQueryStringQuery& q) const {
    json::object b{{"query", q.query}};
    if (!q.fields.empty()) {
      json::array f;
      for (const auto& s : q.fields) f.emplace_back(s);
      b["fields"] = std::move(f);
    }
    if (q.default_operator != Operator::kOr) b["default_operator"] = op_name(q.default_operator);
    put_boost(b, q.boost);
    return json::object{{"simple_query_string", std::move(b)}};
  }
  json::value operator()(const IdsQuery& q) const {
    json::array vals;
    for (const auto& v : q.values) vals.emplace_back(v);
    json::object b{{"values", std::move(vals)}};
    put_boost(b, q.boost);
    return json::object{{"ids", std::move(b)}};
  }
  json::value operator()(const BoolQuery& q) const {
    json::object b;
    if (!q.must.empty()) b["must"] = clauses_json(q.must);
    if (!q.filter.empty()) b["filter"] = clauses_json(q.filter);
    if (!q.should.empty()) b["should"] = clauses_json(q.should);
    if (!q.must_not.empty()) b["must_not"] = clauses_json(q.must_not);
    if (q.minimum_should_match) b["minimum_should_match"] = *q.minimum_should_match;
    put_boost(b, q.boost);
    return json::object{{"bool", std::move(b)}};
  }
  json::value operator()(const DisMaxQuery& q) const {
    json::object b{{"queries", clauses_json(q.queries)}};
    if (q.tie_breaker != 0) b["tie_breaker"] = static_cast<double>(q.tie_breaker);
    put_boost(b, q.boost);
    return json::object{{"dis_max", std::move(b)}};
  }
};

}  // namespace

json::value to_es_json(const Query& query) {
  return std::visit(ToJson{}, query.node);
}

}  // namespace comptoir::engine
