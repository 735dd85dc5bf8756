// A record of named fields (a CSV row, a flattened JSON object) as its document,
// the one path CSV and JSON share once parsed: the canonical sales fields when the
// file is in a sales layout (else the canonical log fields) worked out from the
// record's values, its own fields written around them, the document sent.
//
// FieldNames holds what the names of a CSV header or a JSON key set give every
// record that has them, worked out once: each name as JSON text, the canonical key
// it is spelled like, and whether any is one. When none is, the record's fields
// are written first and the canonical ones appended straight after them (see
// DocumentText), the cheaper order.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/canonical_key.h"
#include "ingest/document_emitter.h"
#include "ingest/field_value.h"
#include "ingest/log_fields.h"
#include "ingest/sales_fields.h"

namespace comptoir::ingest {

class FieldNames {
 public:
  void assign(std::span<const std::string_view> names);

  size_t size() const { return canonical_.size(); }
  // ",\"name\":", as DocumentText::member() takes it
  std::string_view member_prefix(size_t i) const {
    return std::string_view(prefixes_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  CanonicalKey canonical(size_t i) const { return canonical_[i]; }
  bool any_canonical() const { return any_canonical_; }

 private:
  std::string prefixes_;         // one after another
  std::vector<size_t> offsets_;  // of each in prefixes_, and the end
  std::vector<CanonicalKey> canonical_;
  bool any_canonical_ = false;
};

// Writes and sends the document of a record whose fields are `names` with
// `values` (FieldValue::Kind::kAbsent: a field the record lacks). A sales line whose date or
// numbers cannot be read is not sent: `reject(reason)` is called instead. The error is the sink's.
template <typename Reject>
Status emit_record(DocumentEmitter& out, const TimeContext& time, const SalesFieldMap& sales,
                   const LogFieldMap& logs, const FieldNames& names,
                   std::span<const FieldValue> values, Reject&& reject) {
  DocumentText& doc = out.begin();
  auto write_fields = [&] {
    for (size_t i = 0; i < values.size(); ++i) {
      if (!values[i].absent()) doc.member(names.member_prefix(i), names.canonical(i), values[i]);
    }
  };
  if (!names.any_canonical()) write_fields();
  if (sales.layout() != SalesLayout::kNone) {
    auto t = normalize_sales_fields(sales, values, time, doc);
    if (!t.ok()) {
      reject(std::move(t.error().message));
      return {};
    }
    if (names.any_canonical()) write_fields();
    return out.emit_sales();
  }
  const LogTime t = normalize_log_fields(logs, values, time, doc);
  if (names.any_canonical()) write_fields();
  out.summary().timestamps_defaulted += t.defaulted;
  return out.emit_log(t.time);
}

}  // namespace comptoir::ingest
