// The `terms` aggregation on a keyword field at the top level of a request (the
// dashboard's levels, the sales' countries and products): buckets are global ordinals
// (global_ordinals.h), so collecting a document is an array lookup and an increment,
// keys are compared as integers, and only the printed buckets' terms are read. Without
// sub-aggregations a segment whose every document matches takes its counts straight
// from the postings' document frequencies. Other terms aggregations (numeric keys,
// nested under another bucket) use the general TermsAggregator.
#include <algorithm>
#include <numeric>

#include "engine/query/aggregator.h"
#include "engine/query/field_values.h"
#include "engine/query/global_ordinals.h"
#include "engine/query/terms_include.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

class KeywordTermsAggregator final : public Aggregator {
 public:
  KeywordTermsAggregator(const Aggregation& def, AggregationContext& ctx)
      : Aggregator(def, ctx),
        spec_(std::get<TermsAgg>(def.body)),
        globals_(*ctx.indices, spec_.field),
        include_(spec_) {}

  Status init() {
    counts_.assign(globals_.size(), 0);
    if (!std::holds_alternative<std::monostate>(spec_.missing)) {
      missing_text_ = scalar_to_string(spec_.missing);
      auto g = globals_.find(missing_text_);
      missing_ord_ = g ? *g : globals_.size();  // an extra bucket after the terms
      if (!g) counts_.push_back(0);
    }
    COMPTOIR_TRY(subs_.build(def_.subs, ctx_, false));
    return check_order_paths(spec_.order, subs_, def_.name);
  }

  Status begin_segment(const SegmentContext& seg) override {
    values_ = FieldValues::open(*seg.snapshot, *seg.segment, spec_.field);
    seg_ = seg.segment;
    map_ = values_.kind == StorageKind::kKeyword && values_.present()
               ? &globals_.segment_map(seg.index_no, seg.segment_no)
               : nullptr;
    return subs_.begin_segment(seg);
  }

  void collect_all(const Bitmap& docs) override {
    if (map_ == nullptr && missing_ord_ == UINT32_MAX) return;  // no value, no missing bucket
    const FieldReader* r = values_.reader;
    if (subs_.empty() && map_ != nullptr && docs.cardinality() == seg_->reader->doc_count() &&
        seg_->deleted->empty() && missing_ord_ == UINT32_MAX) {
      for (uint32_t t = 0; t < r->term_count(); ++t)
        counts_[(*map_)[t]] += static_cast<int64_t>(r->doc_freq(t));
      return;
    }
    if (map_ == nullptr || subs_.empty()) {
      docs.for_each([&](uint32_t doc) { collect(doc, 0); });
      return;
    }
    // Sub-aggregations get their (doc, bucket) pairs in blocks.
    constexpr size_t kBlock = 1024;
    uint32_t block_docs[kBlock], block_buckets[kBlock];
    size_t n = 0;
    auto emit = [&](uint32_t doc, uint32_t g) {
      block_docs[n] = doc;
      block_buckets[n] = g;
      if (++n == kBlock) {
        subs_.collect_block(block_docs, block_buckets, n);
        n = 0;
      }
    };
    docs.for_each([&](uint32_t doc) {
      bool any = false;
      uint32_t last = UINT32_MAX;
      r->values<uint32_t>(doc, [&](uint32_t o) {
        if (o == last) return;
        last = o;
        any = true;
        uint32_t g = (*map_)[o];
        ++counts_[g];
        emit(doc, g);
      });
      if (!any && missing_ord_ != UINT32_MAX) {
        ++counts_[missing_ord_];
        emit(doc, missing_ord_);
      }
    });
    if (n > 0) subs_.collect_block(block_docs, block_buckets, n);
  }

  void collect(uint32_t doc, uint32_t /*owner: always 0*/) override {
    bool any = false;
    if (map_ != nullptr) {
      uint32_t last = UINT32_MAX;
      values_.reader->values<uint32_t>(doc, [&](uint32_t o) {
        if (o == last) return;  // a value twice in one doc counts once
        last = o;
        any = true;
        uint32_t g = (*map_)[o];
        ++counts_[g];
        subs_.collect(doc, g);
      });
    }
    if (!any && missing_ord_ != UINT32_MAX) {
      ++counts_[missing_ord_];
      subs_.collect(doc, missing_ord_);
    }
  }

  void end_segment() override { subs_.end_segment(); }

  Result<json::value> result(uint32_t owner) override {
    std::vector<uint32_t> buckets;
    if (owner == 0) {
      for (uint32_t g = 0; g < counts_.size(); ++g) {
        if (counts_[g] < spec_.min_doc_count || (counts_[g] == 0 && spec_.min_doc_count > 0))
          continue;
        if (include_.active() && !include_.accepts(std::string(key(g)))) continue;
        buckets.push_back(g);
      }
    }
    int64_t total = 0;
    for (uint32_t b : buckets) total += counts_[b];
    const size_t size = static_cast<size_t>(spec_.size);
    auto by_count = [&](uint32_t a, uint32_t b) {
      if (counts_[a] != counts_[b]) return counts_[a] > counts_[b];
      return key(a) < key(b);
    };
    bool default_order =
        spec_.order.empty() || (spec_.order.size() == 1 && spec_.order[0].key == "_count" &&
                                spec_.order[0].order == SortOrder::kDesc);
    if (default_order) {
      // Only the printed buckets need to be in order.
      if (buckets.size() > size) {
        std::nth_element(buckets.begin(), buckets.begin() + static_cast<ptrdiff_t>(size),
                         buckets.end(), by_count);
        buckets.resize(size);
      }
      std::sort(buckets.begin(), buckets.end(), by_count);
    } else {
      static const std::vector<BucketOrder> kDefault{{"_count", SortOrder::kDesc}};
      sort_buckets(
          buckets, spec_.order, kDefault,
          [&](uint32_t a, uint32_t b) {
            int c = key(a).compare(key(b));
            return c < 0 ? -1 : c > 0 ? 1 : 0;
          },
          [&](uint32_t b) { return counts_[b]; }, subs_);
      if (buckets.size() > size) buckets.resize(size);
    }
    COMPTOIR_TRY(ctx_.count_buckets(static_cast<int64_t>(buckets.size())));
    json::array out;
    int64_t shown = 0;
    for (uint32_t b : buckets) {
      json::object bucket;
      bucket["key"] = key(b);
      bucket["doc_count"] = counts_[b];
      shown += counts_[b];
      COMPTOIR_TRY(subs_.write(b, bucket));
      out.push_back(std::move(bucket));
    }
    json::object o;
    o["doc_count_error_upper_bound"] = 0;
    o["sum_other_doc_count"] = total - shown;
    o["buckets"] = std::move(out);
    add_meta(def_, o);
    return json::value(std::move(o));
  }

 private:
  std::string_view key(uint32_t g) const {
    return g < globals_.size() ? globals_.term(g) : std::string_view(missing_text_);
  }

  const TermsAgg& spec_;
  GlobalOrdinals globals_;
  TermsInclude include_;
  std::vector<int64_t> counts_;  // by global ordinal (+ the missing bucket)
  std::string missing_text_;
  uint32_t missing_ord_ = UINT32_MAX;
  SubAggregators subs_;
  FieldValues values_;
  const SegmentView* seg_ = nullptr;
  const std::vector<uint32_t>* map_ = nullptr;
};

}  // namespace

// Whether `field` is a keyword wherever it is mapped (the global-ordinals path applies).
bool keyword_everywhere(const std::vector<SnapshotPtr>& indices, std::string_view field) {
  bool any = false;
  for (const auto& snap : indices) {
    const FieldDef* def = snap->mapping->find(field);
    if (def == nullptr) continue;
    if (storage_kind(def->type) != StorageKind::kKeyword) return false;
    any = true;
  }
  return any;
}

Result<AggregatorPtr> make_keyword_terms_aggregator(const Aggregation& def,
                                                    AggregationContext& ctx) {
  auto a = std::make_unique<KeywordTermsAggregator>(def, ctx);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

}  // namespace comptoir::engine
