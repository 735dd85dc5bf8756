// A brute-force evaluator of aggregations over plain JSON documents, written without
// the engine's collectors, ordinals or sketches: the oracle of the aggregation property
// test. It covers what the generator produces: terms, histogram, date_histogram (UTC
// or a fixed offset), range, filters, missing, the numeric metrics, cardinality and
// percentiles (exact, as the engine is for small samples).
#pragma once

#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "brute_force.h"
#include "engine/dsl/aggregation.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine::testing {

class BruteForceAggs {
 public:
  explicit BruteForceAggs(const BruteForce& bf, std::map<std::string, BfType> types)
      : bf_(bf), types_(std::move(types)) {}

  json::object run(const std::vector<Aggregation>& aggs, const std::vector<const BfDoc*>& docs) {
    json::object out;
    for (const auto& a : aggs) out[a.name] = one(a, docs);
    return out;
  }

 private:
  BfType type(const std::string& f) const {
    auto it = types_.find(f);
    return it == types_.end() ? BfType::kKeyword : it->second;
  }
  // Numeric values of a field (dates in ms, booleans 1/0).
  std::vector<double> numbers(const BfDoc& d, const std::string& f) const {
    std::vector<double> out;
    for (const auto& v : bf_.field_values(d, f)) {
      if (type(f) == BfType::kDate) {
        out.push_back(BruteForce::date_ms(v));
      } else if (v.is_bool()) {
        out.push_back(v.get_bool() ? 1 : 0);
      } else if (v.is_number()) {
        out.push_back(v.to_number<double>());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  json::object bucket_with_subs(const Aggregation& a, json::object bucket,
                                const std::vector<const BfDoc*>& docs) {
    bucket["doc_count"] = static_cast<int64_t>(docs.size());
    for (const auto& s : a.subs) bucket[s.name] = one(s, docs);
    return bucket;
  }

  double sub_value(const Aggregation& a, const std::string& path,
                   const std::vector<const BfDoc*>& docs) {
    for (const auto& s : a.subs) {
      if (s.name != path) continue;
      json::value v = one(s, docs);
      const json::value& x = v.as_object().at("value");
      return x.is_null() ? NAN : x.to_number<double>();
    }
    return NAN;
  }

  json::value terms(const Aggregation& a, const TermsAgg& t,
                    const std::vector<const BfDoc*>& docs) {
    BfType ty = type(t.field);
    bool strings = ty == BfType::kKeyword;
    std::map<std::string, std::vector<const BfDoc*>> by_str;
    std::map<double, std::vector<const BfDoc*>> by_num;
    for (const BfDoc* d : docs) {
      if (strings) {
        std::set<std::string> keys;
        for (const auto& v : bf_.field_values(*d, t.field))
          if (v.is_string()) keys.insert(std::string(v.get_string()));
        for (const auto& k : keys) by_str[k].push_back(d);
      } else {
        std::set<double> keys;
        for (double v : numbers(*d, t.field)) keys.insert(v);
        for (double k : keys) by_num[k].push_back(d);
      }
    }
    struct B {
      json::object key;
      std::string skey;
      double nkey;
      std::vector<const BfDoc*> docs;
      double order_value = 0;
    };
    std::vector<B> buckets;
    for (auto& [k, ds] : by_str) buckets.push_back({json::object{{"key", k}}, k, 0, ds});
    for (auto& [k, ds] : by_num) {
      json::object key;
      if (ty == BfType::kDouble) {
        key["key"] = k;
      } else {
        key["key"] = static_cast<int64_t>(k);
      }
      if (ty == BfType::kDate) key["key_as_string"] = format_date_iso(static_cast<int64_t>(k));
      if (ty == BfType::kBool) key["key_as_string"] = k != 0 ? "true" : "false";
      buckets.push_back({key, "", k, ds});
    }
    const BucketOrder ord = t.order.empty() ? BucketOrder{"_count", SortOrder::kDesc} : t.order[0];
    for (auto& b : buckets)
      if (ord.key != "_count" && ord.key != "_key") b.order_value = sub_value(a, ord.key, b.docs);
    auto key_less = [&](const B& x, const B& y) {
      return strings ? x.skey < y.skey : x.nkey < y.nkey;
    };
    std::stable_sort(buckets.begin(), buckets.end(), [&](const B& x, const B& y) {
      double vx, vy;
      if (ord.key == "_count") {
        vx = double(x.docs.size());
        vy = double(y.docs.size());
      } else if (ord.key == "_key") {
        if (key_less(x, y)) return ord.order == SortOrder::kAsc;
        if (key_less(y, x)) return ord.order != SortOrder::kAsc;
        return false;
      } else {
        vx = x.order_value;
        vy = y.order_value;
      }
      if (vx != vy) return ord.order == SortOrder::kAsc ? vx < vy : vx > vy;
      return key_less(x, y);
    });
    int64_t other = 0;
    json::array arr;
    for (size_t i = 0; i < buckets.size(); ++i) {
      if (int64_t(i) >= t.size) {
        other += int64_t(buckets[i].docs.size());
        continue;
      }
      arr.push_back(bucket_with_subs(a, buckets[i].key, buckets[i].docs));
    }
    return json::object{
        {"doc_count_error_upper_bound", 0}, {"sum_other_doc_count", other}, {"buckets", arr}};
  }

  json::value histogram(const Aggregation& a, const std::string& field,
                        const std::function<double(double)>& key_of,
                        const std::function<double(double)>& next,
                        const std::function<void(double, json::object&)>& write_key,
                        const std::vector<const BfDoc*>& docs) {
    std::map<double, std::vector<const BfDoc*>> by;
    for (const BfDoc* d : docs) {
      std::set<double> keys;
      for (double v : numbers(*d, field)) keys.insert(key_of(v));
      for (double k : keys) by[k].push_back(d);
    }
    json::array arr;
    if (!by.empty()) {
      double last = by.rbegin()->first;
      for (double k = by.begin()->first; k <= last; k = next(k)) {
        json::object key;
        write_key(k, key);
        auto it = by.find(k);
        static const std::vector<const BfDoc*> kNone;
        arr.push_back(bucket_with_subs(a, key, it == by.end() ? kNone : it->second));
      }
    }
    return json::object{{"buckets", arr}};
  }

  json::value metric(const MetricAgg& m, const std::vector<const BfDoc*>& docs) {
    std::vector<double> vals;
    for (const BfDoc* d : docs)
      for (double v : numbers(*d, m.field)) vals.push_back(v);
    long double sum = 0;
    double mn = INFINITY, mx = -INFINITY;
    for (double v : vals) {
      sum += v;
      mn = std::min(mn, v);
      mx = std::max(mx, v);
    }
    bool any = !vals.empty();
    json::value avg = any ? json::value(double(sum / vals.size())) : json::value(nullptr);
    switch (m.kind) {
      case MetricKind::kSum:
        return json::object{{"value", double(sum)}};
      case MetricKind::kAvg:
        return json::object{{"value", avg}};
      case MetricKind::kMin:
        return json::object{{"value", any ? json::value(mn) : json::value(nullptr)}};
      case MetricKind::kMax:
        return json::object{{"value", any ? json::value(mx) : json::value(nullptr)}};
      case MetricKind::kValueCount:
        return json::object{{"value", int64_t(vals.size())}};
      case MetricKind::kStats:
        return json::object{{"count", int64_t(vals.size())},
                            {"min", any ? json::value(mn) : json::value(nullptr)},
                            {"max", any ? json::value(mx) : json::value(nullptr)},
                            {"avg", avg},
                            {"sum", double(sum)}};
    }
    return nullptr;
  }

  json::value one(const Aggregation& a, const std::vector<const BfDoc*>& docs) {
    if (const auto* t = std::get_if<TermsAgg>(&a.body)) return terms(a, *t, docs);
    if (const auto* h = std::get_if<HistogramAgg>(&a.body)) {
      double iv = h->interval;
      return histogram(
          a, h->field, [&](double v) { return std::floor(v / iv) * iv + 0.0; },
          [&](double k) { return k + iv; }, [](double k, json::object& o) { o["key"] = k; }, docs);
    }
    if (const auto* h = std::get_if<DateHistogramAgg>(&a.body)) {
      const int64_t off = h->time_zone.empty() ? 0 : *zone_offset_ms(h->time_zone, 0, false);
      const int64_t unit = h->calendar_interval
                               ? (*h->calendar_interval == CalendarUnit::kHour ? 3600000 : 86400000)
                               : h->fixed_interval_ms;
      auto key_of = [&](double v) {
        auto local = static_cast<int64_t>(v) + off;
        int64_t f = local / unit * unit - (local % unit < 0 ? unit : 0);
        return double(f - off);
      };
      std::string suffix = h->time_zone.empty() ? "Z" : h->time_zone;
      return histogram(
          a, h->field, key_of, [&](double k) { return k + double(unit); },
          [&](double k, json::object& o) {
            std::string s = format_date_iso(static_cast<int64_t>(k) + off);
            o["key_as_string"] = s.substr(0, s.size() - 1) + suffix;
            o["key"] = static_cast<int64_t>(k);
          },
          docs);
    }
    if (const auto* r = std::get_if<RangeAgg>(&a.body)) {
      json::array arr;
      for (const auto& spec : r->ranges) {
        double from = std::holds_alternative<std::monostate>(spec.from)
                          ? -INFINITY
                          : std::stod(scalar_to_string(spec.from));
        double to = std::holds_alternative<std::monostate>(spec.to)
                        ? INFINITY
                        : std::stod(scalar_to_string(spec.to));
        std::vector<const BfDoc*> in;
        for (const BfDoc* d : docs) {
          for (double v : numbers(*d, r->field)) {
            if (v >= from && v < to) {
              in.push_back(d);
              break;
            }
          }
        }
        json::object key;
        key["key"] = (std::isinf(from) ? std::string("*") : java_double_text(from)) + "-" +
                     (std::isinf(to) ? std::string("*") : java_double_text(to));
        if (!std::isinf(from)) key["from"] = from;
        if (!std::isinf(to)) key["to"] = to;
        arr.push_back(bucket_with_subs(a, key, in));
      }
      return json::object{{"buckets", arr}};
    }
    if (const auto* f = std::get_if<FiltersAgg>(&a.body)) {
      json::object keyed;
      for (const auto& [name, q] : f->filters) {
        std::vector<const BfDoc*> in;
        for (const BfDoc* d : docs)
          if (bf_.matches(q, *d)) in.push_back(d);
        keyed[name] = bucket_with_subs(a, {}, in);
      }
      return json::object{{"buckets", keyed}};
    }
    if (const auto* m = std::get_if<MissingAgg>(&a.body)) {
      std::vector<const BfDoc*> in;
      for (const BfDoc* d : docs)
        if (bf_.field_values(*d, m->field).empty()) in.push_back(d);
      return bucket_with_subs(a, {}, in);
    }
    if (const auto* m = std::get_if<MetricAgg>(&a.body)) return metric(*m, docs);
    if (const auto* c = std::get_if<CardinalityAgg>(&a.body)) {
      std::set<std::string> seen;
      for (const BfDoc* d : docs)
        for (const auto& v : bf_.field_values(*d, c->field)) seen.insert(json::serialize(v));
      return json::object{{"value", int64_t(seen.size())}};
    }
    if (const auto* p = std::get_if<PercentilesAgg>(&a.body)) {
      std::vector<double> vals;
      for (const BfDoc* d : docs)
        for (double v : numbers(*d, p->field)) vals.push_back(v);
      std::sort(vals.begin(), vals.end());
      json::object values;
      for (double pc : p->percents) {
        if (vals.empty()) {
          values[java_double_text(pc)] = nullptr;
          continue;
        }
        double idx = pc / 100.0 * double(vals.size() - 1);
        auto lo = size_t(std::floor(idx));
        size_t hi = std::min(lo + 1, vals.size() - 1);
        values[java_double_text(pc)] = vals[lo] + (vals[hi] - vals[lo]) * (idx - double(lo));
      }
      return json::object{{"values", values}};
    }
    return nullptr;
  }

  const BruteForce& bf_;
  std::map<std::string, BfType> types_;
};

// Structural equality with doubles compared to a relative 1e-9 (ints and doubles mix).
inline bool json_near(const json::value& a, const json::value& b, std::string& where,
                      const std::string& path = "") {
  if (a.is_number() && b.is_number()) {
    double x = a.to_number<double>(), y = b.to_number<double>();
    if (x == y || std::fabs(x - y) <= 1e-9 * std::max(std::fabs(x), std::fabs(y))) return true;
    where = path + ": " + json::serialize(a) + " vs " + json::serialize(b);
    return false;
  }
  if (a.kind() != b.kind()) {
    where = path + ": " + json::serialize(a) + " vs " + json::serialize(b);
    return false;
  }
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) {
      where = path + ": keys " + json::serialize(a) + " vs " + json::serialize(b);
      return false;
    }
    for (const auto& kv : x) {
      const json::value* other = y.if_contains(kv.key());
      if (other == nullptr) {
        where = path + ": missing key " + std::string(kv.key());
        return false;
      }
      if (!json_near(kv.value(), *other, where, path + "." + std::string(kv.key()))) return false;
    }
    return true;
  }
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) {
      where = path + ": " + std::to_string(x.size()) + " vs " + std::to_string(y.size()) +
              " items: " + json::serialize(a) + " vs " + json::serialize(b);
      return false;
    }
    for (size_t i = 0; i < x.size(); ++i)
      if (!json_near(x[i], y[i], where, path + "[" + std::to_string(i) + "]")) return false;
    return true;
  }
  if (a != b) {
    where = path + ": " + json::serialize(a) + " vs " + json::serialize(b);
    return false;
  }
  return true;
}

}  // namespace comptoir::engine::testing
