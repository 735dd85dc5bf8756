// FieldNames: the per-header (or per-key-set) work of writing a record's fields.
#include "ingest/record_document.h"

#include "ingest/document_json.h"

namespace comptoir::ingest {

void FieldNames::assign(std::span<const std::string_view> names) {
  prefixes_.clear();
  offsets_.clear();
  canonical_.clear();
  any_canonical_ = false;
  for (std::string_view name : names) {
    offsets_.push_back(prefixes_.size());
    prefixes_ += json_member_prefix(name);
    canonical_.push_back(canonical_key_of(name));
    any_canonical_ = any_canonical_ || canonical_.back() != CanonicalKey::kNone;
  }
  offsets_.push_back(prefixes_.size());
}

}  // namespace comptoir::ingest
