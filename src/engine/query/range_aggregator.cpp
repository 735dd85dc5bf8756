// `range` and `date_range`: one bucket per range, `from` inclusive and `to` exclusive,
// a document counted once per range however many of its values fall in it. Ranges are
// returned sorted by from then to, as Elasticsearch sorts them; keys are "from-to" with
// `*` for an open end (numbers as Java prints doubles, dates in the field's format).
#include <algorithm>
#include <cmath>

#include "engine/dsl/dsl_error.h"
#include "engine/query/aggregator.h"
#include "engine/query/field_values.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

struct ResolvedRange {
  std::optional<std::string> key;
  double from = -INFINITY, to = INFINITY;
  bool has_from = false, has_to = false;
};

class RangeAggregator final : public Aggregator {
 public:
  RangeAggregator(const Aggregation& def, AggregationContext& ctx)
      : Aggregator(def, ctx), spec_(std::get<RangeAgg>(def.body)) {}

  Status init() {
    if (const FieldDef* f = find_field(*ctx_.indices, spec_.field)) {
      StorageKind k = storage_kind(f->type);
      if (k == StorageKind::kText) return text_field_error(spec_.field);
      if (k == StorageKind::kKeyword || k == StorageKind::kNone)
        return dsl_error("illegal_argument_exception", "Field [" + spec_.field + "] of type [" +
                                                           std::string(field_type_name(f->type)) +
                                                           "] is not supported for aggregation [" +
                                                           std::string(def_.type_name()) + "]");
      if (f->format) field_format_ = *f->format;
    }
    std::string parse_format = spec_.format.value_or(
        field_format_.empty() ? std::string(kDefaultDateFormat) : field_format_);
    auto value_of = [&](const JsonScalar& v, double& out) -> Status {
      if (const int64_t* i = std::get_if<int64_t>(&v)) {
        out = double(*i);
      } else if (const double* d = std::get_if<double>(&v)) {
        out = *d;
      } else if (spec_.dates) {
        auto ms = parse_date_math(scalar_to_string(v), ctx_.now_ms, parse_format, spec_.time_zone);
        if (!ms) return ms.error();
        out = double(*ms);
      } else {
        out = std::strtod(scalar_to_string(v).c_str(), nullptr);
      }
      return {};
    };
    for (const auto& r : spec_.ranges) {
      ResolvedRange rr;
      rr.key = r.key;
      if (!std::holds_alternative<std::monostate>(r.from)) {
        COMPTOIR_TRY(value_of(r.from, rr.from));
        rr.has_from = true;
      }
      if (!std::holds_alternative<std::monostate>(r.to)) {
        COMPTOIR_TRY(value_of(r.to, rr.to));
        rr.has_to = true;
      }
      ranges_.push_back(std::move(rr));
    }
    std::stable_sort(ranges_.begin(), ranges_.end(),
                     [](const ResolvedRange& a, const ResolvedRange& b) {
                       if (a.from != b.from) return a.from < b.from;
                       return a.to < b.to;
                     });
    if (!std::holds_alternative<std::monostate>(spec_.missing)) {
      double m = 0;
      COMPTOIR_TRY(value_of(spec_.missing, m));
      missing_ = m;
    }
    return subs_.build(def_.subs, ctx_, false);
  }

  Status begin_segment(const SegmentContext& seg) override {
    values_ = FieldValues::open(*seg.snapshot, *seg.segment, spec_.field);
    return subs_.begin_segment(seg);
  }

  void collect(uint32_t doc, uint32_t owner) override {
    const size_t n = ranges_.size();
    hit_.assign(n, false);
    uint32_t count = values_.doubles(doc, [&](double v) { mark(v); });
    if (count == 0 && missing_) mark(*missing_);
    for (size_t i = 0; i < n; ++i) {
      if (!hit_[i]) continue;
      uint32_t b = owner * static_cast<uint32_t>(n) + static_cast<uint32_t>(i);
      if (b >= counts_.size()) counts_.resize(b + 1, 0);
      ++counts_[b];
      subs_.collect(doc, b);
    }
  }

  void end_segment() override { subs_.end_segment(); }

  Result<json::value> result(uint32_t owner) override {
    const size_t n = ranges_.size();
    COMPTOIR_TRY(ctx_.count_buckets(static_cast<int64_t>(n)));
    BucketList out(spec_.keyed);
    for (size_t i = 0; i < n; ++i) {
      const ResolvedRange& r = ranges_[i];
      uint32_t b = owner * static_cast<uint32_t>(n) + static_cast<uint32_t>(i);
      json::object bucket;
      std::string from_text = r.has_from ? text(r.from) : "*";
      std::string to_text = r.has_to ? text(r.to) : "*";
      std::string key = r.key ? *r.key : from_text + "-" + to_text;
      // Keyed buckets are named by their key and, as in Elasticsearch, do not repeat it.
      if (!spec_.keyed) bucket["key"] = key;
      if (r.has_from) {
        bucket["from"] = r.from;
        if (spec_.dates) bucket["from_as_string"] = from_text;
      }
      if (r.has_to) {
        bucket["to"] = r.to;
        if (spec_.dates) bucket["to_as_string"] = to_text;
      }
      bucket["doc_count"] = b < counts_.size() ? counts_[b] : 0;
      COMPTOIR_TRY(subs_.write(b, bucket));
      out.add(key, std::move(bucket));
    }
    return out.finish(def_);
  }

 private:
  void mark(double v) {
    for (size_t i = 0; i < ranges_.size(); ++i)
      if (v >= ranges_[i].from && v < ranges_[i].to) hit_[i] = true;
  }
  std::string text(double v) const {
    if (!spec_.dates) return java_double_text(v);
    return format_date(static_cast<int64_t>(v), spec_.format.value_or(field_format_),
                       spec_.time_zone);
  }

  const RangeAgg& spec_;
  std::string field_format_;
  std::vector<ResolvedRange> ranges_;
  std::optional<double> missing_;
  SubAggregators subs_;
  std::vector<int64_t> counts_;
  std::vector<bool> hit_;
  FieldValues values_;
};

}  // namespace

Result<AggregatorPtr> make_range_aggregator(const Aggregation& def, AggregationContext& ctx, bool) {
  auto a = std::make_unique<RangeAggregator>(def, ctx);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

}  // namespace comptoir::engine
