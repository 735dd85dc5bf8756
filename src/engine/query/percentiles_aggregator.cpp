// The `percentiles` aggregation: a TDigest per parent bucket fed with every numeric
// value; `values` keyed by the percent as Java prints it ("50.0"), or a list with
// keyed: false. Empty buckets give null values.
#include <cmath>

#include "engine/dsl/dsl_error.h"
#include "engine/query/aggregator.h"
#include "engine/query/field_values.h"
#include "engine/query/t_digest.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

class PercentilesAggregator final : public Aggregator {
 public:
  PercentilesAggregator(const Aggregation& def, AggregationContext& ctx)
      : Aggregator(def, ctx), spec_(std::get<PercentilesAgg>(def.body)) {}

  Status init() {
    if (const FieldDef* f = find_field(*ctx_.indices, spec_.field)) {
      StorageKind k = storage_kind(f->type);
      if (k == StorageKind::kText) return text_field_error(spec_.field);
      if (k == StorageKind::kKeyword || k == StorageKind::kNone)
        return dsl_error("illegal_argument_exception",
                         "Field [" + spec_.field + "] of type [" +
                             std::string(field_type_name(f->type)) +
                             "] is not supported for aggregation [percentiles]");
    }
    if (!std::holds_alternative<std::monostate>(spec_.missing))
      missing_ = std::strtod(scalar_to_string(spec_.missing).c_str(), nullptr);
    return {};
  }

  Status begin_segment(const SegmentContext& seg) override {
    values_ = FieldValues::open(*seg.snapshot, *seg.segment, spec_.field);
    return {};
  }

  void collect(uint32_t doc, uint32_t owner) override {
    TDigest& d = at(owner);
    uint32_t n = values_.doubles(doc, [&](double v) { d.add(v); });
    if (n == 0 && missing_) d.add(*missing_);
  }

  Result<json::value> result(uint32_t owner) override {
    TDigest* d = owner < digests_.size() ? digests_[owner].get() : nullptr;
    json::object keyed;
    json::array list;
    for (double p : spec_.percents) {
      json::value v = nullptr;
      if (d != nullptr && d->count() > 0) v = d->quantile(p / 100.0);
      if (spec_.keyed) {
        keyed[java_double_text(p)] = v;
      } else {
        list.push_back(json::object{{"key", p}, {"value", v}});
      }
    }
    json::object o;
    if (spec_.keyed) {
      o["values"] = std::move(keyed);
    } else {
      o["values"] = std::move(list);
    }
    add_meta(def_, o);
    return json::value(std::move(o));
  }

  std::optional<double> order_value(uint32_t owner, std::string_view path) override {
    TDigest* d = owner < digests_.size() ? digests_[owner].get() : nullptr;
    if (d == nullptr || d->count() == 0 || path.empty()) return std::nullopt;
    double p = std::strtod(std::string(path).c_str(), nullptr);
    return d->quantile(p / 100.0);
  }

 private:
  TDigest& at(uint32_t owner) {
    if (owner >= digests_.size()) digests_.resize(owner + 1);
    if (!digests_[owner]) digests_[owner] = std::make_unique<TDigest>(spec_.compression);
    return *digests_[owner];
  }

  const PercentilesAgg& spec_;
  std::optional<double> missing_;
  std::vector<std::unique_ptr<TDigest>> digests_;
  FieldValues values_;
};

}  // namespace

Result<AggregatorPtr> make_percentiles_aggregator(const Aggregation& def, AggregationContext& ctx,
                                                  bool) {
  auto a = std::make_unique<PercentilesAggregator>(def, ctx);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

}  // namespace comptoir::engine
