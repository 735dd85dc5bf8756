// Aggregation execution: each node of the typed aggregation tree (dsl/aggregation.h)
// becomes an Aggregator that is fed the matching documents segment by segment, as
// Elasticsearch's collectors are: collect(doc, owner) where `owner` is the ordinal of
// the parent bucket (0 at the top level). Bucket aggregators assign their own dense
// bucket ordinals and pass them to their sub-aggregators, so trees of any depth cost one
// pass over the matches. Values come from doc-value columns and keyword ordinals; only
// top_hits reads stored documents. run_aggregations() builds the response's
// `aggregations` object in Elasticsearch's shape.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/dsl/aggregation.h"
#include "engine/index/snapshot.h"
#include "engine/query/bitmap.h"
#include "engine/query/query_matcher.h"
#include "util/result.h"

namespace comptoir::engine {

// Elasticsearch's search.max_buckets default: more buckets in one response is an error.
inline constexpr int64_t kMaxBuckets = 65536;

// What one search gives every aggregator.
struct AggregationContext {
  const std::vector<SnapshotPtr>* indices = nullptr;
  int64_t now_ms = 0;
  int64_t buckets_created = 0;  // against kMaxBuckets
  Status count_buckets(int64_t n);
};

// The segment being collected.
struct SegmentContext {
  uint32_t index_no = 0, segment_no = 0;
  const IndexSnapshot* snapshot = nullptr;
  const SegmentView* segment = nullptr;
  QueryContext* query_context = nullptr;
};

class Aggregator {
 public:
  Aggregator(const Aggregation& def, AggregationContext& ctx) : def_(def), ctx_(ctx) {}
  virtual ~Aggregator() = default;
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  const Aggregation& definition() const { return def_; }

  virtual Status begin_segment(const SegmentContext& seg) = 0;
  virtual void collect(uint32_t doc, uint32_t owner) = 0;
  // collect() for a block of (doc, owner) pairs, docs ascending; metrics override it
  // with a loop free of per-document dispatch.
  virtual void collect_block(const uint32_t* docs, const uint32_t* owners, size_t n) {
    for (size_t i = 0; i < n; ++i) collect(docs[i], owners[i]);
  }
  // All matching docs of the segment at the top level (owner 0); fast paths override it.
  virtual void collect_all(const Bitmap& docs) {
    docs.for_each([&](uint32_t doc) { collect(doc, 0); });
  }
  virtual void end_segment() {}

  // The aggregation's JSON for parent bucket `owner`; owners never collected give the
  // empty result (0 counts, null metrics, no buckets).
  virtual Result<boost::json::value> result(uint32_t owner) = 0;

  // A number to order parent buckets by: `path` is "" for a single-value metric or a
  // single-bucket aggregation's doc count, a metric name ("avg", "value", "50"), or
  // "sub>rest" through a single-bucket aggregation.
  virtual std::optional<double> order_value(uint32_t owner, std::string_view path) {
    (void)owner;
    (void)path;
    return std::nullopt;
  }

 protected:
  const Aggregation& def_;
  AggregationContext& ctx_;
};

using AggregatorPtr = std::unique_ptr<Aggregator>;

// The sub-aggregators of a bucket aggregator.
class SubAggregators {
 public:
  SubAggregators() = default;
  Status build(const std::vector<Aggregation>& defs, AggregationContext& ctx, bool top_level);
  bool empty() const { return aggs_.empty(); }
  Status begin_segment(const SegmentContext& seg) {
    for (auto& a : aggs_) COMPTOIR_TRY(a->begin_segment(seg));
    return {};
  }
  void collect(uint32_t doc, uint32_t bucket) {
    for (auto& a : aggs_) a->collect(doc, bucket);
  }
  void collect_block(const uint32_t* docs, const uint32_t* buckets, size_t n) {
    for (auto& a : aggs_) a->collect_block(docs, buckets, n);
  }
  void end_segment() {
    for (auto& a : aggs_) a->end_segment();
  }
  // Adds each sub-aggregation's result for `bucket` to `out` under its name.
  Status write(uint32_t bucket, boost::json::object& out);
  // Ordering value of a path "name" / "name.metric" / "name>rest".
  std::optional<double> order_value(uint32_t bucket, std::string_view path);
  bool knows(std::string_view path) const;
  std::vector<AggregatorPtr>& aggregators() { return aggs_; }

 private:
  std::vector<AggregatorPtr> aggs_;
};

// Creates the aggregator of one definition. `top_level`: owner is always 0.
Result<AggregatorPtr> make_aggregator(const Aggregation& def, AggregationContext& ctx,
                                      bool top_level);

// Runs `aggs` over the matches of a search: matches[i] lists (segment, live matching
// docs) of indices[i]. Returns the response's `aggregations` object. Over 100,000
// matched docs, the top-level aggregations are collected by two threads (each takes
// the next aggregation not yet collected); results are written in order afterwards.
Result<boost::json::object> run_aggregations(
    const std::vector<Aggregation>& aggs, const std::vector<SnapshotPtr>& indices,
    const std::vector<std::vector<std::pair<uint32_t, Bitmap>>>& matches, int64_t now_ms);

// ---- shared by the aggregator implementations ------------------------------------

// The mapping of `field` in the first index that maps it (null when none does).
const FieldDef* find_field(const std::vector<SnapshotPtr>& indices, std::string_view field);

// The error ES gives for aggregating a text field.
Error text_field_error(std::string_view field);

// Sorts bucket ordinals by `order` (an empty list means `fallback`), ties by key
// ascending. key_cmp(a, b) is <0, 0 or >0; doc_count(b) is a bucket's count; other
// order keys are sub-aggregation paths resolved through `subs`.
void sort_buckets(std::vector<uint32_t>& buckets, const std::vector<BucketOrder>& order,
                  const std::vector<BucketOrder>& fallback,
                  const std::function<int(uint32_t, uint32_t)>& key_cmp,
                  const std::function<int64_t(uint32_t)>& doc_count, SubAggregators& subs);

// Checks that every order key is _count, _key or a path to a sub-aggregation.
Status check_order_paths(const std::vector<BucketOrder>& order, const SubAggregators& subs,
                         std::string_view agg_name);

// Appends `meta` (when the definition has one) as Elasticsearch does.
void add_meta(const Aggregation& def, boost::json::object& out);

// The result of a multi-bucket aggregation: {"buckets": [...]}, or with `keyed` an
// object of buckets by name, then `meta`.
class BucketList {
 public:
  explicit BucketList(bool keyed) : keyed_(keyed) {}
  void add(const std::string& name, boost::json::object bucket) {
    if (keyed_) {
      by_name_[name] = std::move(bucket);
    } else {
      list_.push_back(std::move(bucket));
    }
  }
  boost::json::value finish(const Aggregation& def) {
    boost::json::object o;
    if (keyed_) {
      o["buckets"] = std::move(by_name_);
    } else {
      o["buckets"] = std::move(list_);
    }
    add_meta(def, o);
    return o;
  }

 private:
  bool keyed_;
  boost::json::object by_name_;
  boost::json::array list_;
};

// The factories of each family (one file each).
Result<AggregatorPtr> make_terms_aggregator(const Aggregation&, AggregationContext&, bool top);
Result<AggregatorPtr> make_keyword_terms_aggregator(const Aggregation&, AggregationContext&);
bool keyword_everywhere(const std::vector<SnapshotPtr>& indices, std::string_view field);
Result<AggregatorPtr> make_date_histogram_aggregator(const Aggregation&, AggregationContext&,
                                                     bool top);
Result<AggregatorPtr> make_histogram_aggregator(const Aggregation&, AggregationContext&, bool top);
Result<AggregatorPtr> make_range_aggregator(const Aggregation&, AggregationContext&, bool top);
Result<AggregatorPtr> make_filters_aggregator(const Aggregation&, AggregationContext&, bool top);
Result<AggregatorPtr> make_single_bucket_aggregator(const Aggregation&, AggregationContext&,
                                                    bool top);  // filter, missing
Result<AggregatorPtr> make_metric_aggregator(const Aggregation&, AggregationContext&, bool top);
Result<AggregatorPtr> make_cardinality_aggregator(const Aggregation&, AggregationContext&,
                                                  bool top);
Result<AggregatorPtr> make_percentiles_aggregator(const Aggregation&, AggregationContext&,
                                                  bool top);
Result<AggregatorPtr> make_top_hits_aggregator(const Aggregation&, AggregationContext&, bool top);

}  // namespace comptoir::engine
