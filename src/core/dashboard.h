// Dashboard: the KPIs and charts of GET /api/dashboard over the daily log indices
// (ecommerce-logs-*): total, today's and ERROR counts, files uploaded, counts per level,
// a per-day series of the last `days` days (days without logs included with 0) and the
// 10 newest events. "Today" and the days are calendar days in COMPTOIR_TIMEZONE. Two
// searches with aggregations, the same on the embedded engine and on Elasticsearch.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>

#include "backends/search/search_backend.h"
#include "core/file_registry.h"
#include "ingest/time_zone.h"
#include "util/result.h"

namespace comptoir {

inline constexpr int kDefaultDashboardDays = 30;
inline constexpr int kMaxDashboardDays = 366;

Result<boost::json::object> compute_dashboard(SearchBackend& search, FileRegistry& files,
                                              const ingest::TimeZone& zone, int days,
                                              int64_t now_ms);

// Midnight (local, in `zone`) of the day holding `epoch_ms`, in UTC milliseconds, and
// the local date "YYYY-MM-DD" of an instant.
int64_t local_midnight(const ingest::TimeZone& zone, int64_t epoch_ms);
std::string local_date(const ingest::TimeZone& zone, int64_t epoch_ms);

}  // namespace comptoir
