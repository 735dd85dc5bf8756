// The `top_hits` aggregation: the best `from + size` documents of each parent bucket by
// the given sort (doc-value fields, `_doc`), kept in a bounded buffer while collecting;
// their stored `_source` is read only when the response is written. Without a sort the
// documents come in index order with a constant score of 1.0 (scores are not computed
// inside aggregations; docs/compat.md).
#include <algorithm>
#include <cmath>

#include "engine/dsl/dsl_error.h"
#include "engine/query/aggregator.h"
#include "engine/query/field_values.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

struct SortValue {
  bool present = false;
  bool is_string = false;
  double num = 0;
  std::string str;
};

struct Entry {
  std::vector<SortValue> keys;
  uint32_t index_no = 0, segment_no = 0, doc = 0;
};

class TopHitsAggregator final : public Aggregator {
 public:
  TopHitsAggregator(const Aggregation& def, AggregationContext& ctx)
      : Aggregator(def, ctx), spec_(std::get<TopHitsAgg>(def.body)) {}

  Status init() {
    for (const auto& s : spec_.sort) {
      if (s.field == "_score" || s.field == "_doc") continue;
      const FieldDef* f = find_field(*ctx_.indices, s.field);
      if (f == nullptr && !s.unmapped_type)
        return dsl_error("query_shard_exception",
                         "No mapping found for [" + s.field + "] in order to sort on");
      if (f != nullptr && storage_kind(f->type) == StorageKind::kText)
        return text_field_error(s.field);
    }
    keep_ = static_cast<size_t>(spec_.from + spec_.size);
    return {};
  }

  Status begin_segment(const SegmentContext& seg) override {
    seg_ = seg;
    fields_.clear();
    for (const auto& s : spec_.sort)
      fields_.push_back(FieldValues::open(*seg.snapshot, *seg.segment, s.field));
    return {};
  }

  void collect(uint32_t doc, uint32_t owner) override {
    if (owner >= entries_.size()) {
      entries_.resize(owner + 1);
      totals_.resize(owner + 1, 0);
    }
    ++totals_[owner];
    if (keep_ == 0) return;
    Entry e;
    e.index_no = seg_.index_no;
    e.segment_no = seg_.segment_no;
    e.doc = doc;
    for (size_t i = 0; i < spec_.sort.size(); ++i) e.keys.push_back(key_of(i, doc));
    auto& list = entries_[owner];
    list.push_back(std::move(e));
    if (list.size() >= 2 * keep_ + 32) trim(list);
  }

  Result<json::value> result(uint32_t owner) override {
    json::array hits;
    int64_t total = owner < totals_.size() ? totals_[owner] : 0;
    if (owner < entries_.size()) {
      auto& list = entries_[owner];
      trim(list);
      for (size_t i = static_cast<size_t>(spec_.from); i < list.size(); ++i) {
        const Entry& e = list[i];
        const IndexSnapshot& snap = *(*ctx_.indices)[e.index_no];
        auto stored = snap.segments[e.segment_no].reader->stored(e.doc);
        if (!stored) return stored.error();
        json::object hit;
        hit["_index"] = snap.index;
        hit["_id"] = stored->id;
        if (spec_.sort.empty()) {
          hit["_score"] = 1.0;
        } else {
          hit["_score"] = nullptr;
        }
        if (spec_.source.fetch) {
          boost::system::error_code ec;
          json::value src = json::parse(stored->source, ec);
          if (ec) return Error::corruption("stored _source is not JSON for [" + stored->id + "]");
          hit["_source"] = filter_source(src, spec_.source);
        }
        if (!spec_.sort.empty()) {
          json::array sort;
          for (size_t k = 0; k < e.keys.size(); ++k) sort.push_back(key_json(k, e));
          hit["sort"] = std::move(sort);
        }
        hits.push_back(std::move(hit));
      }
    }
    json::object inner;
    inner["total"] = json::object{{"value", total}, {"relation", "eq"}};
    if (spec_.sort.empty() && total > 0) {
      inner["max_score"] = 1.0;
    } else {
      inner["max_score"] = nullptr;
    }
    inner["hits"] = std::move(hits);
    json::object o;
    o["hits"] = std::move(inner);
    add_meta(def_, o);
    return json::value(std::move(o));
  }

 private:
  bool desc(size_t i) const { return spec_.sort[i].effective_order() == SortOrder::kDesc; }

  SortValue key_of(size_t i, uint32_t doc) const {
    SortValue v;
    const SortField& s = spec_.sort[i];
    if (s.field == "_doc") {
      v.present = true;
      v.num = double(doc);
      return v;
    }
    if (s.field == "_score") {
      v.present = true;
      v.num = 1.0;
      return v;
    }
    const FieldValues& f = fields_[i];
    const bool want_max = s.mode ? *s.mode == "max" : desc(i);
    if (f.kind == StorageKind::kKeyword) {
      std::optional<uint32_t> pick;
      f.ords(doc, [&](uint32_t o) {
        if (!pick || want_max) pick = o;
      });
      if (pick) {
        v.present = v.is_string = true;
        v.str = std::string(f.reader->term(*pick));
      }
      return v;
    }
    f.doubles(doc, [&](double x) {
      if (!v.present || (want_max ? x > v.num : x < v.num)) v.num = x;
      v.present = true;
    });
    return v;
  }

  // Is a ranked before b?
  bool before(const Entry& a, const Entry& b) const {
    for (size_t i = 0; i < a.keys.size(); ++i) {
      const SortValue& x = a.keys[i];
      const SortValue& y = b.keys[i];
      if (x.present != y.present) {
        bool first = spec_.sort[i].missing_first();
        return x.present ? !first : first;
      }
      if (!x.present) continue;
      int c = 0;
      if (x.is_string || y.is_string) {
        c = x.str < y.str ? -1 : x.str > y.str ? 1 : 0;
      } else {
        c = x.num < y.num ? -1 : x.num > y.num ? 1 : 0;
      }
      if (c != 0) return desc(i) ? c > 0 : c < 0;
    }
    if (a.index_no != b.index_no) return a.index_no < b.index_no;
    if (a.segment_no != b.segment_no) return a.segment_no < b.segment_no;
    return a.doc < b.doc;
  }

  void trim(std::vector<Entry>& list) const {
    auto cmp = [&](const Entry& a, const Entry& b) { return before(a, b); };
    if (list.size() > keep_) {
      std::nth_element(list.begin(), list.begin() + static_cast<ptrdiff_t>(keep_), list.end(), cmp);
      list.resize(keep_);
    }
    std::sort(list.begin(), list.end(), cmp);
  }

  json::value key_json(size_t k, const Entry& e) const {
    const SortValue& v = e.keys[k];
    if (!v.present) return nullptr;
    if (v.is_string) return json::value(v.str);
    const std::string& field = spec_.sort[k].field;
    if (field == "_doc" || field == "_score") return v.num;
    const FieldDef* f = (*ctx_.indices)[e.index_no]->mapping->find(field);
    if (f != nullptr && storage_kind(f->type) == StorageKind::kInt64)
      return static_cast<int64_t>(v.num);
    return v.num;
  }

  const TopHitsAgg& spec_;
  size_t keep_ = 3;
  SegmentContext seg_;
  std::vector<FieldValues> fields_;
  std::vector<std::vector<Entry>> entries_;
  std::vector<int64_t> totals_;
};

}  // namespace

Result<AggregatorPtr> make_top_hits_aggregator(const Aggregation& def, AggregationContext& ctx,
                                               bool) {
  auto a = std::make_unique<TopHitsAggregator>(def, ctx);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

}  // namespace comptoir::engine
