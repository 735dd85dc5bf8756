// SegmentReader: read-only, in-place access to one immutable segment (segment_format.h)
// held in memory or memory-mapped: term dictionaries (binary search), postings as roaring
// bitmaps with term frequencies, norms, doc-value columns, exists bitmaps, per-field
// min/max and the stored documents. Thread-safe: it never changes after open().
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/index/segment_format.h"
#include "engine/query/bitmap.h"
#include "engine/schema/field_type.h"
#include "engine/store/stored_fields.h"
#include "util/result.h"

namespace comptoir::engine {

// The bytes of a segment: a 64-byte aligned heap copy, or a read-only file mapping.
class SegmentData {
 public:
  virtual ~SegmentData() = default;
  virtual const char* data() const = 0;
  virtual size_t size() const = 0;
  static std::shared_ptr<SegmentData> from_string(std::string_view bytes);
};

struct Postings {
  Bitmap docs;
  const uint8_t* freqs = nullptr;  // text fields: freq of the i-th doc (in doc order)
  uint32_t freq(uint32_t doc) const {
    if (freqs == nullptr) return 1;
    return freqs[docs.rank(doc) - 1];
  }
};

class FieldReader {
 public:
  std::string name;
  std::string type_name;  // "text", "keyword", "long", ... or "_id"
  StorageKind kind = StorageKind::kNone;
  uint64_t docs_with_field = 0, sum_ttf = 0, sum_df = 0;
  std::optional<int64_t> min_int, max_int;
  std::optional<double> min_double, max_double;

  // Term dictionary (text, keyword, _id).
  uint32_t term_count() const { return n_terms_; }
  std::string_view term(uint32_t i) const {
    uint32_t a = load_le<uint32_t>(term_offsets_ + 4 * i),
             b = load_le<uint32_t>(term_offsets_ + 4 * (i + 1));
    return std::string_view(blob_ + a, b - a);
  }
  std::optional<uint32_t> find(std::string_view t) const;
  uint32_t lower_bound(std::string_view t) const;  // first term >= t
  Postings postings(uint32_t term) const;
  uint32_t doc_freq(uint32_t term) const;
  // Text norms: encoded length of the field in `doc` (0 = absent).
  uint8_t norm(uint32_t doc) const { return norms_ ? norms_[doc] : 1; }
  bool has_norms() const { return norms_ != nullptr; }
  const Bitmap& exists() const { return exists_; }

  // Doc values: calls f(value) for each value of `doc` in ascending order.
  bool has_doc_values() const { return dv_values_ != nullptr; }
  template <typename T, typename F>
  void values(uint32_t doc, F&& f) const {
    if (dv_values_ == nullptr) return;
    if (dv_starts_ == nullptr) {
      T v = load_le<T>(dv_values_ + sizeof(T) * doc);
      if constexpr (std::is_same_v<T, uint32_t>) {
        if (v == UINT32_MAX) return;
      } else {
        if (v == T{} && !exists_.contains(doc)) return;
      }
      f(v);
      return;
    }
    uint32_t a = load_le<uint32_t>(dv_starts_ + 4 * doc),
             b = load_le<uint32_t>(dv_starts_ + 4 * (doc + 1));
    for (uint32_t i = a; i < b; ++i) f(load_le<T>(dv_values_ + sizeof(T) * i));
  }
  bool single_valued() const { return dv_starts_ == nullptr; }
  // Single-valued, every doc has a value, non-decreasing in doc order (time-ordered data).
  bool sorted_by_doc() const { return sorted_by_doc_; }
  // Single-valued columns only: the raw slot (0 / UINT32_MAX when absent).
  template <typename T>
  T raw_value(uint32_t doc) const {
    return load_le<T>(dv_values_ + sizeof(T) * doc);
  }

 private:
  friend class SegmentReader;
  const char* base_ = nullptr;  // start of the segment bytes
  uint32_t n_terms_ = 0;
  const char* term_offsets_ = nullptr;
  const char* blob_ = nullptr;
  const char* postings_ = nullptr;
  bool unique_ = false;
  bool text_ = false;
  const uint8_t* norms_ = nullptr;
  Bitmap exists_;
  const char* dv_values_ = nullptr;
  const char* dv_starts_ = nullptr;
  bool sorted_by_doc_ = false;
};

class SegmentReader {
 public:
  static Result<std::shared_ptr<const SegmentReader>> open(std::shared_ptr<SegmentData> data);

  uint32_t doc_count() const { return doc_count_; }
  const FieldReader* field(std::string_view name) const;
  const std::map<std::string, FieldReader, std::less<>>& fields() const { return fields_; }
  Result<StoredDoc> stored(uint32_t doc) const { return stored_.get(doc); }
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
