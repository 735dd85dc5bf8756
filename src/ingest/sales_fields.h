// Canonical sales fields (DESIGN.md §5). Two layouts are recognised by their
// header: the platform's order export (order_id, quantity, unit_price,
// total_amount, ...) and UCI Online Retail I/II (InvoiceNo|Invoice, Quantity,
// UnitPrice|Price, InvoiceDate, CustomerID|Customer ID, ...). Both map to
// `@timestamp order_id customer_id country product category quantity unit_price
// revenue payment_method status`; a row whose numbers or date cannot be read is
// rejected. UCI cancellations (invoice "C…") keep their negative quantity/revenue.
#pragma once

#include <array>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "ingest/document_text.h"
#include "ingest/field_value.h"
#include "ingest/timestamp.h"
#include "util/result.h"

namespace comptoir::ingest {

enum class SalesLayout : uint8_t { kNone, kOrderExport, kOnlineRetail };
std::string_view sales_layout_name(SalesLayout layout);  // "", "order_export", "online_retail"

enum class SalesRole : uint8_t {
  kTimestamp,
  kOrderId,
  kCustomerId,
  kCountry,
  kProduct,
  kCategory,
  kQuantity,
  kUnitPrice,
  kTotal,
  kPaymentMethod,
  kStatus,
  kCount
};

// For each role, the name of the field that plays it ("" when none) and that
// field's position among the names of the record at hand (kAbsent when none).
class SalesFieldMap {
 public:
  static constexpr int kAbsent = -1;

  SalesFieldMap() { fields_.fill(kAbsent); }
  // kNone layout when the names are not a sales header. Positions are in `names`.
  static SalesFieldMap resolve(std::span<const std::string_view> names);

  // The positions of the same names among another record's field names (a JSON
  // file's layout is read from its first object and applied to every object).
  void locate(std::span<const std::string_view> names);

  SalesLayout layout() const { return layout_; }
  // Adds to `out` the names of the fields whose values the canonical sales fields
  // carry, but for names that are canonical themselves.
  void add_carried_names(std::set<std::string, std::less<>>& out) const;
  const std::string& name(SalesRole role) const { return names_[static_cast<size_t>(role)]; }
  bool has(SalesRole role) const { return !name(role).empty(); }
  int field(SalesRole role) const { return fields_[static_cast<size_t>(role)]; }

 private:
  SalesLayout layout_ = SalesLayout::kNone;
  std::array<std::string, static_cast<size_t>(SalesRole::kCount)> names_;
  std::array<int, static_cast<size_t>(SalesRole::kCount)> fields_;
};

// Sets the canonical sales fields of one record on `doc` (`values` in the order of
// the names the map was located in, a field the record lacks
// FieldValue::Kind::kAbsent); returns the sale time, or an Error whose message is
// the rejection reason.
Result<EpochMillis> normalize_sales_fields(const SalesFieldMap& map,
                                           std::span<const FieldValue> values,
                                           const TimeContext& ctx, DocumentText& doc);

}  // namespace comptoir::ingest
