// Buckets defined by queries or presence: `filters` (named or anonymous queries, plus
// the optional `_other_` bucket of documents no filter matched), `filter` (one query)
// and `missing` (documents without a value for a field). Each filter is matched once
// per segment into a bitmap; collecting a document is then a bitmap lookup.
#include "engine/query/aggregator.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

class FiltersAggregator final : public Aggregator {
 public:
  FiltersAggregator(const Aggregation& def, AggregationContext& ctx)
      : Aggregator(def, ctx), spec_(std::get<FiltersAgg>(def.body)) {}

  Status init() { return subs_.build(def_.subs, ctx_, false); }

  size_t width() const { return spec_.filters.size() + (spec_.other_bucket ? 1 : 0); }

  Status begin_segment(const SegmentContext& seg) override {
    matches_.clear();
    for (const auto& [name, query] : spec_.filters) {
      auto node = build_match(query, *seg.segment, *seg.query_context);
      if (!node) return node.error();
      matches_.push_back(std::move(node->docs));
    }
    return subs_.begin_segment(seg);
  }

  void collect(uint32_t doc, uint32_t owner) override {
    const auto w = static_cast<uint32_t>(width());
    bool any = false;
    for (uint32_t i = 0; i < matches_.size(); ++i) {
      if (!matches_[i].contains(doc)) continue;
      any = true;
      bump(owner * w + i, doc);
    }
    if (!any && spec_.other_bucket) bump(owner * w + static_cast<uint32_t>(matches_.size()), doc);
  }

  void end_segment() override { subs_.end_segment(); }

  Result<json::value> result(uint32_t owner) override {
    const auto w = static_cast<uint32_t>(width());
    COMPTOIR_TRY(ctx_.count_buckets(w));
    BucketList out(spec_.keyed);
    for (uint32_t i = 0; i < w; ++i) {
      uint32_t b = owner * w + i;
      json::object bucket;
      bucket["doc_count"] = b < counts_.size() ? counts_[b] : 0;
      COMPTOIR_TRY(subs_.write(b, bucket));
      bool other = i == spec_.filters.size();
      out.add(
          other ? (spec_.other_bucket_key.empty() ? std::string("_other_") : spec_.other_bucket_key)
                : spec_.filters[i].first,
          std::move(bucket));
    }
    return out.finish(def_);
  }

  std::optional<double> order_value(uint32_t owner, std::string_view path) override {
    // "filters_name>bucket_name" is not supported by ES either; no value.
    (void)owner;
    (void)path;
    return std::nullopt;
  }

 private:
  void bump(uint32_t b, uint32_t doc) {
    if (b >= counts_.size()) counts_.resize(b + 1, 0);
    ++counts_[b];
    subs_.collect(doc, b);
  }

  const FiltersAgg& spec_;
  SubAggregators subs_;
  std::vector<Bitmap> matches_;
  std::vector<int64_t> counts_;
};

// `filter` and `missing`: one bucket per owner, holding the owner's docs that pass.
class SingleBucketAggregator final : public Aggregator {
 public:
  SingleBucketAggregator(const Aggregation& def, AggregationContext& ctx) : Aggregator(def, ctx) {}

  Status init() { return subs_.build(def_.subs, ctx_, false); }

  Status begin_segment(const SegmentContext& seg) override {
    if (const auto* f = std::get_if<FilterAgg>(&def_.body)) {
      auto node = build_match(f->filter, *seg.segment, *seg.query_context);
      if (!node) return node.error();
      match_ = std::move(node->docs);
    } else {
      const auto& m = std::get<MissingAgg>(def_.body);
      const FieldReader* r = seg.segment->reader->field(m.field);
      // Docs with the field (indexed or doc values) are not "missing".
      Bitmap has;
      if (r != nullptr) has = r->exists();
      match_ = Bitmap::range(0, seg.segment->reader->doc_count()) - has;
    }
    return subs_.begin_segment(seg);
  }

  void collect_all(const Bitmap& docs) override {
    // Top level: the bucket is the intersection; without sub-aggregations only its size.
    if (counts_.empty()) counts_.resize(1, 0);
    if (subs_.empty()) {
      counts_[0] += static_cast<int64_t>(docs.and_cardinality(match_));
      return;
    }
    Bitmap in = docs & match_;
    counts_[0] += static_cast<int64_t>(in.cardinality());
    in.for_each([&](uint32_t doc) { subs_.collect(doc, 0); });
  }

  void collect(uint32_t doc, uint32_t owner) override {
    if (!match_.contains(doc)) return;
    if (owner >= counts_.size()) counts_.resize(owner + 1, 0);
    ++counts_[owner];
    subs_.collect(doc, owner);
  }

  void end_segment() override { subs_.end_segment(); }

  Result<json::value> result(uint32_t owner) override {
    COMPTOIR_TRY(ctx_.count_buckets(1));
    json::object o;
    o["doc_count"] = owner < counts_.size() ? counts_[owner] : 0;
    COMPTOIR_TRY(subs_.write(owner, o));
    add_meta(def_, o);
    return json::value(std::move(o));
  }

  std::optional<double> order_value(uint32_t owner, std::string_view path) override {
    if (path.empty() || path == "_count" || path == "doc_count")
      return double(owner < counts_.size() ? counts_[owner] : 0);
    return subs_.order_value(owner, path);
  }

 private:
  SubAggregators subs_;
  Bitmap match_;
  std::vector<int64_t> counts_;
};

}  // namespace

Result<AggregatorPtr> make_filters_aggregator(const Aggregation& def, AggregationContext& ctx,
                                              bool) {
  auto a = std::make_unique<FiltersAggregator>(def, ctx);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

Result<AggregatorPtr> make_single_bucket_aggregator(const Aggregation& def, AggregationContext& ctx,
                                                    bool) {
  auto a = std::make_unique<SingleBucketAggregator>(def, ctx);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

}  // namespace comptoir::engine
