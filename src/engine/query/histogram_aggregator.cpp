// `date_histogram` and `histogram`: one bucket per interval holding a value, keyed by
// the interval's start (DateRounding for dates, floor((v - offset) / interval) for
// numbers). With min_doc_count 0 (the default) the empty buckets between the first and
// last non-empty one are returned too, widened by extended_bounds and cut by
// hard_bounds. At the top level without sub-aggregations, a segment whose date column
// is sorted by doc id (time-ordered logs) is counted per bucket with binary searches and
// bitmap ranks instead of a pass over the documents.
#include <algorithm>
#include <bit>
#include <cmath>

#include "engine/dsl/dsl_error.h"
#include "engine/query/aggregator.h"
#include "engine/query/bucket_ords.h"
#include "engine/query/date_rounding.h"
#include "engine/query/field_values.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

uint64_t to_bits(double d) {
  return std::bit_cast<uint64_t>(d);
}
double from_bits(uint64_t b) {
  return std::bit_cast<double>(b);
}

class HistogramAggregator final : public Aggregator {
 public:
  HistogramAggregator(const Aggregation& def, AggregationContext& ctx, bool top)
      : Aggregator(def, ctx), top_(top) {
    if (const auto* d = std::get_if<DateHistogramAgg>(&def.body)) {
      date_ = d;
    } else {
      num_ = &std::get<HistogramAgg>(def.body);
    }
  }

  Status init() {
    const std::string& field = date_ ? date_->field : num_->field;
    const char* type = date_ ? "date_histogram" : "histogram";
    if (const FieldDef* f = find_field(*ctx_.indices, field)) {
      StorageKind k = storage_kind(f->type);
      if (k == StorageKind::kText) return text_field_error(field);
      if (k == StorageKind::kKeyword || k == StorageKind::kNone)
        return dsl_error("illegal_argument_exception",
                         "Field [" + field + "] of type [" + std::string(field_type_name(f->type)) +
                             "] is not supported for aggregation [" + type + "]");
      if (f->format) field_format_ = *f->format;
    }
    if (date_) {
      auto r = DateRounding::make(*date_);
      if (!r) return r.error();
      rounding_ = std::move(*r);
      auto bound = [&](const JsonScalar& v, bool round_up) -> Result<std::optional<int64_t>> {
        if (std::holds_alternative<std::monostate>(v)) return std::optional<int64_t>{};
        if (const int64_t* i = std::get_if<int64_t>(&v)) return std::optional<int64_t>{*i};
        if (const double* d = std::get_if<double>(&v))
          return std::optional<int64_t>{static_cast<int64_t>(*d)};
        auto ms = parse_date_math(
            scalar_to_string(v), ctx_.now_ms,
            date_->format.value_or(field_format_.empty() ? std::string(kDefaultDateFormat)
                                                         : field_format_),
            date_->time_zone, round_up);
        if (!ms) return ms.error();
        return std::optional<int64_t>{*ms};
      };
      auto emin = bound(date_->extended_min, false);
      if (!emin) return emin.error();
      auto emax = bound(date_->extended_max, false);
      if (!emax) return emax.error();
      auto hmin = bound(date_->hard_min, false);
      if (!hmin) return hmin.error();
      auto hmax = bound(date_->hard_max, false);
      if (!hmax) return hmax.error();
      if (*emin) ext_min_ = to_key(double(**emin));
      if (*emax) ext_max_ = to_key(double(**emax));
      hard_min_ = *hmin;
      hard_max_ = *hmax;
      if (!std::holds_alternative<std::monostate>(date_->missing)) {
        auto m = bound(date_->missing, false);
        if (!m) return m.error();
        missing_ = double(**m);
      }
    } else {
      if (num_->extended_min) ext_min_ = to_key(*num_->extended_min);
      if (num_->extended_max) ext_max_ = to_key(*num_->extended_max);
      if (!std::holds_alternative<std::monostate>(num_->missing))
        missing_ = std::strtod(scalar_to_string(num_->missing).c_str(), nullptr);
    }
    COMPTOIR_TRY(subs_.build(def_.subs, ctx_, false));
    COMPTOIR_TRY(check_order_paths(order(), subs_, def_.name));
    sorted_walk_ = top_ && date_ != nullptr && !missing_ && !hard_min_ && !hard_max_;
    fast_ = sorted_walk_ && subs_.empty();
    return {};
  }

  Status begin_segment(const SegmentContext& seg) override {
    values_ = FieldValues::open(*seg.snapshot, *seg.segment, date_ ? date_->field : num_->field);
    if (values_.def != nullptr && !values_.numeric()) values_ = FieldValues{};
    return subs_.begin_segment(seg);
  }

  void collect_all(const Bitmap& docs) override {
    const FieldReader* r = values_.reader;
    if (!sorted_walk_ || r == nullptr || values_.kind != StorageKind::kInt64 ||
        !r->sorted_by_doc() || docs.empty()) {
      // Sub-aggregations then receive (doc, bucket) pairs in blocks.
      batch_ = top_ && !subs_.empty();
      Aggregator::collect_all(docs);
      flush_batch();
      batch_ = false;
      return;
    }
    if (!fast_) {
      collect_sorted_with_subs(*r, docs);
      return;
    }
    // Sorted column: walk bucket by bucket.
    uint32_t doc = docs.minimum();
    const uint32_t last = docs.maximum();
    const uint32_t n = r->docs_with_field == 0 ? 0 : static_cast<uint32_t>(last) + 1;
    auto value_at = [&](uint32_t d) {
      int64_t v = 0;
      r->single_int(d, v);
      return v;
    };
    while (n > 0) {
      int64_t key = rounding_->round(value_at(doc));
      int64_t end = rounding_->next(key);
      // First doc in [doc, n) whose value >= end.
      uint32_t lo = doc, hi = n;
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (value_at(mid) < end) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      uint64_t before = doc == 0 ? 0 : docs.rank(doc - 1);
      uint64_t upto = docs.rank(lo - 1);
      uint32_t ord = ords_.add(0, static_cast<uint64_t>(key));
      counts_at(ord) += static_cast<int64_t>(upto - before);
      if (lo > last) break;
      uint32_t next_doc = 0;
      if (!roaring_bitmap_select(docs.raw(), static_cast<uint32_t>(upto), &next_doc)) break;
      doc = next_doc;
    }
  }

  // A sorted column under sub-aggregations: docs arrive in bucket order, so a bucket is
  // rounded once when its first doc comes, and the sub-aggregations get (doc, bucket)
  // pairs in blocks.
  void collect_sorted_with_subs(const FieldReader& r, const Bitmap& docs) {
    int64_t end = INT64_MIN;
    uint32_t ord = 0;
    docs.for_each([&](uint32_t doc) {
      int64_t v = 0;
      r.single_int(doc, v);
      if (v >= end) {  // the first doc too: end starts at INT64_MIN
        const int64_t key = rounding_->round(v);
        end = rounding_->next(key);
        ord = ords_.add(0, static_cast<uint64_t>(key));
      }
      ++counts_at(ord);
      queue_for_subs(doc, ord);
    });
    flush_batch();
  }

  void collect(uint32_t doc, uint32_t owner) override {
    uint64_t last = 0;
    bool any = false;
    auto add = [&](double v) {
      uint64_t key = to_key(v);
      if (any && key == last) return;  // values ascend, so equal keys are adjacent
      if (date_ && hard_out(static_cast<int64_t>(key))) return;
      any = true;
      last = key;
      if (owner != cached_owner_ || key != cached_key_) {
        cached_ord_ = ords_.add(owner, key);  // one lookup per run of equal buckets
        cached_owner_ = owner;
        cached_key_ = key;
      }
      const uint32_t ord = cached_ord_;
      ++counts_at(ord);
      if (batch_) {
        queue_for_subs(doc, ord);
      } else {
        subs_.collect(doc, ord);
      }
    };
    uint32_t n = 0;
    if (values_.kind == StorageKind::kInt64 && date_) {
      n = values_.ints(doc, [&](int64_t v) { add(double(v)); });
    } else {
      n = values_.doubles(doc, add);
    }
    if (n == 0 && missing_) add(*missing_);
  }

  // (doc, bucket) for the sub-aggregations, handed over a block at a time.
  void queue_for_subs(uint32_t doc, uint32_t ord) {
    batch_docs_[batch_n_] = doc;
    batch_ords_[batch_n_] = ord;
    if (++batch_n_ == kBatch) flush_batch();
  }

  void flush_batch() {
    if (batch_n_ > 0) subs_.collect_block(batch_docs_, batch_ords_, batch_n_);
    batch_n_ = 0;
  }

  void end_segment() override { subs_.end_segment(); }

  Result<json::value> result(uint32_t owner) override {
    std::vector<uint32_t> buckets;
    for (uint32_t ord : ords_.of_owner(owner))
      if (count(ord) >= min_doc_count() && count(ord) > 0) buckets.push_back(ord);
    if (min_doc_count() == 0) COMPTOIR_TRY(fill_empty(owner, buckets));
    static const std::vector<BucketOrder> kDefault{{"_key", SortOrder::kAsc}};
    sort_buckets(
        buckets, order(), kDefault, [&](uint32_t a, uint32_t b) { return key_cmp(a, b); },
        [&](uint32_t b) { return count(b); }, subs_);
    COMPTOIR_TRY(ctx_.count_buckets(static_cast<int64_t>(buckets.size())));
    BucketList out(keyed());
    for (uint32_t b : buckets) {
      json::object bucket;
      std::string name;
      if (date_) {
        auto key = static_cast<int64_t>(ords_.key(b));
        name = format_date(key, date_->format.value_or(field_format_), date_->time_zone);
        bucket["key_as_string"] = name;
        bucket["key"] = key;
      } else {
        double key = from_bits(ords_.key(b));
        name = java_double_text(key);
        bucket["key"] = key;
      }
      bucket["doc_count"] = count(b);
      COMPTOIR_TRY(subs_.write(b, bucket));
      out.add(name, std::move(bucket));
    }
    return out.finish(def_);
  }

 private:
  const std::vector<BucketOrder>& order() const { return date_ ? date_->order : num_->order; }
  int64_t min_doc_count() const { return date_ ? date_->min_doc_count : num_->min_doc_count; }
  bool keyed() const { return date_ ? date_->keyed : num_->keyed; }

  uint64_t to_key(double v) {
    if (date_) return static_cast<uint64_t>(rounding_->round(static_cast<int64_t>(v)));
    double k = std::floor((v - num_->offset) / num_->interval) * num_->interval + num_->offset;
    return to_bits(k + 0.0);  // no -0.0 keys
  }
  uint64_t next_key(uint64_t key) const {
    if (date_) return static_cast<uint64_t>(rounding_->next(static_cast<int64_t>(key)));
    return to_bits(from_bits(key) + num_->interval);
  }
  bool key_less(uint64_t a, uint64_t b) const {
    if (date_) return static_cast<int64_t>(a) < static_cast<int64_t>(b);
    return from_bits(a) < from_bits(b);
  }
  int key_cmp(uint32_t a, uint32_t b) const {
    uint64_t x = ords_.key(a), y = ords_.key(b);
    return key_less(x, y) ? -1 : key_less(y, x) ? 1 : 0;
  }
  bool hard_out(int64_t key) const {
    return (hard_min_ && key < *hard_min_) || (hard_max_ && key > *hard_max_);
  }

  Status fill_empty(uint32_t owner, std::vector<uint32_t>& buckets) {
    std::optional<uint64_t> lo = ext_min_, hi = ext_max_;
    for (uint32_t b : buckets) {
      uint64_t k = ords_.key(b);
      if (!lo || key_less(k, *lo)) lo = k;
      if (!hi || key_less(*hi, k)) hi = k;
    }
    if (!lo || !hi) return {};
    int64_t added = 0;
    for (uint64_t k = *lo; !key_less(*hi, k); k = next_key(k)) {
      if (date_ && hard_out(static_cast<int64_t>(k))) continue;
      if (++added > kMaxBuckets) return ctx_.count_buckets(kMaxBuckets + 1);
      bool created = false;
      uint32_t ord = ords_.add(owner, k, &created);
      if (created) {
        counts_at(ord);
        buckets.push_back(ord);
      }
    }
    return {};
  }

  int64_t& counts_at(uint32_t ord) {
    if (ord >= counts_.size()) counts_.resize(ord + 1, 0);
    return counts_[ord];
  }
  int64_t count(uint32_t ord) const { return ord < counts_.size() ? counts_[ord] : 0; }

  const DateHistogramAgg* date_ = nullptr;
  const HistogramAgg* num_ = nullptr;
  bool top_;
  static constexpr size_t kBatch = 256;
  bool batch_ = false;  // collect() at the top level queues for the sub-aggregations
  uint32_t batch_docs_[kBatch], batch_ords_[kBatch];
  size_t batch_n_ = 0;
  uint32_t cached_owner_ = UINT32_MAX, cached_ord_ = 0;  // the last (owner, key) → ordinal
  uint64_t cached_key_ = 0;
  bool fast_ = false;         // top level, no sub-aggregations: count by binary search
  bool sorted_walk_ = false;  // top level: a sorted column is walked bucket by bucket
  std::string field_format_;
  std::optional<DateRounding> rounding_;
  std::optional<uint64_t> ext_min_, ext_max_;
  std::optional<int64_t> hard_min_, hard_max_;
  std::optional<double> missing_;
  SubAggregators subs_;
  BucketOrds ords_;
  std::vector<int64_t> counts_;
  FieldValues values_;
};

}  // namespace

Result<AggregatorPtr> make_date_histogram_aggregator(const Aggregation& def,
                                                     AggregationContext& ctx, bool top) {
  auto a = std::make_unique<HistogramAggregator>(def, ctx, top);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

Result<AggregatorPtr> make_histogram_aggregator(const Aggregation& def, AggregationContext& ctx,
                                                bool top) {
  return make_date_histogram_aggregator(def, ctx, top);
}

}  // namespace comptoir::engine
