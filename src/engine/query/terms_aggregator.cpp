// The `terms` aggregation: one bucket per distinct value of a keyword, numeric, date,
// boolean or ip field, counted per document (a document with a value twice counts
// once), ordered by count (ties by key), key or a sub-aggregation, cut to `size` with
// the rest reported in sum_other_doc_count. Keyword keys are interned once per segment
// ordinal; at the top level without sub-aggregations counts go to a dense per-ordinal
// array, and with every document of a segment matching and no deletions they are read
// straight from the postings' document frequencies.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <regex>
#include <unordered_map>

#include "engine/dsl/dsl_error.h"
#include "engine/query/aggregator.h"
#include "engine/query/bucket_ords.h"
#include "engine/query/field_values.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

enum class KeyKind { kString, kLong, kDouble };

uint64_t double_bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}
double bits_double(uint64_t b) {
  double d;
  std::memcpy(&d, &b, 8);
  return d;
}

class TermsAggregator final : public Aggregator {
 public:
  TermsAggregator(const Aggregation& def, AggregationContext& ctx, bool top)
      : Aggregator(def, ctx), spec_(std::get<TermsAgg>(def.body)), top_(top) {}

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
    dense_ = top_ && subs_.empty();
    return {};
  }

  Status begin_segment(const SegmentContext& seg) override {
    values_ = FieldValues::open(*seg.snapshot, *seg.segment, spec_.field);
    if (values_.def != nullptr && storage_kind(values_.def->type) == StorageKind::kText)
      return text_field_error(spec_.field);
    seg_ = seg.segment;
    seg_ids_.clear();
    if (values_.present() && values_.kind == StorageKind::kKeyword && kind_ == KeyKind::kString) {
      seg_ids_.assign(values_.reader->term_count(), UINT32_MAX);
      if (dense_) dense_counts_.assign(values_.reader->term_count(), 0);
      if (top_ && !dense_) seg_buckets_.assign(values_.reader->term_count(), UINT32_MAX);
      if (spec_.min_doc_count == 0)
        for (uint32_t t = 0; t < values_.reader->term_count(); ++t) seg_id(t);
    }
    dense_missing_ = 0;
    return subs_.begin_segment(seg);
  }

  void collect_all(const Bitmap& docs) override {
    if (!dense_ || seg_ids_.empty()) {
      Aggregator::collect_all(docs);
      return;
    }
    const FieldReader* r = values_.reader;
    // Every doc of the segment matches: counts are the terms' document frequencies.
    if (docs.cardinality() == seg_->reader->doc_count() && seg_->deleted->empty() &&
        !r->exists().empty()) {
      for (uint32_t t = 0; t < r->term_count(); ++t) dense_counts_[t] += r->doc_freq(t);
      if (has_missing_) dense_missing_ += docs.cardinality() - r->exists().cardinality();
      return;
    }
    if (r->single_valued()) {
      docs.for_each([&](uint32_t doc) {
        bool any = false;
        r->values<uint32_t>(doc, [&](uint32_t o) {
          ++dense_counts_[o];
          any = true;
        });
        if (!any) ++dense_missing_;
      });
    } else {
      docs.for_each([&](uint32_t doc) {
        uint32_t last = UINT32_MAX;
        bool any = false;
        r->values<uint32_t>(doc, [&](uint32_t o) {
          if (o != last) ++dense_counts_[o];
          last = o;
          any = true;
        });
        if (!any) ++dense_missing_;
      });
    }
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
          if (dense_) {
            ++dense_counts_[o];
          } else if (top_) {
            // Owner is always 0: cache the bucket of each segment ordinal.
            uint32_t& b = seg_buckets_[o];
            if (b == UINT32_MAX) b = ords_.add(0, seg_id(o));
            ++counts_at(b);
            subs_.collect(doc, b);
          } else {
            add(owner, seg_id(o), doc);
          }
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
    if (!any && has_missing_) {
      if (dense_ && !seg_ids_.empty()) {
        ++dense_missing_;
      } else {
        add(owner, missing_key_, doc);
      }
    }
  }

  void end_segment() override {
    if (dense_ && !seg_ids_.empty()) {
      for (uint32_t t = 0; t < dense_counts_.size(); ++t)
        if (dense_counts_[t] > 0) counts_at(ords_.add(0, seg_id(t))) += dense_counts_[t];
      if (dense_missing_ > 0) counts_at(ords_.add(0, missing_key_)) += dense_missing_;
    }
    subs_.end_segment();
  }

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
    if (!spec_.include_regex && !spec_.exclude_regex && spec_.include_values.empty() &&
        spec_.exclude_values.empty())
      return true;
    std::string text = key_text(ord);
    if (spec_.include_regex && !std::regex_match(text, regex(include_re_, *spec_.include_regex)))
      return false;
    if (spec_.exclude_regex && std::regex_match(text, regex(exclude_re_, *spec_.exclude_regex)))
      return false;
    auto in = [&](const std::vector<std::string>& list) {
      if (kind_ != KeyKind::kString) {
        double v = kind_ == KeyKind::kLong ? double(static_cast<int64_t>(ords_.key(ord)))
                                           : bits_double(ords_.key(ord));
        for (const auto& s : list)
          if (std::strtod(s.c_str(), nullptr) == v) return true;
        return false;
      }
      return std::find(list.begin(), list.end(), text) != list.end();
    };
    if (!spec_.include_values.empty() && !in(spec_.include_values)) return false;
    if (!spec_.exclude_values.empty() && in(spec_.exclude_values)) return false;
    return true;
  }
  static const std::regex& regex(std::optional<std::regex>& cache, const std::string& pattern) {
    if (!cache) {
      try {
        cache.emplace(pattern, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error&) {
        cache.emplace("(?!)");  // an invalid pattern matches nothing
      }
    }
    return *cache;
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
  bool top_;
  KeyKind kind_ = KeyKind::kString;
  FieldType type_ = FieldType::kKeyword;
  bool has_missing_ = false;
  uint64_t missing_key_ = 0;
  SubAggregators subs_;
  bool dense_ = false;

  std::vector<std::string> strings_;
  std::unordered_map<std::string, uint32_t> string_ids_;
  BucketOrds ords_;
  std::vector<int64_t> counts_;
  std::optional<std::regex> include_re_, exclude_re_;

  // The current segment.
  FieldValues values_;
  const SegmentView* seg_ = nullptr;
  std::vector<uint32_t> seg_ids_;
  std::vector<int64_t> dense_counts_;
  std::vector<uint32_t> seg_buckets_;
  int64_t dense_missing_ = 0;
};

}  // namespace

Result<AggregatorPtr> make_terms_aggregator(const Aggregation& def, AggregationContext& ctx,
                                            bool top) {
  auto a = std::make_unique<TermsAggregator>(def, ctx, top);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

}  // namespace comptoir::engine
