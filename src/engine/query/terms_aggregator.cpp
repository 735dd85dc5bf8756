// The `terms` aggregation: one bucket per distinct value of a keyword, numeric, date,
// boolean or ip field, counted per document (a document with a value twice counts
// once), ordered by count (ties by key), key or a sub-aggregation, cut to `size` with
// the rest reported in sum_other_doc_count. This general form keys buckets by (parent
// bucket, key) and interns keyword keys once per segment ordinal; a keyword terms at the
// top level goes to KeywordTermsAggregator (global ordinals) instead.
#include <algorithm>
#include <bit>
#include <cmath>
#include <unordered_map>

#include "engine/dsl/dsl_error.h"
#include "engine/query/aggregator.h"
#include "engine/query/bucket_ords.h"
#include "engine/query/field_values.h"
#include "engine/query/terms_include.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

enum class KeyKind { kString, kLong, kDouble };

uint64_t double_bits(double d) {
  return std::bit_cast<uint64_t>(d);
}
double bits_double(uint64_t b) {
  return std::bit_cast<double>(b);
}

class TermsAggregator final : public Aggregator {
 public:
  TermsAggregator(const Aggregation& def, AggregationContext& ctx)
      : Aggregator(def, ctx), spec_(std::get<TermsAgg>(def.body)) {}

  Status init() {
    const FieldDef* f = find_field(*ctx_.indices, spec_.field);
    if (f != nullptr) {
      type_ = f->type;
      switch (storage_kind(f->type)) {
        case StorageKind::kText:
          return text_field_error(spec_.field);
        case StorageKind::kKeyword:
          kind_ = KeyKind::kString;
          break;
        case StorageKind::kInt64:
          kind_ = KeyKind::kLong;
          break;
        case StorageKind::kDouble:
          kind_ = KeyKind::kDouble;
          break;
        case StorageKind::kNone:
          return dsl_error("illegal_argument_exception",
                           "Field [" + spec_.field +
                               "] of type [object] is not supported for "
                               "aggregation [terms]");
      }
    }
    if (!std::holds_alternative<std::monostate>(spec_.missing)) {
      has_missing_ = true;
      std::string text = scalar_to_string(spec_.missing);
      if (kind_ == KeyKind::kString) {
        missing_key_ = intern(text);
      } else if (kind_ == KeyKind::kLong) {
        if (type_ == FieldType::kDate) {
          auto ms = parse_date(text);
          if (!ms) return ms.error();
          missing_key_ = static_cast<uint64_t>(*ms);
        } else if (type_ == FieldType::kBoolean) {
          missing_key_ = (text == "true" || text == "1") ? 1 : 0;
        } else {
          missing_key_ = static_cast<uint64_t>(std::strtoll(text.c_str(), nullptr, 10));
        }
      } else {
        missing_key_ = double_bits(std::strtod(text.c_str(), nullptr));
      }
    }
    COMPTOIR_TRY(subs_.build(def_.subs, ctx_, false));
    COMPTOIR_TRY(check_order_paths(spec_.order, subs_, def_.name));
    return {};
  }

  Status begin_segment(const SegmentContext& seg) override {
    values_ = FieldValues::open(*seg.snapshot, *seg.segment, spec_.field);
    if (values_.def != nullptr && storage_kind(values_.def->type) == StorageKind::kText)
      return text_field_error(spec_.field);
    seg_ids_.clear();
    if (values_.present() && values_.kind == StorageKind::kKeyword && kind_ == KeyKind::kString) {
      seg_ids_.assign(values_.reader->term_count(), UINT32_MAX);
      if (spec_.min_doc_count == 0)
        for (uint32_t t = 0; t < values_.reader->term_count(); ++t) seg_id(t);
    }
    return subs_.begin_segment(seg);
  }

  // A segment without the field adds nothing unless there is a `missing` bucket.
  void collect_all(const Bitmap& docs) override {
    if (!values_.present() && !has_missing_) return;
    Aggregator::collect_all(docs);
  }

  void collect(uint32_t doc, uint32_t owner) override {
    bool any = false;
    if (values_.present()) {
      if (kind_ == KeyKind::kString && values_.kind == StorageKind::kKeyword) {
        uint32_t last = UINT32_MAX;
        values_.ords(doc, [&](uint32_t o) {
          if (o == last) return;
          last = o;
          any = true;
          add(owner, seg_id(o), doc);
        });
      } else if (kind_ == KeyKind::kLong && values_.kind == StorageKind::kInt64) {
        int64_t last = 0;
        bool first = true;
        values_.ints(doc, [&](int64_t v) {
          if (!first && v == last) return;
          first = false;
          last = v;
          any = true;
          add(owner, static_cast<uint64_t>(v), doc);
        });
      } else if (kind_ == KeyKind::kDouble && values_.numeric()) {
        double last = 0;
        bool first = true;
        values_.doubles(doc, [&](double v) {
          if (!first && v == last) return;
          first = false;
          last = v;
          any = true;
          add(owner, double_bits(v), doc);
        });
      }
    }
    if (!any && has_missing_) add(owner, missing_key_, doc);
  }

  void end_segment() override { subs_.end_segment(); }

  Result<json::value> result(uint32_t owner) override {
    // min_doc_count 0: every known key appears, with 0 when unseen under this owner.
    if (spec_.min_doc_count == 0) {
      size_t n = kind_ == KeyKind::kString ? strings_.size() : 0;
      for (size_t k = 0; k < n; ++k) {
        bool created = false;
        uint32_t ord = ords_.add(owner, k, &created);
        if (created) counts_at(ord);
      }
    }
    std::vector<uint32_t> buckets;
    for (uint32_t ord : ords_.of_owner(owner)) {
      if (count(ord) < spec_.min_doc_count) continue;
      if (!included(ord)) continue;
      buckets.push_back(ord);
    }
    static const std::vector<BucketOrder> kDefault{{"_count", SortOrder::kDesc}};
    sort_buckets(
        buckets, spec_.order, kDefault, [&](uint32_t a, uint32_t b) { return key_cmp(a, b); },
        [&](uint32_t b) { return count(b); }, subs_);
    int64_t other = 0;
    if (buckets.size() > static_cast<size_t>(spec_.size)) {
      for (size_t i = spec_.size; i < buckets.size(); ++i) other += count(buckets[i]);
      buckets.resize(spec_.size);
    }
    COMPTOIR_TRY(ctx_.count_buckets(static_cast<int64_t>(buckets.size())));
    json::array out;
    for (uint32_t b : buckets) {
      json::object bucket;
      write_key(b, bucket);
      bucket["doc_count"] = count(b);
      COMPTOIR_TRY(subs_.write(b, bucket));
      out.push_back(std::move(bucket));
    }
    json::object o;
    o["doc_count_error_upper_bound"] = 0;
    o["sum_other_doc_count"] = other;
    o["buckets"] = std::move(out);
    add_meta(def_, o);
    return json::value(std::move(o));
  }

 private:
  uint32_t intern(const std::string& s) {
    auto [it, inserted] = string_ids_.try_emplace(s, static_cast<uint32_t>(strings_.size()));
    if (inserted) strings_.push_back(s);
    return it->second;
  }
  uint32_t seg_id(uint32_t ord) {
    uint32_t& id = seg_ids_[ord];
    if (id == UINT32_MAX) id = intern(std::string(values_.reader->term(ord)));
    return id;
  }
  int64_t& counts_at(uint32_t ord) {
    if (ord >= counts_.size()) counts_.resize(ord + 1, 0);
    return counts_[ord];
  }
  int64_t count(uint32_t ord) const { return ord < counts_.size() ? counts_[ord] : 0; }
  void add(uint32_t owner, uint64_t key, uint32_t doc) {
    uint32_t ord = ords_.add(owner, key);
    ++counts_at(ord);
    subs_.collect(doc, ord);
  }

  int key_cmp(uint32_t a, uint32_t b) const {
    uint64_t x = ords_.key(a), y = ords_.key(b);
    switch (kind_) {
      case KeyKind::kString: {
        int c = strings_[x].compare(strings_[y]);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
      }
      case KeyKind::kLong: {
        auto i = static_cast<int64_t>(x), j = static_cast<int64_t>(y);
        return i < j ? -1 : i > j ? 1 : 0;
      }
      case KeyKind::kDouble: {
        double i = bits_double(x), j = bits_double(y);
        return i < j ? -1 : i > j ? 1 : 0;
      }
    }
    return 0;
  }

  std::string key_text(uint32_t ord) const {
    uint64_t k = ords_.key(ord);
    switch (kind_) {
      case KeyKind::kString:
        return strings_[k];
      case KeyKind::kLong:
        return std::to_string(static_cast<int64_t>(k));
      case KeyKind::kDouble:
        return java_double_text(bits_double(k));
    }
    return {};
  }

  bool included(uint32_t ord) {
    if (!include_.active()) return true;
    return include_.accepts(key_text(ord), kind_ != KeyKind::kString,
                            kind_ == KeyKind::kLong ? double(static_cast<int64_t>(ords_.key(ord)))
                                                    : bits_double(ords_.key(ord)));
  }

  void write_key(uint32_t ord, json::object& bucket) const {
    uint64_t k = ords_.key(ord);
    switch (kind_) {
      case KeyKind::kString:
        bucket["key"] = strings_[k];
        return;
      case KeyKind::kLong: {
        auto v = static_cast<int64_t>(k);
        bucket["key"] = v;
        if (type_ == FieldType::kDate) {
          bucket["key_as_string"] = format_date(v, spec_.format.value_or(""), "");
        } else if (type_ == FieldType::kBoolean) {
          bucket["key_as_string"] = v != 0 ? "true" : "false";
        }
        return;
      }
      case KeyKind::kDouble:
        bucket["key"] = bits_double(k);
        return;
    }
  }

  const TermsAgg& spec_;
  KeyKind kind_ = KeyKind::kString;
  FieldType type_ = FieldType::kKeyword;
  bool has_missing_ = false;
  uint64_t missing_key_ = 0;
  SubAggregators subs_;

  std::vector<std::string> strings_;
  std::unordered_map<std::string, uint32_t> string_ids_;
  BucketOrds ords_;
  std::vector<int64_t> counts_;
  TermsInclude include_{spec_};

  // The current segment.
  FieldValues values_;
  std::vector<uint32_t> seg_ids_;
};

}  // namespace

Result<AggregatorPtr> make_terms_aggregator(const Aggregation& def, AggregationContext& ctx,
                                            bool top) {
  if (top && keyword_everywhere(*ctx.indices, std::get<TermsAgg>(def.body).field))
    return make_keyword_terms_aggregator(def, ctx);
  auto a = std::make_unique<TermsAggregator>(def, ctx);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

}  // namespace comptoir::engine
