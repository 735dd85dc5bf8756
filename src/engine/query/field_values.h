// FieldValues: how an aggregator reads one field's doc values in one segment, whatever
// its storage (keyword ordinals, int64 or double columns), with the field type of that
// index's mapping. A field the segment or mapping lacks reads as "no values".
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/index/snapshot.h"
#include "engine/schema/field_type.h"

namespace comptoir::engine {

struct FieldValues {
  const FieldReader* reader = nullptr;  // null: no values in this segment
  const FieldDef* def = nullptr;        // null: unmapped in this index
  StorageKind kind = StorageKind::kNone;

  static FieldValues open(const IndexSnapshot& snapshot, const SegmentView& segment,
                          std::string_view field) {
    FieldValues v;
    v.def = snapshot.mapping->find(field);
    if (v.def == nullptr) return v;
    v.kind = storage_kind(v.def->type);
    const FieldReader* r = segment.reader->field(field);
    if (r != nullptr && r->has_doc_values()) v.reader = r;
    return v;
  }

  bool present() const { return reader != nullptr; }
  bool numeric() const { return kind == StorageKind::kInt64 || kind == StorageKind::kDouble; }

  // Numeric values of `doc` as doubles, ascending; returns how many.
  template <typename F>
  uint32_t doubles(uint32_t doc, F&& f) const {
    uint32_t n = 0;
    if (reader == nullptr) return 0;
    if (kind == StorageKind::kInt64) {
      reader->values<int64_t>(doc, [&](int64_t x) {
        ++n;
        f(static_cast<double>(x));
      });
    } else if (kind == StorageKind::kDouble) {
      reader->values<double>(doc, [&](double x) {
        ++n;
        f(x);
      });
    }
    return n;
  }
  template <typename F>
  uint32_t ints(uint32_t doc, F&& f) const {
    uint32_t n = 0;
    if (reader == nullptr || kind != StorageKind::kInt64) return 0;
    reader->values<int64_t>(doc, [&](int64_t x) {
      ++n;
      f(x);
    });
    return n;
  }
  template <typename F>
  uint32_t ords(uint32_t doc, F&& f) const {
    uint32_t n = 0;
    if (reader == nullptr || kind != StorageKind::kKeyword) return 0;
    reader->values<uint32_t>(doc, [&](uint32_t o) {
      ++n;
      f(o);
    });
    return n;
  }
};

}  // namespace comptoir::engine
