// Single-pass numeric metrics: sum, avg, min, max, value_count and stats, per parent
// bucket. Every value of a multi-valued field counts (avg = sum of values / number of
// values); sums are compensated (Kahan, as Elasticsearch's), in four lanes so that
// consecutive docs add in parallel. Empty sets answer sum 0, value_count 0 and null
// avg/min/max; date fields add `value_as_string`. value_count also counts keyword values.
#include <algorithm>
#include <cmath>

#include "engine/dsl/dsl_error.h"
#include "engine/query/aggregator.h"
#include "engine/query/field_values.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

// A compensated sum split into four lanes by doc id (doc & 3): one lane is a chain of
// four dependent additions per value, so four lanes let consecutive docs add in
// parallel. A doc always lands in the same lane whichever path collects it, so every
// path gives the same bits; the lanes meet in one compensated sum at the end, as
// accurate as a single Kahan sum.
struct LaneSum {
  static constexpr unsigned kLanes = 4;
  double sum[kLanes] = {}, compensation[kLanes] = {};
  bool finite = true;  // false once a non-finite value or sum appeared

  void add(uint32_t doc, double v) {
    const unsigned l = doc & (kLanes - 1);
    // Kahan summation (non-finite values make the sum non-finite, as in ES).
    if (std::isfinite(v) && finite) [[likely]] {
      double y = v - compensation[l];
      double t = sum[l] + y;
      compensation[l] = (t - sum[l]) - y;
      sum[l] = t;
      if (!std::isfinite(t)) finite = false;
    } else {
      sum[l] += v;
      finite = false;
    }
  }

  double value() const {
    double s = 0, c = 0;
    auto kahan = [&](double v) {
      double y = v - c;
      double t = s + y;
      c = (t - s) - y;
      s = t;
    };
    if (!finite) {
      for (unsigned l = 0; l < kLanes; ++l) s += sum[l];
      return s;
    }
    for (unsigned l = 0; l < kLanes; ++l) {
      kahan(sum[l]);
      kahan(-compensation[l]);
    }
    return s;
  }
};

struct Stats {
  int64_t count = 0;
  double min = INFINITY, max = -INFINITY;
  LaneSum total;

  void add(uint32_t doc, double v) {
    ++count;
    total.add(doc, v);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // The count and the sum only (sum, avg, value_count).
  void add_to_sum(uint32_t doc, double v) {
    ++count;
    total.add(doc, v);
  }
  double sum() const { return total.value(); }
};

class MetricAggregator final : public Aggregator {
 public:
  MetricAggregator(const Aggregation& def, AggregationContext& ctx)
      : Aggregator(def, ctx), spec_(std::get<MetricAgg>(def.body)) {}

  Status init() {
    if (const FieldDef* f = find_field(*ctx_.indices, spec_.field)) {
      StorageKind k = storage_kind(f->type);
      if (k == StorageKind::kText) return text_field_error(spec_.field);
      bool counts_keywords = spec_.kind == MetricKind::kValueCount && k == StorageKind::kKeyword;
      if ((k == StorageKind::kKeyword && !counts_keywords) || k == StorageKind::kNone)
        return dsl_error("illegal_argument_exception", "Field [" + spec_.field + "] of type [" +
                                                           std::string(field_type_name(f->type)) +
                                                           "] is not supported for aggregation [" +
                                                           std::string(def_.type_name()) + "]");
      is_date_ = f->type == FieldType::kDate;
      if (f->format) field_format_ = *f->format;
    }
    if (!std::holds_alternative<std::monostate>(spec_.missing)) {
      std::string text = scalar_to_string(spec_.missing);
      if (is_date_) {
        auto ms = parse_date(text);
        if (!ms) return ms.error();
        missing_ = double(*ms);
      } else {
        missing_ = std::strtod(text.c_str(), nullptr);
      }
    }
    return {};
  }

  Status begin_segment(const SegmentContext& seg) override {
    values_ = FieldValues::open(*seg.snapshot, *seg.segment, spec_.field);
    return {};
  }

  void collect_all(const Bitmap& docs) override {
    const FieldReader* r = values_.reader;
    // Single-valued int column: a tight loop without per-doc dispatch.
    if (r != nullptr && values_.kind == StorageKind::kInt64 && r->single_valued() && !missing_) {
      Stats& s = at(0);
      docs.for_each([&](uint32_t doc) {
        int64_t v;
        if (r->single_int(doc, v)) s.add(doc, double(v));
      });
      return;
    }
    if (r != nullptr && values_.kind == StorageKind::kDouble && r->single_valued() && !missing_) {
      Stats& s = at(0);
      docs.for_each([&](uint32_t doc) {
        double v;
        if (r->single_double(doc, v)) s.add(doc, v);
      });
      return;
    }
    Aggregator::collect_all(docs);
  }

  void collect_block(const uint32_t* docs, const uint32_t* owners, size_t n) override {
    const FieldReader* r = values_.reader;
    if (r == nullptr || !r->single_valued() || missing_ ||
        (values_.kind != StorageKind::kInt64 && values_.kind != StorageKind::kDouble)) {
      Aggregator::collect_block(docs, owners, n);
      return;
    }
    // Buckets are visited in random order (100,000 users): fetch ahead of use. The table
    // grows (doubling) when a block names a bucket beyond it: no separate pass over the
    // owners to size it.
    constexpr size_t kAhead = 16;
    for (size_t i = 0; i < std::min(n, kAhead); ++i)
      if (owners[i] < stats_.size()) __builtin_prefetch(stats_.data() + owners[i], 1);
    // sum, avg and value_count need no extremes: a shorter loop.
    const bool extremes = spec_.kind == MetricKind::kMin || spec_.kind == MetricKind::kMax ||
                          spec_.kind == MetricKind::kStats;
    auto run = [&](auto read, auto add) {
      Stats* table = stats_.data();
      size_t size = stats_.size();
      for (size_t i = 0; i < n; ++i) {
        const uint32_t owner = owners[i];
        if (owner >= size) [[unlikely]] {
          stats_.resize(std::max<size_t>(owner + 1, 2 * size));
          table = stats_.data();
          size = stats_.size();
        }
        if (i + kAhead < n && owners[i + kAhead] < size)
          __builtin_prefetch(table + owners[i + kAhead], 1);
        double v;
        if (read(docs[i], v)) add(table[owner], docs[i], v);
      }
    };
    auto read_int = [r](uint32_t doc, double& out) {
      int64_t v;
      bool present = r->single_int(doc, v);
      out = double(v);
      return present;
    };
    auto read_double = [r](uint32_t doc, double& out) { return r->single_double(doc, out); };
    auto add_all = [](Stats& s, uint32_t doc, double v) { s.add(doc, v); };
    auto add_sum = [](Stats& s, uint32_t doc, double v) { s.add_to_sum(doc, v); };
    if (values_.kind == StorageKind::kInt64) {
      extremes ? run(read_int, add_all) : run(read_int, add_sum);
    } else {
      extremes ? run(read_double, add_all) : run(read_double, add_sum);
    }
  }

  void collect(uint32_t doc, uint32_t owner) override {
    Stats& s = at(owner);
    const FieldReader* r = values_.reader;
    // Single-valued columns (the common case) read one value without dispatch.
    if (r != nullptr && r->single_valued() && !missing_) {
      if (values_.kind == StorageKind::kDouble) {
        double v;
        if (r->single_double(doc, v)) s.add(doc, v);
        return;
      }
      if (values_.kind == StorageKind::kInt64) {
        int64_t v;
        if (r->single_int(doc, v)) s.add(doc, double(v));
        return;
      }
    }
    uint32_t n = 0;
    if (values_.kind == StorageKind::kKeyword) {
      n = values_.ords(doc, [&](uint32_t) { s.add(doc, 0); });
    } else {
      n = values_.doubles(doc, [&](double v) { s.add(doc, v); });
    }
    if (n == 0 && missing_) s.add(doc, *missing_);
  }

  Result<json::value> result(uint32_t owner) override {
    static const Stats kEmpty;
    const Stats& s = owner < stats_.size() ? stats_[owner] : kEmpty;
    json::object o;
    auto number = [&](double v, bool present) -> json::value {
      if (!present) return nullptr;
      return v;
    };
    auto with_string = [&](const char* key, double v, bool present) {
      if (present && is_date_)
        o[key] = format_date(static_cast<int64_t>(v), spec_.format.value_or(field_format_), "");
    };
    switch (spec_.kind) {
      case MetricKind::kSum:
        o["value"] = s.sum();
        with_string("value_as_string", s.sum(), true);
        break;
      case MetricKind::kAvg:
        o["value"] = number(s.sum() / double(s.count), s.count > 0);
        with_string("value_as_string", s.sum() / double(s.count), s.count > 0);
        break;
      case MetricKind::kMin:
        o["value"] = number(s.min, s.count > 0);
        with_string("value_as_string", s.min, s.count > 0);
        break;
      case MetricKind::kMax:
        o["value"] = number(s.max, s.count > 0);
        with_string("value_as_string", s.max, s.count > 0);
        break;
      case MetricKind::kValueCount:
        o["value"] = s.count;
        break;
      case MetricKind::kStats:
        o["count"] = s.count;
        o["min"] = number(s.min, s.count > 0);
        o["max"] = number(s.max, s.count > 0);
        o["avg"] = number(s.sum() / double(s.count), s.count > 0);
        o["sum"] = s.sum();
        with_string("min_as_string", s.min, s.count > 0);
        with_string("max_as_string", s.max, s.count > 0);
        with_string("avg_as_string", s.sum() / double(s.count), s.count > 0);
        with_string("sum_as_string", s.sum(), true);
        break;
    }
    add_meta(def_, o);
    return json::value(std::move(o));
  }

  std::optional<double> order_value(uint32_t owner, std::string_view path) override {
    static const Stats kEmpty;
    const Stats& s = owner < stats_.size() ? stats_[owner] : kEmpty;
    std::string_view metric = path;
    if (metric.empty() || metric == "value") {
      switch (spec_.kind) {
        case MetricKind::kSum:
          return s.sum();
        case MetricKind::kValueCount:
          return double(s.count);
        case MetricKind::kAvg:
          metric = "avg";
          break;
        case MetricKind::kMin:
          metric = "min";
          break;
        case MetricKind::kMax:
          metric = "max";
          break;
        case MetricKind::kStats:
          return std::nullopt;
      }
    }
    if (metric == "count") return double(s.count);
    if (metric == "sum") return s.sum();
    if (s.count == 0) return std::nullopt;
    if (metric == "avg") return s.sum() / double(s.count);
    if (metric == "min") return s.min;
    if (metric == "max") return s.max;
    return std::nullopt;
  }

 private:
  Stats& at(uint32_t owner) {
    if (owner >= stats_.size()) stats_.resize(owner + 1);
    return stats_[owner];
  }

  const MetricAgg& spec_;
  bool is_date_ = false;
  std::string field_format_;
  std::optional<double> missing_;
  std::vector<Stats> stats_;
  FieldValues values_;
};

}  // namespace

Result<AggregatorPtr> make_metric_aggregator(const Aggregation& def, AggregationContext& ctx,
                                             bool) {
  auto a = std::make_unique<MetricAggregator>(def, ctx);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

}  // namespace comptoir::engine
