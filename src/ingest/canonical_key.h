// CanonicalKey: the names normalisation gives a document (DESIGN.md §5) — the
// canonical log fields, the canonical sales fields and the two source fields —
// in the one order they are added in. A document's own field may already have one
// of these exact names (case-sensitive): the canonical value then replaces its
// value in place, as inserting it into the original object would.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace comptoir::ingest {

enum class CanonicalKey : uint8_t {
  kTimestamp,  // "@timestamp", both kinds
  // Log events.
  kLevel,
  kService,
  kMessage,
  kUser,
  kIp,
  kDuration,
  // Sales lines.
  kOrderId,
  kCustomerId,
  kCountry,
  kProduct,
  kCategory,
  kQuantity,
  kUnitPrice,
  kRevenue,
  kPaymentMethod,
  kStatus,
  // Every document.
  kSourceFile,
  kSourceFormat,
  kCount,
  kNone = kCount  // not a canonical name
};

inline constexpr size_t kCanonicalKeyCount = static_cast<size_t>(CanonicalKey::kCount);

// A bit per key, for sets of keys (kNone has one too, in no set).
constexpr uint32_t canonical_bit(CanonicalKey key) {
  return uint32_t{1} << static_cast<int>(key);
}
static_assert(kCanonicalKeyCount < 32, "a bit per canonical key, and one for kNone");

// What a member of each name starts with in a document's text (",\"Level\":"), in
// CanonicalKey order: the one table of the names.
inline constexpr std::string_view kCanonicalMemberPrefixes[] = {
    ",\"@timestamp\":",  ",\"Level\":",       ",\"Service\":",       ",\"Message\":",
    ",\"User\":",        ",\"IP\":",          ",\"Duration\":",      ",\"order_id\":",
    ",\"customer_id\":", ",\"country\":",     ",\"product\":",       ",\"category\":",
    ",\"quantity\":",    ",\"unit_price\":",  ",\"revenue\":",       ",\"payment_method\":",
    ",\"status\":",      ",\"source_file\":", ",\"source_format\":",
};
static_assert(std::size(kCanonicalMemberPrefixes) == kCanonicalKeyCount);

// Inline: written once per canonical field of every document.
inline std::string_view canonical_member_prefix(CanonicalKey key) {
  return kCanonicalMemberPrefixes[static_cast<size_t>(key)];
}

// The canonical key spelled exactly `name`, or kNone.
CanonicalKey canonical_key_of(std::string_view name);

}  // namespace comptoir::ingest
