// The `cardinality` aggregation: distinct values per parent bucket, exact up to
// precision_threshold (default 3000, at most 40000) and HyperLogLog above it; at the top
// level (one counter) exact up to 1,000,000 values whatever the threshold. Keyword
// values are hashed once per segment ordinal; at the top level the segment's distinct
// ordinals are first gathered in a bit set, so 10M documents with a few thousand
// users cost 10M ordinal reads and a few thousand hashes.
#include <algorithm>
#include <bit>

#include "engine/dsl/dsl_error.h"
#include "engine/query/aggregator.h"
#include "engine/query/cardinality_counter.h"
#include "engine/query/field_values.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

class CardinalityAggregator final : public Aggregator {
 public:
  CardinalityAggregator(const Aggregation& def, AggregationContext& ctx, bool top)
      : Aggregator(def, ctx), spec_(std::get<CardinalityAgg>(def.body)), top_(top) {}

  Status init() {
    if (const FieldDef* f = find_field(*ctx_.indices, spec_.field)) {
      StorageKind k = storage_kind(f->type);
      if (k == StorageKind::kText) return text_field_error(spec_.field);
      if (k == StorageKind::kNone)
        return dsl_error("illegal_argument_exception",
                         "Field [" + spec_.field +
                             "] of type [object] is not supported for "
                             "aggregation [cardinality]");
    }
    threshold_ = static_cast<uint64_t>(
        std::min<int64_t>(std::max<int64_t>(spec_.precision_threshold, 0), kMaxPrecisionThreshold));
    // At the top level there is one counter: it stays exact far beyond the threshold
    // (docs/compat.md), so totals such as distinct orders or customers are exact.
    if (top_) threshold_ = std::max(threshold_, kTopLevelExactValues);
    if (!std::holds_alternative<std::monostate>(spec_.missing)) {
      const JsonScalar& m = spec_.missing;
      if (const int64_t* i = std::get_if<int64_t>(&m)) {
        missing_hash_ = hash_int(static_cast<uint64_t>(*i));
      } else if (const double* d = std::get_if<double>(&m)) {
        missing_hash_ = hash_double(*d);
      } else {
        missing_hash_ = hash_bytes(scalar_to_string(m));
      }
    }
    return {};
  }

  Status begin_segment(const SegmentContext& seg) override {
    values_ = FieldValues::open(*seg.snapshot, *seg.segment, spec_.field);
    seg_hashes_.clear();
    seen_.clear();
    if (values_.present() && values_.kind == StorageKind::kKeyword) {
      seg_hashes_.assign(values_.reader->term_count(), 0);
      hashed_.assign(values_.reader->term_count(), false);
      if (top_) seen_.assign(values_.reader->term_count(), false);
    }
    return {};
  }

  void collect_all(const Bitmap& docs) override {
    if (!top_ || seen_.empty()) {
      Aggregator::collect_all(docs);
      return;
    }
    const FieldReader* r = values_.reader;
    bool any_missing = false;
    docs.for_each([&](uint32_t doc) {
      bool any = false;
      r->values<uint32_t>(doc, [&](uint32_t o) {
        seen_[o] = true;
        any = true;
      });
      any_missing |= !any;
    });
    CardinalityCounter& c = at(0);
    c.reserve_distinct(static_cast<uint64_t>(std::count(seen_.begin(), seen_.end(), true)));
    for (uint32_t o = 0; o < seen_.size(); ++o)
      if (seen_[o]) c.add_hash(ord_hash(o));
    if (any_missing && missing_hash_) c.add_hash(*missing_hash_);
  }

  void collect(uint32_t doc, uint32_t owner) override {
    CardinalityCounter& c = at(owner);
    uint32_t n = 0;
    switch (values_.kind) {
      case StorageKind::kKeyword: {
        // Under a bucket: mark the segment ordinal in the bucket's bit set when the
        // memory budget allows (hashed once per distinct ordinal at end_segment).
        uint64_t* bits = owner_bits(owner);
        if (bits != nullptr) {
          n = values_.ords(doc, [&](uint32_t o) { bits[o >> 6] |= uint64_t{1} << (o & 63); });
        } else {
          n = values_.ords(doc, [&](uint32_t o) { c.add_hash(ord_hash(o)); });
        }
        break;
      }
      case StorageKind::kInt64:
        n = values_.ints(doc, [&](int64_t v) { c.add_hash(hash_int(static_cast<uint64_t>(v))); });
        break;
      case StorageKind::kDouble:
        n = values_.doubles(doc, [&](double v) { c.add_hash(hash_double(v)); });
        break;
      default:
        break;
    }
    if (n == 0 && missing_hash_) c.add_hash(*missing_hash_);
  }

  // Under buckets, a single-valued keyword: ordinals go straight into the bucket's bit
  // set, the bucket looked up once per run of equal owners.
  void collect_block(const uint32_t* docs, const uint32_t* owners, size_t n) override {
    const FieldReader* r = values_.reader;
    if (top_ || r == nullptr || values_.kind != StorageKind::kKeyword || !r->single_valued() ||
        missing_hash_) {
      Aggregator::collect_block(docs, owners, n);
      return;
    }
    uint32_t owner = UINT32_MAX;
    uint64_t* bits = nullptr;
    for (size_t i = 0; i < n; ++i) {
      if (owners[i] != owner) {
        owner = owners[i];
        at(owner);
        bits = owner_bits(owner);
      }
      if (bits == nullptr) {
        collect(docs[i], owner);
        continue;
      }
      r->values<uint32_t>(docs[i], [&](uint32_t o) { bits[o >> 6] |= uint64_t{1} << (o & 63); });
    }
  }

  void end_segment() override {
    for (uint32_t owner = 0; owner < bits_.size(); ++owner) {
      std::vector<uint64_t>& words = bits_[owner];
      if (words.empty()) continue;
      CardinalityCounter& c = at(owner);
      uint64_t marked = 0;
      for (uint64_t word : words) marked += static_cast<uint64_t>(std::popcount(word));
      c.reserve_distinct(marked);
      for (size_t w = 0; w < words.size(); ++w) {
        uint64_t word = words[w];
        while (word != 0) {
          const auto o = static_cast<uint32_t>(w * 64 + std::countr_zero(word));
          c.add_hash(ord_hash(o));
          word &= word - 1;
        }
      }
    }
    bits_.clear();
    bits_words_ = 0;
  }

  Result<json::value> result(uint32_t owner) override {
    json::object o;
    o["value"] = owner < counters_.size() && counters_[owner]
                     ? static_cast<int64_t>(counters_[owner]->estimate())
                     : int64_t{0};
    add_meta(def_, o);
    return json::value(std::move(o));
  }

  std::optional<double> order_value(uint32_t owner, std::string_view path) override {
    if (!path.empty() && path != "value") return std::nullopt;
    return owner < counters_.size() && counters_[owner] ? double(counters_[owner]->estimate())
                                                        : 0.0;
  }

 private:
  static uint64_t hash_double(double d) { return hash_int(std::bit_cast<uint64_t>(d)); }
  uint64_t ord_hash(uint32_t o) {
    if (!hashed_[o]) {
      seg_hashes_[o] = hash_bytes(values_.reader->term(o));
      hashed_[o] = true;
    }
    return seg_hashes_[o];
  }
  // The bit set of `owner` over this segment's ordinals, allocated on first use while
  // all bit sets of the segment fit in kBitsBudgetWords; null beyond.
  uint64_t* owner_bits(uint32_t owner) {
    if (top_ || seg_hashes_.empty()) return nullptr;
    if (owner < bits_.size() && !bits_[owner].empty()) return bits_[owner].data();
    const size_t words = (seg_hashes_.size() + 63) / 64;
    if (bits_words_ + words > kBitsBudgetWords) return nullptr;
    if (owner >= bits_.size()) bits_.resize(owner + 1);
    bits_[owner].assign(words, 0);
    bits_words_ += words;
    return bits_[owner].data();
  }

  CardinalityCounter& at(uint32_t owner) {
    if (owner >= counters_.size()) counters_.resize(owner + 1);
    if (!counters_[owner]) counters_[owner] = std::make_unique<CardinalityCounter>(threshold_);
    return *counters_[owner];
  }

  const CardinalityAgg& spec_;
  bool top_;
  uint64_t threshold_ = 3000;
  std::optional<uint64_t> missing_hash_;
  std::vector<std::unique_ptr<CardinalityCounter>> counters_;
  FieldValues values_;
  std::vector<uint64_t> seg_hashes_;
  std::vector<bool> hashed_, seen_;
  static constexpr size_t kBitsBudgetWords = size_t{1} << 20;  // 8 MiB of bit sets
  static constexpr uint64_t kTopLevelExactValues = 1000000;    // at most 16 MiB of hashes
  std::vector<std::vector<uint64_t>> bits_;                    // by owner, this segment
  size_t bits_words_ = 0;
};

}  // namespace

Result<AggregatorPtr> make_cardinality_aggregator(const Aggregation& def, AggregationContext& ctx,
                                                  bool top) {
  auto a = std::make_unique<CardinalityAggregator>(def, ctx, top);
  COMPTOIR_TRY(a->init());
  return AggregatorPtr(std::move(a));
}

}  // namespace comptoir::engine
