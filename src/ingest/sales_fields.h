// Canonical sales fields (DESIGN.md §5). Two layouts are recognised by their
// header: the platform's order export (order_id, quantity, unit_price,
// total_amount, ...) and UCI Online Retail I/II (InvoiceNo|Invoice, Quantity,
// UnitPrice|Price, InvoiceDate, CustomerID|Customer ID, ...). Both map to
// `@timestamp order_id customer_id country product category quantity unit_price
// revenue payment_method status`; a row whose numbers or date cannot be read is
// rejected. UCI cancellations (invoice "C…") keep their negative quantity/revenue.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

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

class SalesFieldMap {
 public:
  // kNone layout when the names are not a sales header.
  static SalesFieldMap resolve(const std::vector<std::string_view>& names);

  SalesLayout layout() const { return layout_; }
  const std::string& name(SalesRole role) const { return names_[static_cast<size_t>(role)]; }
  bool has(SalesRole role) const { return !name(role).empty(); }

 private:
  SalesLayout layout_ = SalesLayout::kNone;
  std::array<std::string, static_cast<size_t>(SalesRole::kCount)> names_;
};

// Adds the canonical sales fields; returns the sale time, or an Error whose
// message is the rejection reason.
Result<EpochMillis> normalize_sales_document(boost::json::object& doc, const SalesFieldMap& map,
                                             const TimeContext& ctx);

}  // namespace comptoir::ingest
