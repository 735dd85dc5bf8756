// Canonical keys by name (the names come from the member prefixes' table in the
// header); a lookup by length first, since most field names have a length no
// canonical name has.
#include "ingest/canonical_key.h"

#include <array>

namespace comptoir::ingest {

namespace {

// The canonical names, from their member prefixes (",\"name\":").
constexpr std::array<std::string_view, kCanonicalKeyCount> kNames = [] {
  std::array<std::string_view, kCanonicalKeyCount> names{};
  for (size_t k = 0; k < kCanonicalKeyCount; ++k) {
    const std::string_view prefix = kCanonicalMemberPrefixes[k];
    names[k] = prefix.substr(2, prefix.size() - 4);
  }
  return names;
}();

constexpr size_t kMaxLength = 14;  // "payment_method", "source_format" is 13

// For each name length, a bit per canonical key of that length.
constexpr std::array<uint32_t, kMaxLength + 1> kByLength = [] {
  std::array<uint32_t, kMaxLength + 1> t{};
  for (size_t k = 0; k < kNames.size(); ++k) t[kNames[k].size()] |= uint32_t{1} << k;
  return t;
}();

}  // namespace

CanonicalKey canonical_key_of(std::string_view name) {
  if (name.size() > kMaxLength) return CanonicalKey::kNone;
  for (uint32_t candidates = kByLength[name.size()]; candidates != 0;
       candidates &= candidates - 1) {
    const auto k = static_cast<size_t>(__builtin_ctz(candidates));
    if (kNames[k] == name) return static_cast<CanonicalKey>(k);
  }
  return CanonicalKey::kNone;
}

}  // namespace comptoir::ingest
