// A brute-force evaluator of the DSL subset over plain JSON documents, written
// independently of the engine (no segments, bitmaps or doc values): the oracle of the
// property test. It knows the test mapping's field types and uses the analyzer.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/analysis/standard_analyzer.h"
#include "engine/dsl/query.h"
#include "engine/dsl/search_request.h"

namespace comptoir::engine::testing {

namespace json = boost::json;

struct BfDoc {
  std::string id;
  json::object source;
};

enum class BfType { kKeyword, kText, kLong, kDouble, kDate, kBool };

class BruteForce {
 public:
  explicit BruteForce(std::map<std::string, BfType> types) : types_(std::move(types)) {}

  // Values of a dotted path (arrays flattened, nulls dropped).
  static void values(const json::value& v, std::string_view path, std::vector<json::value>& out) {
    if (v.is_array()) {
      for (const auto& x : v.get_array()) values(x, path, out);
      return;
    }
    if (path.empty()) {
      if (!v.is_null() && !v.is_object()) out.push_back(v);
      return;
    }
    if (!v.is_object()) return;
    size_t dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    if (const auto* c = v.get_object().if_contains(key))
      values(*c, dot == std::string_view::npos ? "" : path.substr(dot + 1), out);
  }
  std::vector<json::value> field_values(const BfDoc& d, const std::string& field) const {
    std::vector<json::value> out;
    std::string path = field;
    bool keyword_sub = path.size() > 8 && path.substr(path.size() - 8) == ".keyword";
    if (keyword_sub) path = path.substr(0, path.size() - 8);
    values(json::value(d.source), path, out);
    if (keyword_sub) {
      std::vector<json::value> kept;
      for (auto& v : out)
        if (v.is_string() && v.get_string().size() <= 256) kept.push_back(v);
      return kept;
    }
    return out;
  }
  BfType type(const std::string& f) const {
    if (f.size() > 8 && f.substr(f.size() - 8) == ".keyword") return BfType::kKeyword;
    auto it = types_.find(f);
    return it == types_.end() ? BfType::kKeyword : it->second;
  }
  double numeric(const json::value& v, const std::string& field) const {
    return type(field) == BfType::kDate ? date_ms(v) : num(v);
  }
  static double num(const json::value& v) {
    return v.is_bool() ? (v.get_bool() ? 1 : 0) : v.to_number<double>();
  }
  static std::string str(const json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    return json::serialize(v);
  }
  static double scalar_num(const JsonScalar& s) {
    if (auto* i = std::get_if<int64_t>(&s)) return double(*i);
    if (auto* d = std::get_if<double>(&s)) return *d;
    if (auto* b = std::get_if<bool>(&s)) return *b ? 1 : 0;
    if (auto* t = std::get_if<std::string>(&s)) return std::strtod(t->c_str(), nullptr);
    return NAN;
  }
  static std::vector<std::string> tokens(const std::vector<json::value>& vals) {
    std::vector<std::string> out;
    for (const auto& v : vals)
      for (auto& t : StandardAnalyzer::tokens(str(v))) out.push_back(t);
    return out;
  }

  static bool glob(std::string_view p, std::string_view t) {
    if (p.empty()) return t.empty();
    if (p[0] == '*') return glob(p.substr(1), t) || (!t.empty() && glob(p, t.substr(1)));
    if (t.empty()) return false;
    if (p[0] == '\\' && p.size() > 1) return p[1] == t[0] && glob(p.substr(2), t.substr(1));
    if (p[0] == '?' || p[0] == t[0]) return glob(p.substr(1), t.substr(1));
    return false;
  }

  bool matches(const Query& q, const BfDoc& d) const {
    return std::visit([&](const auto& n) { return this->eval(n, d); }, q.node);
  }

  bool eval(const MatchAllQuery&, const BfDoc&) const { return true; }
  bool eval(const MatchNoneQuery&, const BfDoc&) const { return false; }
  bool eval(const TermQuery& q, const BfDoc& d) const {
    auto vals = field_values(d, q.field);
    switch (type(q.field)) {
      case BfType::kText: {
        std::string want = scalar_to_string(q.value);
        for (const auto& t : tokens(vals))
          if (t == want) return true;
        return false;
      }
      case BfType::kKeyword:
        for (const auto& v : vals)
          if (str(v) == scalar_to_string(q.value)) return true;
        return false;
      default:
        for (const auto& v : vals)
          if (numeric(v, q.field) == scalar_num(q.value)) return true;
        return false;
    }
  }
  bool eval(const TermsQuery& q, const BfDoc& d) const {
    for (const auto& v : q.values)
      if (eval(TermQuery{q.field, v}, d)) return true;
    return false;
  }
  bool eval(const RangeQuery& q, const BfDoc& d) const {
    auto has = [](const JsonScalar& s) { return !std::holds_alternative<std::monostate>(s); };
    for (const auto& v : field_values(d, q.field)) {
      bool ok = true;
      if (type(q.field) == BfType::kKeyword) {
        std::string s = str(v);
        if (has(q.gt)) ok = ok && s > scalar_to_string(q.gt);
        if (has(q.gte)) ok = ok && s >= scalar_to_string(q.gte);
        if (has(q.lt)) ok = ok && s < scalar_to_string(q.lt);
        if (has(q.lte)) ok = ok && s <= scalar_to_string(q.lte);
      } else {
        double x = numeric(v, q.field);
        if (has(q.gt)) ok = ok && x > scalar_num(q.gt);
        if (has(q.gte)) ok = ok && x >= scalar_num(q.gte);
        if (has(q.lt)) ok = ok && x < scalar_num(q.lt);
        if (has(q.lte)) ok = ok && x <= scalar_num(q.lte);
      }
      if (ok) return true;
    }
    return false;
  }
  bool eval(const ExistsQuery& q, const BfDoc& d) const {
    if (!field_values(d, q.field).empty()) return true;
    // Objects: any sub-field.
    std::vector<json::value> objs;
    const json::value* v = d.source.if_contains(q.field);
    return v && v->is_object() && !v->get_object().empty() &&
           std::any_of(v->get_object().begin(), v->get_object().end(),
                       [](const auto& kv) { return !kv.value().is_null(); });
  }
  bool eval(const PrefixQuery& q, const BfDoc& d) const {
    auto vals = field_values(d, q.field);
    std::vector<std::string> terms;
    if (type(q.field) == BfType::kText) {
      terms = tokens(vals);
    } else {
      for (auto& v : vals) terms.push_back(str(v));
    }
    for (const auto& t : terms)
      if (t.compare(0, q.value.size(), q.value) == 0) return true;
    return false;
  }
  bool eval(const WildcardQuery& q, const BfDoc& d) const {
    const std::string pattern = q.case_insensitive ? lowercase(q.value) : q.value;
    for (const auto& v : field_values(d, q.field))
      if (glob(pattern, q.case_insensitive ? lowercase(str(v)) : str(v))) return true;
    return false;
  }
  bool eval(const MatchQuery& q, const BfDoc& d) const {
    if (type(q.field) != BfType::kText) return eval(TermQuery{q.field, q.query}, d);
    auto want = StandardAnalyzer::tokens(scalar_to_string(q.query));
    auto have = tokens(field_values(d, q.field));
    size_t found = 0;
    for (const auto& w : want) found += std::find(have.begin(), have.end(), w) != have.end();
    if (want.empty()) return false;
    return q.op == Operator::kAnd ? found == want.size() : found >= 1;
  }
  bool eval(const MatchPhraseQuery& q, const BfDoc& d) const {
    auto want = StandardAnalyzer::tokens(q.query);
    if (want.empty()) return false;
    for (const auto& v : field_values(d, q.field)) {  // phrases never span values (gap 100)
      auto have = StandardAnalyzer::tokens(str(v));
      for (size_t s = 0; s + want.size() <= have.size(); ++s)
        if (std::equal(want.begin(), want.end(), have.begin() + static_cast<long>(s))) return true;
    }
    return false;
  }
  bool eval(const IdsQuery& q, const BfDoc& d) const {
    return std::find(q.values.begin(), q.values.end(), d.id) != q.values.end();
  }
  bool eval(const BoolQuery& q, const BfDoc& d) const {
    for (const auto& c : q.must)
      if (!matches(c, d)) return false;
    for (const auto& c : q.filter)
      if (!matches(c, d)) return false;
    for (const auto& c : q.must_not)
      if (matches(c, d)) return false;
    int n = 0;
    for (const auto& c : q.should) n += matches(c, d);
    int msm = (!q.should.empty() && q.must.empty() && q.filter.empty()) ? 1 : 0;
    if (q.minimum_should_match)
      msm = std::min<int>(std::atoi(q.minimum_should_match->c_str()), int(q.should.size()));
    return n >= msm;
  }
  template <typename T>
  bool eval(const T&, const BfDoc&) const {
    return false;  // not generated by the property test
  }

  // Sort key as the engine reports it (missing sentinels included).
  struct Key {
    int kind;  // 0 number, 1 string, 2 null
    double n = 0;
    std::string s;
  };
  Key sort_key(const BfDoc& d, const SortField& f) const {
    bool desc = f.effective_order() == SortOrder::kDesc;
    auto vals = field_values(d, f.field);
    BfType t = type(f.field);
    Key k;
    if (vals.empty()) {
      bool high = f.missing_first() == desc;
      if (t == BfType::kKeyword) return Key{2, 0, ""};
      return Key{0, high ? INFINITY : -INFINITY, ""};
    }
    if (t == BfType::kKeyword) {
      std::vector<std::string> s;
      for (auto& v : vals) s.push_back(str(v));
      return Key{
          1, 0,
          desc ? *std::max_element(s.begin(), s.end()) : *std::min_element(s.begin(), s.end())};
    }
    std::vector<double> n;
    for (auto& v : vals) n.push_back(t == BfType::kDate ? date_ms(v) : num(v));
    return Key{0,
               desc ? *std::max_element(n.begin(), n.end()) : *std::min_element(n.begin(), n.end()),
               ""};
  }
  static double date_ms(const json::value& v);  // defined by the test

  int compare(const Key& a, const Key& b, const SortField& f) const {
    if (a.kind == 2 || b.kind == 2) {
      if (a.kind == b.kind) return 0;
      int null_side = f.missing_first() ? -1 : 1;
      return a.kind == 2 ? null_side : -null_side;
    }
    int c = a.kind == 1 ? (a.s < b.s   ? -1
                           : a.s > b.s ? 1
                                       : 0)
                        : (a.n < b.n   ? -1
                           : a.n > b.n ? 1
                                       : 0);
    return f.effective_order() == SortOrder::kDesc ? -c : c;
  }

  // Ids of the hits and the total, for requests with an explicit field sort.
  std::pair<std::vector<std::string>, int64_t> search(const std::vector<BfDoc>& docs,
                                                      const SearchRequest& r,
                                                      const std::vector<Key>* after) const {
    std::vector<size_t> hits;
    for (size_t i = 0; i < docs.size(); ++i)
      if (!r.query || matches(*r.query, docs[i])) hits.push_back(i);
    int64_t total = static_cast<int64_t>(hits.size());
    std::vector<std::vector<Key>> keys(docs.size());
    for (size_t i : hits)
      for (const auto& f : r.sort)
        keys[i].push_back(f.field == "_doc" ? Key{0, double(i), ""} : sort_key(docs[i], f));
    if (after != nullptr) {
      std::vector<size_t> kept;
      for (size_t i : hits) {
        int c = 0;
        for (size_t s = 0; s < r.sort.size() && c == 0; ++s)
          c = compare(keys[i][s], (*after)[s], r.sort[s]);
        if (c > 0) kept.push_back(i);
      }
      hits = kept;
    }
    std::stable_sort(hits.begin(), hits.end(), [&](size_t a, size_t b) {
      for (size_t s = 0; s < r.sort.size(); ++s) {
        int c = compare(keys[a][s], keys[b][s], r.sort[s]);
        if (c != 0) return c < 0;
      }
      return a < b;
    });
    std::vector<std::string> ids;
    for (size_t i = static_cast<size_t>(r.from);
         i < hits.size() && ids.size() < static_cast<size_t>(r.size); ++i)
      ids.push_back(docs[hits[i]].id);
    return {ids, total};
  }

 private:
  std::map<std::string, BfType> types_;
};

}  // namespace comptoir::engine::testing
