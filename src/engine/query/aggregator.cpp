// The aggregation driver and what the aggregator families share (aggregator.h).
#include "engine/query/aggregator.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "engine/dsl/dsl_error.h"
#include "engine/index/term_blocks.h"

namespace comptoir::engine {

namespace json = boost::json;

Status AggregationContext::count_buckets(int64_t n) {
  buckets_created += n;
  if (buckets_created > kMaxBuckets)
    return dsl_error("too_many_buckets_exception",
                     "Trying to create too many buckets. Must be less than or equal to: [" +
                         std::to_string(kMaxBuckets) + "] but was [" +
                         std::to_string(buckets_created) +
                         "]. This limit can be set by changing the [search.max_buckets] cluster "
                         "level setting.");
  return {};
}

Result<AggregatorPtr> make_aggregator(const Aggregation& def, AggregationContext& ctx, bool top) {
  return std::visit(
      [&](const auto& b) -> Result<AggregatorPtr> {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, TermsAgg>) return make_terms_aggregator(def, ctx, top);
        if constexpr (std::is_same_v<T, DateHistogramAgg>)
          return make_date_histogram_aggregator(def, ctx, top);
        if constexpr (std::is_same_v<T, HistogramAgg>)
          return make_histogram_aggregator(def, ctx, top);
        if constexpr (std::is_same_v<T, RangeAgg>) return make_range_aggregator(def, ctx, top);
        if constexpr (std::is_same_v<T, FiltersAgg>) return make_filters_aggregator(def, ctx, top);
        if constexpr (std::is_same_v<T, FilterAgg> || std::is_same_v<T, MissingAgg>)
          return make_single_bucket_aggregator(def, ctx, top);
        if constexpr (std::is_same_v<T, MetricAgg>) return make_metric_aggregator(def, ctx, top);
        if constexpr (std::is_same_v<T, CardinalityAgg>)
          return make_cardinality_aggregator(def, ctx, top);
        if constexpr (std::is_same_v<T, PercentilesAgg>)
          return make_percentiles_aggregator(def, ctx, top);
        if constexpr (std::is_same_v<T, TopHitsAgg>) return make_top_hits_aggregator(def, ctx, top);
        return Error::internal("unknown aggregation type");
      },
      def.body);
}

Status SubAggregators::build(const std::vector<Aggregation>& defs, AggregationContext& ctx,
                             bool top_level) {
  for (const auto& d : defs) {
    auto a = make_aggregator(d, ctx, top_level);
    if (!a) return a.error();
    aggs_.push_back(std::move(*a));
  }
  return {};
}

Status SubAggregators::write(uint32_t bucket, json::object& out) {
  for (auto& a : aggs_) {
    auto r = a->result(bucket);
    if (!r) return r.error();
    out[a->definition().name] = std::move(*r);
  }
  return {};
}

namespace {

// "name", "name.metric", "name>rest" → (name, rest-with-separator-stripped).
std::pair<std::string_view, std::string_view> split_path(std::string_view path) {
  size_t gt = path.find('>');
  size_t dot = path.find('.');
  size_t cut = std::min(gt, dot);
  if (cut == std::string_view::npos) return {path, {}};
  return {path.substr(0, cut), path.substr(cut + 1)};
}

}  // namespace

std::optional<double> SubAggregators::order_value(uint32_t bucket, std::string_view path) {
  auto [name, rest] = split_path(path);
  for (auto& a : aggs_)
    if (a->definition().name == name) return a->order_value(bucket, rest);
  return std::nullopt;
}

bool SubAggregators::knows(std::string_view path) const {
  auto [name, rest] = split_path(path);
  for (const auto& a : aggs_)
    if (a->definition().name == name) return true;
  return false;
}

Status check_order_paths(const std::vector<BucketOrder>& order, const SubAggregators& subs,
                         std::string_view agg_name) {
  for (const auto& o : order) {
    if (o.key == "_count" || o.key == "_key") continue;
    if (!subs.knows(o.key))
      return dsl_error("aggregation_execution_exception",
                       "Invalid aggregator order path [" + o.key + "]. The provided aggregation [" +
                           std::string(split_path(o.key).first) +
                           "] either does not exist, or is a pipeline aggregation and cannot be "
                           "used to sort the buckets. (in [" +
                           std::string(agg_name) + "])");
  }
  return {};
}

void sort_buckets(std::vector<uint32_t>& buckets, const std::vector<BucketOrder>& order,
                  const std::vector<BucketOrder>& fallback,
                  const std::function<int(uint32_t, uint32_t)>& key_cmp,
                  const std::function<int64_t(uint32_t)>& doc_count, SubAggregators& subs) {
  const std::vector<BucketOrder>& ord = order.empty() ? fallback : order;
  // Precompute sub-aggregation values once per bucket.
  std::vector<std::vector<double>> values(ord.size());
  for (size_t i = 0; i < ord.size(); ++i) {
    if (ord[i].key == "_count" || ord[i].key == "_key") continue;
    uint32_t max_b = 0;
    for (uint32_t b : buckets) max_b = std::max(max_b, b);
    values[i].assign(buckets.empty() ? 0 : max_b + 1, NAN);
    for (uint32_t b : buckets) values[i][b] = subs.order_value(b, ord[i].key).value_or(NAN);
  }
  std::stable_sort(buckets.begin(), buckets.end(), [&](uint32_t a, uint32_t b) {
    for (size_t i = 0; i < ord.size(); ++i) {
      int c = 0;
      if (ord[i].key == "_count") {
        int64_t x = doc_count(a), y = doc_count(b);
        c = x < y ? -1 : x > y ? 1 : 0;
      } else if (ord[i].key == "_key") {
        c = key_cmp(a, b);
      } else {
        double x = values[i][a], y = values[i][b];
        // Buckets without a value sort last whatever the direction.
        if (std::isnan(x) || std::isnan(y)) {
          if (std::isnan(x) && std::isnan(y)) continue;
          return !std::isnan(x);
        }
        c = x < y ? -1 : x > y ? 1 : 0;
      }
      if (c != 0) return ord[i].order == SortOrder::kAsc ? c < 0 : c > 0;
    }
    return key_cmp(a, b) < 0;
  });
}

const FieldDef* find_field(const std::vector<SnapshotPtr>& indices, std::string_view field) {
  for (const auto& snap : indices)
    if (const FieldDef* f = snap->mapping->find(field)) return f;
  return nullptr;
}

Error text_field_error(std::string_view field) {
  return dsl_error("illegal_argument_exception",
                   "Text fields are not optimised for operations that require per-document field "
                   "data like aggregations and sorting, so these operations are disabled by "
                   "default. Please use a keyword field instead. Alternatively, set "
                   "fielddata=true on [" +
                       std::string(field) +
                       "] in order to load field data by uninverting the inverted index. Note "
                       "that this can use significant memory.");
}

void add_meta(const Aggregation& def, json::object& out) {
  if (!def.meta) return;
  json::object with;
  with["meta"] = *def.meta;
  for (auto& kv : out) with[kv.key()] = std::move(kv.value());
  out = std::move(with);
}

namespace {

// Matched documents from which the top-level aggregations are collected on two threads
// (below it a thread costs more than it saves).
constexpr uint64_t kParallelMinDocs = 100000;

// One top-level aggregator over every matching segment of every index.
Status collect_over_matches(Aggregator& agg, const std::vector<SnapshotPtr>& indices,
                            const std::vector<std::vector<std::pair<uint32_t, Bitmap>>>& matches,
                            int64_t now_ms) {
  for (uint32_t ii = 0; ii < indices.size() && ii < matches.size(); ++ii) {
    QueryContext qctx(*indices[ii], now_ms);
    for (const auto& [si, docs] : matches[ii]) {
      SegmentContext seg;
      seg.index_no = ii;
      seg.segment_no = si;
      seg.snapshot = indices[ii].get();
      seg.segment = &indices[ii]->segments[si];
      seg.query_context = &qctx;
      COMPTOIR_TRY(agg.begin_segment(seg));
      agg.collect_all(docs);
      agg.end_segment();
    }
  }
  return {};
}

}  // namespace

Result<json::object> run_aggregations(
    const std::vector<Aggregation>& aggs, const std::vector<SnapshotPtr>& indices,
    const std::vector<std::vector<std::pair<uint32_t, Bitmap>>>& matches, int64_t now_ms) {
  AggregationContext ctx;
  ctx.indices = &indices;
  ctx.now_ms = now_ms;
  SubAggregators top;
  COMPTOIR_TRY(top.build(aggs, ctx, /*top_level=*/true));
  std::vector<AggregatorPtr>& all = top.aggregators();
  uint64_t docs = 0;
  for (const auto& per_index : matches)
    for (const auto& [si, bits] : per_index) docs += bits.cardinality();
  // Top-level aggregators share nothing while they collect (results, and the bucket
  // budget, are written afterwards in order), so two threads take them one at a time.
  const bool parallel =
      all.size() >= 2 && docs >= kParallelMinDocs && std::thread::hardware_concurrency() >= 2;
  std::vector<Status> status(all.size());
  // Largest first, so that the two threads finish together: a bucket aggregation with
  // sub-aggregations does several times a metric's work.
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return all[a]->definition().subs.size() > all[b]->definition().subs.size();
  });
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k = next++; k < order.size(); k = next++) {
      // The helper thread must not let an exception escape (a corrupt term dictionary
      // block raises SegmentCorruption): it becomes this aggregator's status.
      try {
        status[order[k]] = collect_over_matches(*all[order[k]], indices, matches, now_ms);
      } catch (const SegmentCorruption& e) {
        status[order[k]] = Error::corruption(e.what());
      }
    }
  };
  if (parallel) {
    std::thread helper(work);
    work();
    helper.join();
  } else {
    work();
  }
  for (const Status& st : status) COMPTOIR_TRY(st);
  json::object out;
  COMPTOIR_TRY(top.write(0, out));
  return out;
}

}  // namespace comptoir::engine
