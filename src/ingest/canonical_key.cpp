// The table of canonical names; a lookup by length first, since most field names
// have a length no canonical name has.
#include "ingest/canonical_key.h"

#include <array>

namespace comptoir::ingest {

namespace {

struct Entry {
  std::string_view name;
  std::string_view member_prefix;  // ",\"name\":"
};

constexpr std::array<Entry, kCanonicalKeyCount> kEntries = {{
    {"@timestamp", ",\"@timestamp\":"},
    {"Level", ",\"Level\":"},
    {"Service", ",\"Service\":"},
    {"Message", ",\"Message\":"},
    {"User", ",\"User\":"},
    {"IP", ",\"IP\":"},
    {"Duration", ",\"Duration\":"},
    {"order_id", ",\"order_id\":"},
    {"customer_id", ",\"customer_id\":"},
    {"country", ",\"country\":"},
    {"product", ",\"product\":"},
    {"category", ",\"category\":"},
    {"quantity", ",\"quantity\":"},
    {"unit_price", ",\"unit_price\":"},
    {"revenue", ",\"revenue\":"},
    {"payment_method", ",\"payment_method\":"},
    {"status", ",\"status\":"},
    {"source_file", ",\"source_file\":"},
    {"source_format", ",\"source_format\":"},
}};

constexpr size_t kMaxLength = 14;  // "payment_method", "source_format" is 13

// For each name length, a bit per canonical key of that length.
constexpr std::array<uint32_t, kMaxLength + 1> kByLength = [] {
  std::array<uint32_t, kMaxLength + 1> t{};
  for (size_t k = 0; k < kEntries.size(); ++k) t[kEntries[k].name.size()] |= uint32_t{1} << k;
  return t;
}();

}  // namespace

std::string_view canonical_member_prefix(CanonicalKey key) {
  return kEntries[static_cast<size_t>(key)].member_prefix;
}

CanonicalKey canonical_key_of(std::string_view name) {
  if (name.size() > kMaxLength) return CanonicalKey::kNone;
  for (uint32_t candidates = kByLength[name.size()]; candidates != 0;
       candidates &= candidates - 1) {
    const auto k = static_cast<size_t>(__builtin_ctz(candidates));
    if (kEntries[k].name == name) return static_cast<CanonicalKey>(k);
  }
  return CanonicalKey::kNone;
}

}  // namespace comptoir::ingest
