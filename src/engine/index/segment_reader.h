// SegmentReader: read-only, in-place access to one immutable segment (segment_format.h)
// held in memory or memory-mapped: term dictionaries (binary search), postings as roaring
// bitmaps with term frequencies, norms, doc-value columns, exists bitmaps, per-field
// min/max and the stored documents. Thread-safe: it never changes after open().
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/index/segment_format.h"
#include "engine/index/term_blocks.h"
#include "engine/query/bitmap.h"
#include "engine/schema/field_type.h"
#include "engine/store/stored_fields.h"
#include "util/result.h"

namespace comptoir::engine {

// The bytes of a segment: a writer's own aligned memory (adopted; from_string() adopts a
// copy), or a read-only file mapping.
class SegmentData {
 public:
  virtual ~SegmentData() = default;
  virtual const char* data() const = 0;
  virtual size_t size() const = 0;
  std::string_view bytes() const { return {data(), size()}; }
  static std::shared_ptr<SegmentData> from_string(std::string_view bytes);
  // Serves the segment from `bytes` themselves, without a copy.
  static std::shared_ptr<SegmentData> adopt(SegmentBytes bytes);
};

struct Postings {
  Bitmap docs;
  // Text fields: the frequencies of the docs in doc order, one byte each, or packed
  // (segment_format.h): two bits each, frequency - 1, with 3 pointing at an exception.
  const uint8_t* freqs = nullptr;
  bool packed_freqs = false;
  uint8_t single_freq = 0;  // a one-doc posting stored inline
  uint32_t freq(uint32_t doc) const {
    if (single_freq != 0) return single_freq;
    if (freqs == nullptr) return 1;
    return freq_at(docs.rank(doc) - 1);
  }
  // Frequency of the i-th doc in doc order.
  uint32_t freq_at(size_t i) const {
    if (single_freq != 0) return single_freq;
    if (freqs == nullptr) return 1;
    if (!packed_freqs) return freqs[i];
    // The doc count is counted (O(containers)) only for a listed frequency: counting it
    // for every posting made ranking quadratic in a segment's size.
    return packed_freq(freqs, i, [this] { return docs.cardinality(); });
  }

  // The frequency of the i-th doc whose packed frequencies are at `codes`
  // (segment_format.h): its code + 1, or for a code 3 the frequency listed for it, found
  // with the doc count `count()` (asked for then only).
  template <typename Count>
  static uint32_t packed_freq(const uint8_t* codes, size_t i, Count count) {
    const uint32_t code = packed_code(codes, i);
    return code < 3 ? code + 1 : packed_exception(codes, count(), i);
  }
  static uint32_t packed_code(const uint8_t* codes, size_t i) {
    return (codes[i >> 2] >> ((i & 3) * 2)) & 3;
  }
  static uint32_t packed_exception(const uint8_t* codes, size_t count, size_t i);
};

// A term dictionary's bytes with ASCII letters lowered, for case-insensitive scans;
// terms holding non-ASCII bytes are listed (in order) for a full Unicode lowercase.
struct LoweredTerms {
  std::string bytes;
  std::vector<uint32_t> non_ascii;
};

class FieldReader {
 public:
  std::string name;
  std::string type_name;  // "text", "keyword", "long", ... or "_id"
  StorageKind kind = StorageKind::kNone;
  uint64_t docs_with_field = 0, sum_ttf = 0, sum_df = 0;
  std::optional<int64_t> min_int, max_int;
  std::optional<double> min_double, max_double;

  // Term dictionary (text, keyword, _id). A block-compressed dictionary (term_blocks.h)
  // answers find() and lower_bound() from one block; term(), term_bytes(), term_start(),
  // term_at() and lowered_terms() decode it whole on first use into a buffer the reader
  // keeps, so their views live as long as the reader. A block failing its checks raises
  // SegmentCorruption.
  uint32_t term_count() const { return n_terms_; }
  std::string_view term(uint32_t i) const {
    const Dictionary d = dictionary();
    uint32_t a = load_le<uint32_t>(d.offsets + 4 * i),
             b = load_le<uint32_t>(d.offsets + 4 * (i + 1));
    return std::string_view(d.blob + a, b - a);
  }
  // Appends term i to `out`; a block-compressed dictionary decodes the one block holding
  // it (fetching a document's keyword values does not decode the whole dictionary).
  void append_term(uint32_t i, std::string& out) const {
    if (blocks_ != nullptr) {
      blocks_->append_term(i, out);
    } else {
      out.append(term(i));
    }
  }
  std::optional<uint32_t> find(std::string_view t) const;
  uint32_t lower_bound(std::string_view t) const;  // first term >= t
  // Every term back to back in dictionary order: term i spans
  // [term_start(i), term_start(i + 1)) of these bytes.
  std::string_view term_bytes() const {
    return n_terms_ == 0 ? std::string_view()
                         : std::string_view(dictionary().blob, term_start(n_terms_));
  }
  uint32_t term_start(uint32_t i) const { return load_le<uint32_t>(dictionary().offsets + 4 * i); }
  // The term whose bytes hold `offset` (< term_bytes().size()).
  uint32_t term_at(uint32_t offset) const;
  // term_bytes() with ASCII letters lowered, computed on first use (thread-safe).
  const LoweredTerms& lowered_terms() const;
  Postings postings(uint32_t term) const;
  // Calls f(doc, freq) for each doc of the term in doc order (freq 1 outside text fields),
  // without building a bitmap for the small forms (merges walk every term).
  template <typename F>
  void for_each_posting(uint32_t term, F&& f) const {
    if (unique_) return f(load_le<uint32_t>(postings_ + 4 * size_t{term}), uint32_t{1});
    const uint64_t off = load_le<uint64_t>(postings_ + 8 * size_t{term});
    if (off >> 63) {
      return f(static_cast<uint32_t>(off), text_ ? static_cast<uint32_t>(off >> 32 & 0xFF) : 1u);
    }
    const char* e = base_ + off;
    if (load_le<uint32_t>(e + 4) == 0) {  // up to 16 docs, listed
      const uint32_t card = load_le<uint32_t>(e);
      for (uint32_t i = 0; i < card; ++i)
        f(load_le<uint32_t>(e + 16 + 4 * size_t{i}), text_ ? listed_freq(e, i) : 1u);
      return;
    }
    const Postings p = postings(term);
    size_t i = 0;
    p.docs.for_each([&](uint32_t doc) { f(doc, p.freq_at(i++)); });
  }
  uint32_t doc_freq(uint32_t term) const;
  // Text norms: encoded length of the field in `doc` (0 = absent).
  uint8_t norm(uint32_t doc) const { return norms_ ? norms_[doc] : 1; }
  bool has_norms() const { return norms_ != nullptr; }
  // The smallest norm of a doc holding the field (the shortest value, which a term scores
  // highest in), found on first use (thread-safe); 1 without norms.
  uint8_t min_norm(uint32_t doc_count) const;
  const Bitmap& exists() const { return exists_; }

  // Doc values: calls f(value) for each value of `doc` in ascending order. T is
  // uint32_t (keyword ordinals), int64_t or double, per the field's storage kind.
  bool has_doc_values() const { return dv_values_ != nullptr; }
  template <typename T, typename F>
  void values(uint32_t doc, F&& f) const {
    if (dv_values_ == nullptr) return;
    if (dv_starts_ == nullptr) {
      if constexpr (std::is_same_v<T, uint32_t>) {
        uint32_t o = ord_at(doc);
        if (o != UINT32_MAX) f(o);
      } else if constexpr (std::is_same_v<T, int64_t>) {
        uint64_t raw = raw_at(doc);
        if (raw != 0) f(static_cast<int64_t>(static_cast<uint64_t>(dv_base_) + raw - 1));
      } else {
        double v = load_le<double>(dv_values_ + 8 * size_t(doc));
        if (v != 0 || exists_.contains(doc)) f(v);
      }
      return;
    }
    uint32_t a = load_le<uint32_t>(dv_starts_ + 4 * doc),
             b = load_le<uint32_t>(dv_starts_ + 4 * (doc + 1));
    for (uint32_t i = a; i < b; ++i) {
      if constexpr (std::is_same_v<T, uint32_t>) {
        f(ord_at(i));
      } else if constexpr (std::is_same_v<T, int64_t>) {
        f(static_cast<int64_t>(static_cast<uint64_t>(dv_base_) + raw_at(i)));
      } else {
        f(load_le<double>(dv_values_ + 8 * size_t(i)));
      }
    }
  }
  bool single_valued() const { return dv_starts_ == nullptr; }
  // Single-valued columns only: the value of `doc`, if it has one.
  bool single_int(uint32_t doc, int64_t& out) const {
    uint64_t raw = raw_at(doc);
    out = static_cast<int64_t>(static_cast<uint64_t>(dv_base_) + raw - 1);
    return raw != 0;
  }
  bool single_double(uint32_t doc, double& out) const {
    out = load_le<double>(dv_values_ + 8 * size_t(doc));
    return out != 0 || exists_.contains(doc);
  }
  // Single-valued, every doc has a value, non-decreasing in doc order (time-ordered data).
  bool sorted_by_doc() const { return sorted_by_doc_; }

 private:
  friend class SegmentReader;
  const char* base_ = nullptr;  // start of the segment bytes
  uint32_t n_terms_ = 0;
  const char* term_offsets_ = nullptr;
  const char* blob_ = nullptr;
  const char* postings_ = nullptr;
  bool unique_ = false;
  bool text_ = false;
  bool packed_freqs_ = false;
  const uint8_t* norms_ = nullptr;
  Bitmap exists_;
  const char* dv_values_ = nullptr;
  const char* dv_starts_ = nullptr;
  bool sorted_by_doc_ = false;
  uint32_t dv_width_ = 8;
  int64_t dv_base_ = 0;
  struct LoweredCache {
    std::once_flag once;
    LoweredTerms value;
  };
  std::shared_ptr<LoweredCache> lowered_ = std::make_shared<LoweredCache>();
  struct MinNormCache {
    std::once_flag once;
    uint8_t value = 1;
  };
  std::shared_ptr<MinNormCache> min_norm_ = std::make_shared<MinNormCache>();
  // Block-compressed dictionaries only: the blocks, and the whole dictionary once decoded.
  struct DecodedTerms {
    std::once_flag once;
    std::string bytes;
    std::vector<uint32_t> starts;
  };
  std::shared_ptr<const TermBlocks> blocks_;
  std::shared_ptr<DecodedTerms> decoded_;

  struct Dictionary {
    const char* offsets;  // u32 starts[n + 1], little-endian
    const char* blob;
  };
  Dictionary dictionary() const {
    if (decoded_ == nullptr) return {term_offsets_, blob_};
    return decode_all();
  }
  Dictionary decode_all() const;
  // The frequency of the i-th doc of a listed posting entry `e` (packed or a byte each).
  uint32_t listed_freq(const char* e, uint32_t i) const;

  uint64_t raw_at(size_t i) const {
    switch (dv_width_) {
      case 1:
        return static_cast<uint8_t>(dv_values_[i]);
      case 2:
        return load_le<uint16_t>(dv_values_ + 2 * i);
      case 4:
        return load_le<uint32_t>(dv_values_ + 4 * i);
      default:
        return load_le<uint64_t>(dv_values_ + 8 * i);
    }
  }
  uint32_t ord_at(size_t i) const {
    uint64_t raw = raw_at(i);
    uint64_t none = dv_width_ >= 4 ? 0xFFFFFFFFull : (uint64_t{1} << (8 * dv_width_)) - 1;
    return raw == none ? UINT32_MAX : static_cast<uint32_t>(raw);
  }
};

class SegmentReader {
 public:
  static Result<std::shared_ptr<const SegmentReader>> open(std::shared_ptr<SegmentData> data);

  uint32_t doc_count() const { return doc_count_; }
  const FieldReader* field(std::string_view name) const;
  const std::map<std::string, FieldReader, std::less<>>& fields() const { return fields_; }
  // The document's _id and _source, its field references (store/source_refs.h) resolved
  // from the doc-value columns.
  Result<StoredDoc> stored(uint32_t doc, StoredBlockCache* cache = nullptr) const;
  // The stored documents as written, references unresolved (merges copy them as they are).
  const StoredFieldsReader& stored_fields() const { return stored_; }
  std::optional<uint32_t> find_id(std::string_view id) const;
  size_t byte_size() const { return data_->size(); }
  const std::shared_ptr<SegmentData>& data() const { return data_; }

 private:
  std::shared_ptr<SegmentData> data_;
  uint32_t doc_count_ = 0;
  std::map<std::string, FieldReader, std::less<>> fields_;
  StoredFieldsReader stored_;
};

}  // namespace comptoir::engine
