// Per-segment query execution (see query_matcher.h).
#include "engine/query/query_matcher.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <functional>

#include "engine/analysis/standard_analyzer.h"
#include "engine/dsl/dsl_error.h"
#include "engine/dsl/query_string_parser.h"
#include "engine/query/bm25.h"
#include "engine/query/term_scan.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine {

namespace json = boost::json;

float QueryContext::idf(const std::string& field, std::string_view term) {
  auto key = std::make_pair(field, std::string(term));
  auto it = idf_cache_.find(key);
  if (it != idf_cache_.end()) return it->second;
  uint64_t df = 0, n = 0;
  for (const auto& seg : snapshot_.segments) {
    const FieldReader* f = seg.reader->field(field);
    if (f == nullptr) continue;
    n += f->docs_with_field;
    if (auto t = f->find(term)) df += f->doc_freq(*t);
  }
  float v = bm25_idf(df, n);
  idf_cache_.emplace(std::move(key), v);
  return v;
}

float QueryContext::avgdl(const std::string& field) {
  auto it = avgdl_cache_.find(field);
  if (it != avgdl_cache_.end()) return it->second;
  uint64_t total = 0, n = 0;
  for (const auto& seg : snapshot_.segments) {
    const FieldReader* f = seg.reader->field(field);
    if (f == nullptr) continue;
    n += f->docs_with_field;
    total += f->has_norms() ? f->sum_ttf : f->sum_df;
  }
  float v = n == 0 ? 1.0f : static_cast<float>(double(total) / double(n));
  avgdl_cache_.emplace(field, v);
  return v;
}

float MatchNode::term_score_at(uint32_t tf, uint8_t norm) const {
  float dl = field->has_norms() ? static_cast<float>(decode_norm(norm)) : 1.0f;
  return weight * bm25_tf_norm(static_cast<float>(tf), dl, avgdl);
}

std::array<float, 256> MatchNode::tf1_scores() const {
  std::array<float, 256> out;
  for (uint32_t n = 0; n < 256; ++n) out[n] = term_score_at(1, static_cast<uint8_t>(n));
  return out;
}

float MatchNode::score(uint32_t doc) const {
  switch (kind) {
    case Kind::kConst:
      return boost;
    case Kind::kTerm:
      return term_score(doc, postings.freq(doc));
    case Kind::kBool: {
      float s = 0;
      for (const auto& c : must) s += c.score(doc);
      for (const auto& c : should)
        if (c.docs.contains(doc)) s += c.score(doc);
      return s * boost;
    }
    case Kind::kDisMax: {
      float best = 0, sum = 0;
      for (const auto& c : children) {
        if (!c.docs.contains(doc)) continue;
        float s = c.score(doc);
        best = std::max(best, s);
        sum += s;
      }
      return (best + tie_breaker * (sum - best)) * boost;
    }
  }
  return 0;
}

namespace {

MatchNode constant(Bitmap docs, float boost) {
  MatchNode n;
  n.kind = MatchNode::Kind::kConst;
  n.docs = std::move(docs);
  n.boost = boost;
  return n;
}
MatchNode empty_node() {
  return constant(Bitmap(), 1.0f);
}

Error shard_error(std::string reason) {
  return dsl_error("query_shard_exception", std::move(reason));
}

std::pair<std::string, float> split_boost(const std::string& spec) {
  size_t caret = spec.rfind('^');
  if (caret == std::string::npos) return {spec, 1.0f};
  return {spec.substr(0, caret), std::strtof(spec.c_str() + caret + 1, nullptr)};
}

// Searchable fields for a name or pattern; patterns skip object and non-indexed fields.
std::vector<const FieldDef*> resolve(const Mapping& m, const std::string& name) {
  if (name.find('*') == std::string::npos) {
    const FieldDef* f = m.find(name);
    if (f == nullptr) return {};
    return {f};
  }
  std::vector<const FieldDef*> out;
  for (const FieldDef* f : m.match(name))
    if (f->type != FieldType::kObject && f->index) out.push_back(f);
  return out;
}

bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Numeric value of a scalar for a numeric field (booleans for boolean fields).
bool scalar_number(const JsonScalar& v, FieldType type, double& out) {
  if (type == FieldType::kBoolean) {
    if (const bool* b = std::get_if<bool>(&v)) {
      out = *b ? 1 : 0;
      return true;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
      if (*s == "true" || *s == "false") {
        out = *s == "true" ? 1 : 0;
        return true;
      }
    }
    return false;
  }
  if (const int64_t* i = std::get_if<int64_t>(&v)) {
    out = double(*i);
    return true;
  }
  if (const double* d = std::get_if<double>(&v)) {
    out = *d;
    return true;
  }
  if (const auto* s = std::get_if<std::string>(&v)) return parse_double(*s, out);
  return false;
}

// First doc of a column sorted by doc whose value is not below `bound` (or above it).
template <typename T>
uint32_t partition_docs(uint32_t doc_count, T bound, bool inclusive,
                        const std::function<T(uint32_t)>& value_of) {
  uint32_t lo = 0, hi = doc_count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    T v = value_of(mid);
    if (inclusive ? v < bound : v <= bound) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// Docs whose int64 values fall in [lo, hi]; whole-segment short-cuts from min/max, and
// binary search on columns sorted by doc (time-ordered segments).
Bitmap scan_int(const FieldReader& f, uint32_t doc_count, int64_t lo, int64_t hi) {
  if (lo > hi || !f.min_int || *f.max_int < lo || *f.min_int > hi) return Bitmap();
  if (f.single_valued() && *f.min_int >= lo && *f.max_int <= hi) return f.exists();
  if (f.sorted_by_doc()) {
    std::function<int64_t(uint32_t)> value_of = [&](uint32_t d) {
      int64_t v = 0;
      f.single_int(d, v);
      return v;
    };
    uint32_t first = partition_docs<int64_t>(doc_count, lo, true, value_of);
    uint32_t end = partition_docs<int64_t>(doc_count, hi, false, value_of);
    return Bitmap::range(first, end);
  }
  std::vector<uint32_t> docs;
  if (f.single_valued()) {
    int64_t v;
    for (uint32_t d = 0; d < doc_count; ++d)
      if (f.single_int(d, v) && v >= lo && v <= hi) docs.push_back(d);
  } else {
    f.exists().for_each([&](uint32_t d) {
      bool hit = false;
      f.values<int64_t>(d, [&](int64_t v) { hit = hit || (v >= lo && v <= hi); });
      if (hit) docs.push_back(d);
    });
  }
  return Bitmap::from_sorted(docs.data(), docs.size());
}

Bitmap scan_double(const FieldReader& f, uint32_t doc_count, double lo, double hi) {
  if (!(lo <= hi) || !f.min_double || *f.max_double < lo || *f.min_double > hi) return Bitmap();
  if (f.single_valued() && *f.min_double >= lo && *f.max_double <= hi) return f.exists();
  if (f.sorted_by_doc()) {
    std::function<double(uint32_t)> value_of = [&](uint32_t d) {
      double v = 0;
      f.single_double(d, v);
      return v;
    };
    uint32_t first = partition_docs<double>(doc_count, lo, true, value_of);
    uint32_t end = partition_docs<double>(doc_count, hi, false, value_of);
    return Bitmap::range(first, end);
  }
  std::vector<uint32_t> docs;
  if (f.single_valued()) {
    double v;
    for (uint32_t d = 0; d < doc_count; ++d)
      if (v = 0, f.single_double(d, v) && v >= lo && v <= hi) docs.push_back(d);
  } else {
    f.exists().for_each([&](uint32_t d) {
      bool hit = false;
      f.values<double>(d, [&](double v) { hit = hit || (v >= lo && v <= hi); });
      if (hit) docs.push_back(d);
    });
  }
  return Bitmap::from_sorted(docs.data(), docs.size());
}

// Union of the postings of terms [from, to) of a field.
Bitmap union_terms(const FieldReader& f, uint32_t from, uint32_t to) {
  std::vector<Bitmap> parts;
  for (uint32_t t = from; t < to; ++t) parts.push_back(f.postings(t).docs);
  return Bitmap::union_many(parts);
}

int parse_msm(const std::optional<std::string>& spec, int optional_clauses, int dflt) {
  if (!spec) return dflt;
  std::string s = *spec;
  if (s.empty()) return dflt;
  bool pct = s.back() == '%';
  if (pct) s.pop_back();
  char* end = nullptr;
  long v = std::strtol(s.c_str(), &end, 10);
  if (end == s.c_str()) return dflt;
  int n;
  if (pct) {
    n = static_cast<int>(optional_clauses * std::abs(v) / 100);
    if (v < 0) n = optional_clauses - n;
  } else {
    n = v < 0 ? optional_clauses + static_cast<int>(v) : static_cast<int>(v);
  }
  return std::max(0, std::min(n, optional_clauses));
}

class Builder {
 public:
  Builder(const SegmentView& seg, QueryContext& ctx) : seg_(seg), r_(*seg.reader), ctx_(ctx) {}

  Result<MatchNode> build(const Query& q) {
    return std::visit([&](const auto& node) { return this->visit(node); }, q.node);
  }

 private:
  uint32_t n() const { return r_.doc_count(); }

  Result<MatchNode> visit(const MatchAllQuery& q) {
    return constant(Bitmap::range(0, n()), q.boost);
  }
  Result<MatchNode> visit(const MatchNoneQuery&) { return empty_node(); }

  // A scored term on an indexed string field.
  MatchNode term_node(const std::string& field, std::string_view term, float boost) {
    const FieldReader* f = r_.field(field);
    if (f == nullptr) return empty_node();
    auto t = f->find(term);
    if (!t) return empty_node();
    MatchNode node;
    node.kind = MatchNode::Kind::kTerm;
    node.field = f;
    node.postings = f->postings(*t);
    node.docs = node.postings.docs;
    node.weight = boost * ctx_.idf(field, term);
    node.avgdl = ctx_.avgdl(field);
    return node;
  }

  MatchNode case_insensitive_terms(const std::string& field, std::string_view value, float boost) {
    const FieldReader* f = r_.field(field);
    if (f == nullptr) return empty_node();
    std::vector<Bitmap> parts;
    for_each_equal_term_ci(*f, lowercase(value),
                           [&](uint32_t t) { parts.push_back(f->postings(t).docs); });
    return constant(Bitmap::union_many(parts), boost);
  }

  // Exact-value query on one field: term semantics (no analysis).
  Result<MatchNode> exact(const FieldDef& def, const JsonScalar& value, float boost, bool lenient,
                          bool case_insensitive = false) {
    switch (storage_kind(def.type)) {
      case StorageKind::kText:
      case StorageKind::kKeyword: {
        std::string s = scalar_to_string(value);
        if (case_insensitive) return case_insensitive_terms(def.name, s, boost);
        return term_node(def.name, s, boost);
      }
      case StorageKind::kInt64:
      case StorageKind::kDouble: {
        RangeQuery rq;
        rq.field = def.name;
        rq.gte = value;
        rq.lte = value;
        rq.boost = boost;
        auto node = range(def, rq, lenient);
        return node;
      }
      case StorageKind::kNone:
        return empty_node();
    }
    return empty_node();
  }

  Result<MatchNode> visit(const TermQuery& q) {
    if (q.field == "_id") return ids({scalar_to_string(q.value)}, q.boost);
    const FieldDef* def = ctx_.mapping().find(q.field);
    if (def == nullptr) return empty_node();
    auto node = exact(*def, q.value, q.boost, false, q.case_insensitive);
    if (!node) return node;
    // ES: term-level queries on numbers/dates are constant score; on strings BM25.
    return node;
  }

  Result<MatchNode> visit(const TermsQuery& q) {
    if (q.field == "_id") {
      std::vector<std::string> idv;
      for (const auto& v : q.values) idv.push_back(scalar_to_string(v));
      return ids(idv, q.boost);
    }
    const FieldDef* def = ctx_.mapping().find(q.field);
    if (def == nullptr) return empty_node();
    std::vector<Bitmap> parts;
    for (const auto& v : q.values) {
      auto node = exact(*def, v, 1.0f, false);
      if (!node) return node;
      parts.push_back(std::move(node->docs));
    }
    return constant(Bitmap::union_many(parts), q.boost);
  }

  Result<MatchNode> ids(const std::vector<std::string>& values, float boost) {
    std::vector<Bitmap> parts;
    const FieldReader* f = r_.field("_id");
    if (f != nullptr) {
      for (const auto& id : values)
        if (auto t = f->find(id)) parts.push_back(f->postings(*t).docs);
    }
    return constant(Bitmap::union_many(parts), boost);
  }
  Result<MatchNode> visit(const IdsQuery& q) { return ids(q.values, q.boost); }

  Result<MatchNode> range(const FieldDef& def, const RangeQuery& q, bool lenient) {
    const FieldReader* f = r_.field(def.name);
    auto has = [](const JsonScalar& v) { return !std::holds_alternative<std::monostate>(v); };
    StorageKind kind = storage_kind(def.type);
    if (kind == StorageKind::kText || kind == StorageKind::kKeyword) {
      if (f == nullptr) return empty_node();
      uint32_t from = 0, to = f->term_count();
      if (has(q.gte)) from = f->lower_bound(scalar_to_string(q.gte));
      if (has(q.gt)) {
        std::string s = scalar_to_string(q.gt);
        from = std::max(from, f->lower_bound(s));
        if (from < to && f->term(from) == s) ++from;
      }
      if (has(q.lt)) to = std::min(to, f->lower_bound(scalar_to_string(q.lt)));
      if (has(q.lte)) {
        std::string s = scalar_to_string(q.lte);
        uint32_t e = f->lower_bound(s);
        if (e < f->term_count() && f->term(e) == s) ++e;
        to = std::min(to, e);
      }
      if (from >= to) return empty_node();
      return constant(union_terms(*f, from, to), q.boost);
    }
    if (kind == StorageKind::kNone) return empty_node();
    if (def.type == FieldType::kDate) {
      std::string fmt = q.format ? *q.format : def.format.value_or(std::string(kDefaultDateFormat));
      if (q.format) fmt += "||" + def.format.value_or(std::string(kDefaultDateFormat));
      std::string tz = q.time_zone.value_or("");
      int64_t lo = INT64_MIN, hi = INT64_MAX;
      auto bound = [&](const JsonScalar& v, bool round_up) -> Result<int64_t> {
        if (const int64_t* i = std::get_if<int64_t>(&v)) return *i;
        if (const double* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
        return parse_date_math(scalar_to_string(v), ctx_.now_ms(), fmt, tz, round_up);
      };
      struct Side {
        const JsonScalar* v;
        bool round_up;
        int which;  // 0 gt, 1 gte, 2 lt, 3 lte
      };
      for (Side s : {Side{&q.gt, true, 0}, Side{&q.gte, false, 1}, Side{&q.lt, false, 2},
                     Side{&q.lte, true, 3}}) {
        if (!has(*s.v)) continue;
        auto b = bound(*s.v, s.round_up);
        if (!b) {
          if (lenient) return empty_node();
          return shard_error("failed to create query: " + b.error().message);
        }
        if (s.which == 0) lo = std::max(lo, *b == INT64_MAX ? *b : *b + 1);
        if (s.which == 1) lo = std::max(lo, *b);
        if (s.which == 2) hi = std::min(hi, *b == INT64_MIN ? *b : *b - 1);
        if (s.which == 3) hi = std::min(hi, *b);
      }
      if (f == nullptr) return empty_node();
      return constant(scan_int(*f, n(), lo, hi), q.boost);
    }
    auto num = [&](const JsonScalar& v, double& out) -> Status {
      if (scalar_number(v, def.type, out)) return {};
      return shard_error("failed to create query: For input string: \"" + scalar_to_string(v) +
                         "\"");
    };
    if (kind == StorageKind::kInt64) {
      int64_t lo = INT64_MIN, hi = INT64_MAX;
      double v;
      auto clamp = [](double x) -> int64_t {
        if (x >= 9.2233720368547758e18) return INT64_MAX;
        if (x <= -9.2233720368547758e18) return INT64_MIN;
        return static_cast<int64_t>(x);
      };
      if (has(q.gt)) {
        if (Status s = num(q.gt, v); !s)
          return lenient ? Result<MatchNode>(empty_node()) : s.error();
        lo = std::max(lo, clamp(std::floor(v)) + 1);
      }
      if (has(q.gte)) {
        if (Status s = num(q.gte, v); !s)
          return lenient ? Result<MatchNode>(empty_node()) : s.error();
        lo = std::max(lo, clamp(std::ceil(v)));
      }
      if (has(q.lt)) {
        if (Status s = num(q.lt, v); !s)
          return lenient ? Result<MatchNode>(empty_node()) : s.error();
        hi = std::min(hi, clamp(std::ceil(v)) - 1);
      }
      if (has(q.lte)) {
        if (Status s = num(q.lte, v); !s)
          return lenient ? Result<MatchNode>(empty_node()) : s.error();
        hi = std::min(hi, clamp(std::floor(v)));
      }
      if (f == nullptr) return empty_node();
      return constant(scan_int(*f, n(), lo, hi), q.boost);
    }
    const bool is_float = def.type == FieldType::kFloat || def.type == FieldType::kHalfFloat;
    auto round = [&](double x) { return is_float ? double(float(x)) : x; };
    double lo = -INFINITY, hi = INFINITY, v;
    if (has(q.gt)) {
      if (Status s = num(q.gt, v); !s) return lenient ? Result<MatchNode>(empty_node()) : s.error();
      lo = std::max(lo, std::nextafter(round(v), INFINITY));
    }
    if (has(q.gte)) {
      if (Status s = num(q.gte, v); !s)
        return lenient ? Result<MatchNode>(empty_node()) : s.error();
      lo = std::max(lo, round(v));
    }
    if (has(q.lt)) {
      if (Status s = num(q.lt, v); !s) return lenient ? Result<MatchNode>(empty_node()) : s.error();
      hi = std::min(hi, std::nextafter(round(v), -INFINITY));
    }
    if (has(q.lte)) {
      if (Status s = num(q.lte, v); !s)
        return lenient ? Result<MatchNode>(empty_node()) : s.error();
      hi = std::min(hi, round(v));
    }
    if (f == nullptr) return empty_node();
    return constant(scan_double(*f, n(), lo, hi), q.boost);
  }

  Result<MatchNode> visit(const RangeQuery& q) {
    auto defs = resolve(ctx_.mapping(), q.field);
    if (defs.empty()) return empty_node();
    if (defs.size() == 1) return range(*defs[0], q, q.field.find('*') != std::string::npos);
    std::vector<Bitmap> parts;
    for (const FieldDef* d : defs) {
      auto node = range(*d, q, true);
      if (node) parts.push_back(std::move(node->docs));
    }
    return constant(Bitmap::union_many(parts), q.boost);
  }

  Result<MatchNode> visit(const ExistsQuery& q) {
    std::vector<Bitmap> parts;
    auto add = [&](const std::string& name) {
      if (const FieldReader* f = r_.field(name)) parts.push_back(f->exists());
    };
    if (q.field.find('*') != std::string::npos) {
      for (const auto& [name, f] : r_.fields())
        if (name != "_id" && field_pattern_match(q.field, name)) parts.push_back(f.exists());
    } else if (ctx_.mapping().is_object(q.field)) {
      std::string prefix = q.field + ".";
      for (const auto& [name, f] : r_.fields())
        if (name.compare(0, prefix.size(), prefix) == 0) parts.push_back(f.exists());
    } else {
      add(q.field);
    }
    return constant(Bitmap::union_many(parts), q.boost);
  }

  Result<MatchNode> prefix_on(const FieldDef& def, std::string value, bool ci, bool normalize,
                              float boost) {
    if (storage_kind(def.type) != StorageKind::kText &&
        storage_kind(def.type) != StorageKind::kKeyword)
      return empty_node();
    const FieldReader* f = r_.field(def.name);
    if (f == nullptr) return empty_node();
    if (normalize && def.type == FieldType::kText) value = lowercase(value);
    if (ci) {
      std::vector<Bitmap> parts;
      for_each_prefix_term_ci(*f, lowercase(value),
                              [&](uint32_t t) { parts.push_back(f->postings(t).docs); });
      return constant(Bitmap::union_many(parts), boost);
    }
    uint32_t from = f->lower_bound(value), to = from;
    while (to < f->term_count() && f->term(to).substr(0, value.size()) == value) ++to;
    return constant(union_terms(*f, from, to), boost);
  }

  Result<MatchNode> wildcard_on(const FieldDef& def, std::string pattern, bool ci, bool normalize,
                                float boost) {
    if (storage_kind(def.type) != StorageKind::kText &&
        storage_kind(def.type) != StorageKind::kKeyword)
      return empty_node();
    const FieldReader* f = r_.field(def.name);
    if (f == nullptr) return empty_node();
    if ((normalize && def.type == FieldType::kText) || ci) pattern = lowercase(pattern);
    std::vector<Bitmap> parts;
    for_each_wildcard_term(*f, WildcardPattern(std::move(pattern)), ci,
                           [&](uint32_t t) { parts.push_back(f->postings(t).docs); });
    return constant(Bitmap::union_many(parts), boost);
  }

  template <typename Q, typename F>
  Result<MatchNode> per_field_union(const Q& q, F&& on_field) {
    auto defs = resolve(ctx_.mapping(), q.field);
    std::vector<Bitmap> parts;
    for (const FieldDef* d : defs) {
      auto node = on_field(*d);
      if (!node) return node;
      parts.push_back(std::move(node->docs));
    }
    return constant(Bitmap::union_many(parts), q.boost);
  }

  Result<MatchNode> visit(const PrefixQuery& q) {
    if (q.field == "_id") {
      FieldDef idf;
      idf.name = "_id";
      idf.type = FieldType::kKeyword;
      return prefix_on(idf, q.value, q.case_insensitive, false, q.boost);
    }
    return per_field_union(q, [&](const FieldDef& d) {
      return prefix_on(d, q.value, q.case_insensitive, q.normalize, q.boost);
    });
  }
  Result<MatchNode> visit(const WildcardQuery& q) {
    return per_field_union(q, [&](const FieldDef& d) {
      return wildcard_on(d, q.value, q.case_insensitive, q.normalize, q.boost);
    });
  }

  // match on one field: analysed for text, exact for the rest.
  Result<MatchNode> match_field(const FieldDef& def, const JsonScalar& value, Operator op,
                                const std::optional<std::string>& msm, bool zero_terms_all,
                                bool lenient, float boost) {
    if (storage_kind(def.type) != StorageKind::kText) {
      auto node = exact(def, value, boost, lenient);
      if (!node && lenient) return empty_node();
      if (node && storage_kind(def.type) == StorageKind::kKeyword &&
          node->kind == MatchNode::Kind::kConst)
        return node;
      return node;
    }
    TokenBuffer tokens;
    StandardAnalyzer::analyze(scalar_to_string(value), tokens);
    if (tokens.empty())
      return zero_terms_all ? constant(Bitmap::range(0, n()), boost) : empty_node();
    if (tokens.size() == 1) return term_node(def.name, tokens[0], boost);
    BoolQueryParts parts;
    for (size_t i = 0; i < tokens.size(); ++i)
      parts.clauses.push_back(term_node(def.name, tokens[i], boost));
    int k = static_cast<int>(parts.clauses.size());
    int min_match = op == Operator::kAnd ? k : parse_msm(msm, k, 1);
    return combine_should(std::move(parts.clauses), std::max(min_match, 1), 1.0f);
  }

  struct BoolQueryParts {
    std::vector<MatchNode> clauses;
  };

  // A bool of should clauses of which at least min_match must match.
  MatchNode combine_should(std::vector<MatchNode> clauses, int min_match, float boost) {
    MatchNode node;
    node.kind = MatchNode::Kind::kBool;
    node.boost = boost;
    node.docs = at_least(clauses, min_match);
    node.should = std::move(clauses);
    return node;
  }

  static Bitmap at_least(const std::vector<MatchNode>& clauses, int min_match) {
    if (clauses.empty()) return Bitmap();
    if (min_match <= 1) {
      std::vector<Bitmap> parts;
      for (const auto& c : clauses) parts.push_back(c.docs);
      return Bitmap::union_many(parts);
    }
    if (min_match >= static_cast<int>(clauses.size())) {
      Bitmap b = clauses[0].docs;
      for (size_t i = 1; i < clauses.size(); ++i) b &= clauses[i].docs;
      return b;
    }
    std::vector<Bitmap> parts;
    for (const auto& c : clauses) parts.push_back(c.docs);
    Bitmap any = Bitmap::union_many(parts);
    std::vector<uint32_t> docs;
    any.for_each([&](uint32_t d) {
      int count = 0;
      for (const auto& c : clauses) count += c.docs.contains(d);
      if (count >= min_match) docs.push_back(d);
    });
    return Bitmap::from_sorted(docs.data(), docs.size());
  }

  MatchNode dis_max(std::vector<MatchNode> children, float tie, float boost) {
    if (children.size() == 1 && boost == 1.0f) return std::move(children[0]);
    MatchNode node;
    node.kind = MatchNode::Kind::kDisMax;
    node.boost = boost;
    node.tie_breaker = tie;
    std::vector<Bitmap> parts;
    for (const auto& c : children) parts.push_back(c.docs);
    node.docs = Bitmap::union_many(parts);
    node.children = std::move(children);
    return node;
  }

  Result<MatchNode> visit(const MatchQuery& q) {
    auto defs = resolve(ctx_.mapping(), q.field);
    bool lenient = q.lenient || defs.size() > 1 || q.field.find('*') != std::string::npos;
    std::vector<MatchNode> children;
    for (const FieldDef* d : defs) {
      auto node = match_field(*d, q.query, q.op, q.minimum_should_match, q.zero_terms_all, lenient,
                              q.boost);
      if (!node) return node;
      children.push_back(std::move(*node));
    }
    if (children.empty()) return empty_node();
    return dis_max(std::move(children), 0.0f, 1.0f);
  }

  Result<MatchNode> phrase_field(const FieldDef& def, const std::string& text, int32_t slop,
                                 float boost) {
    if (def.type != FieldType::kText) return exact(def, text, boost, true);
    TokenBuffer tokens;
    StandardAnalyzer::analyze(text, tokens);
    if (tokens.empty()) return empty_node();
    std::vector<MatchNode> terms;
    for (size_t i = 0; i < tokens.size(); ++i)
      terms.push_back(term_node(def.name, tokens[i], boost));
    MatchNode node;
    node.kind = MatchNode::Kind::kBool;
    node.docs = at_least(terms, static_cast<int>(terms.size()));
    if (tokens.size() > 1) node.docs = verify_phrase(node.docs, def.name, tokens.to_vector(), slop);
    node.must = std::move(terms);
    return node;
  }

  // Positions are not indexed: candidate docs are verified by re-analysing the stored
  // field values (a trade of phrase speed for index size; phrases are rare in logs).
  Bitmap verify_phrase(const Bitmap& candidates, const std::string& field,
                       const std::vector<std::string>& phrase, int32_t slop) {
    std::vector<uint32_t> out;
    candidates.for_each([&](uint32_t d) {
      auto doc = r_.stored(d);
      if (!doc) return;
      boost::system::error_code ec;
      json::value src = json::parse(doc->source, ec);
      if (ec) return;
      std::vector<std::string> values;
      collect_values(src, field, 0, values);
      std::vector<std::string> toks;
      std::vector<int> pos;
      int base = 0;
      for (const auto& v : values) {
        TokenBuffer tb;
        StandardAnalyzer::analyze(v, tb);
        for (size_t i = 0; i < tb.size(); ++i) {
          toks.emplace_back(tb[i]);
          pos.push_back(base + static_cast<int>(i));
        }
        base += static_cast<int>(tb.size()) + 100;  // position_increment_gap
      }
      if (phrase_matches(toks, pos, phrase, slop)) out.push_back(d);
    });
    return Bitmap::from_sorted(out.data(), out.size());
  }

  static void collect_values(const json::value& v, std::string_view path, size_t from,
                             std::vector<std::string>& out) {
    if (v.is_array()) {
      for (const auto& item : v.get_array()) collect_values(item, path, from, out);
      return;
    }
    if (from >= path.size()) {
      if (v.is_string())
        out.emplace_back(v.get_string());
      else if (v.is_number() || v.is_bool())
        out.push_back(json::serialize(v));
      return;
    }
    if (!v.is_object()) return;
    // Try every split of the remaining dotted path (keys may contain dots).
    for (size_t end = path.find('.', from);; end = path.find('.', end + 1)) {
      std::string_view key = path.substr(from, end == std::string_view::npos ? end : end - from);
      if (const json::value* child = v.get_object().if_contains(key))
        collect_values(*child, path, end == std::string_view::npos ? path.size() : end + 1, out);
      if (end == std::string_view::npos) break;
    }
  }

  static bool phrase_matches(const std::vector<std::string>& toks, const std::vector<int>& pos,
                             const std::vector<std::string>& phrase, int32_t slop) {
    for (size_t s = 0; s < toks.size(); ++s) {
      if (toks[s] != phrase[0]) continue;
      if (slop == 0) {
        bool ok = s + phrase.size() <= toks.size();
        for (size_t k = 1; ok && k < phrase.size(); ++k)
          ok = toks[s + k] == phrase[k] && pos[s + k] == pos[s] + static_cast<int>(k);
        if (ok) return true;
      } else {
        // Sloppy: every later term within slop of its expected position.
        bool ok = true;
        for (size_t k = 1; ok && k < phrase.size(); ++k) {
          bool found = false;
          for (size_t j = 0; j < toks.size() && !found; ++j)
            found = toks[j] == phrase[k] && std::abs(pos[j] - pos[s] - static_cast<int>(k)) <= slop;
          ok = found;
        }
        if (ok) return true;
      }
    }
    return false;
  }

  Result<MatchNode> visit(const MatchPhraseQuery& q) {
    auto defs = resolve(ctx_.mapping(), q.field);
    std::vector<MatchNode> children;
    for (const FieldDef* d : defs) {
      auto node = phrase_field(*d, q.query, q.slop, q.boost);
      if (!node) return node;
      children.push_back(std::move(*node));
    }
    if (children.empty()) return empty_node();
    return dis_max(std::move(children), 0.0f, 1.0f);
  }

  Result<MatchNode> visit(const MultiMatchQuery& q) {
    std::vector<std::string> specs = q.fields.empty() ? std::vector<std::string>{"*"} : q.fields;
    std::vector<MatchNode> children;
    for (const auto& spec : specs) {
      auto [pattern, fboost] = split_boost(spec);
      auto defs = resolve(ctx_.mapping(), pattern);
      bool lenient = q.lenient || pattern.find('*') != std::string::npos;
      for (const FieldDef* d : defs) {
        auto node = q.phrase ? phrase_field(*d, scalar_to_string(q.query), 0, fboost)
                             : match_field(*d, q.query, q.op, q.minimum_should_match, false,
                                           lenient, fboost);
        if (!node) return node;
        children.push_back(std::move(*node));
      }
    }
    if (children.empty()) return empty_node();
    return dis_max(std::move(children), q.tie_breaker, q.boost);
  }

  Result<MatchNode> visit(const QueryStringQuery& q) {
    auto parsed = parse_query_string(q);
    if (!parsed) return parsed.error();
    return build(*parsed);
  }
  Result<MatchNode> visit(const SimpleQueryStringQuery& q) {
    return build(parse_simple_query_string(q));
  }

  Result<MatchNode> visit(const BoolQuery& q) {
    MatchNode node;
    node.kind = MatchNode::Kind::kBool;
    node.boost = q.boost;
    std::optional<Bitmap> required;
    auto intersect = [&](const Bitmap& b) {
      if (!required) {
        required = b;
      } else {
        *required &= b;
      }
    };
    for (const auto& c : q.must) {
      auto child = build(c);
      if (!child) return child;
      intersect(child->docs);
      node.must.push_back(std::move(*child));
    }
    for (const auto& c : q.filter) {
      auto child = build(c);
      if (!child) return child;
      intersect(child->docs);
    }
    std::vector<MatchNode> should;
    for (const auto& c : q.should) {
      auto child = build(c);
      if (!child) return child;
      should.push_back(std::move(*child));
    }
    int k = static_cast<int>(should.size());
    int dflt = (k > 0 && q.must.empty() && q.filter.empty()) ? 1 : 0;
    int msm = parse_msm(q.minimum_should_match, k, dflt);
    if (msm > 0) {
      intersect(at_least(should, msm));
    }
    Bitmap docs = required ? std::move(*required) : Bitmap::range(0, n());
    for (const auto& c : q.must_not) {
      auto child = build(c);
      if (!child) return child;
      docs -= child->docs;
    }
    node.docs = std::move(docs);
    node.should = std::move(should);
    return node;
  }

  Result<MatchNode> visit(const DisMaxQuery& q) {
    std::vector<MatchNode> children;
    for (const auto& c : q.queries) {
      auto child = build(c);
      if (!child) return child;
      children.push_back(std::move(*child));
    }
    if (children.empty()) return empty_node();
    return dis_max(std::move(children), q.tie_breaker, q.boost);
  }

  const SegmentView& seg_;
  const SegmentReader& r_;
  QueryContext& ctx_;
};

}  // namespace

Result<MatchNode> build_match(const Query& query, const SegmentView& segment, QueryContext& ctx) {
  Builder b(segment, ctx);
  return b.build(query);
}

}  // namespace comptoir::engine
