// SalesResults: the analytics of GET /api/results over the `ecommerce-sales` index
// (canonical sales fields, DESIGN.md §5): revenue, distinct orders and customers,
// average order value, revenue and orders per country, the top 10 products by
// revenue, a revenue/orders series (hour, day, week or month in COMPTOIR_TIMEZONE),
// and category / payment method / status breakdowns when the data has them. One search
// with aggregations. Cancellation lines (negative quantities) are part of the net
// revenue, as they are in the data. Distinct counts are exact up to 40,000 values
// (the cardinality aggregation's highest precision threshold).
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "backends/search/search_backend.h"
#include "ingest/time_zone.h"
#include "util/result.h"

namespace comptoir {

inline constexpr std::string_view kSalesIndex = "ecommerce-sales";

struct SalesFilters {
  std::string start_date, end_date;  // as log filters: YYYY-MM-DD or ISO 8601
  std::string country;               // exact, case-insensitive
  std::string interval = "day";      // hour | day | week | month
  bool operator==(const SalesFilters&) const = default;
};

// InvalidArgument naming the field for a bad interval or date.
Status validate(const SalesFilters& filters, const ingest::TimeZone& zone);

Result<boost::json::object> compute_sales_results(SearchBackend& search,
                                                  const SalesFilters& filters,
                                                  const ingest::TimeZone& zone);

}  // namespace comptoir
