// The log filters every log use case shares (search, CSV export, the `export`
// command, the dashboard): the user's query, level, service and a date range,
// validated and turned into one engine::Query over the canonical log fields.
//
// level: normalised like ingestion does (warn → WARNING, err → ERROR), then an exact
// case-insensitive term on `Level`; service: an exact case-insensitive term on
// `Service`. start_date / end_date: `YYYY-MM-DD` or ISO 8601; a time without an offset
// and a bare date are read in COMPTOIR_TIMEZONE; a bare end_date includes its whole
// day (up to the next local midnight, excluded).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/user_query.h"
#include "engine/dsl/query.h"
#include "ingest/time_zone.h"
#include "util/result.h"

namespace comptoir {

// The daily log indices every log use case reads.
inline constexpr std::string_view kLogIndices = "ecommerce-logs-*";

struct LogFilters {
  std::string query;  // empty: no text condition
  QuerySyntax syntax = QuerySyntax::kPlain;
  std::string level;       // empty: any
  std::string service;     // empty: any
  std::string start_date;  // empty: unbounded
  std::string end_date;    // empty: unbounded

  bool operator==(const LogFilters&) const = default;
};

// Errors are InvalidArgument naming the field at fault. nullopt: no condition at all.
Result<std::optional<engine::Query>> build_log_query(const LogFilters& filters,
                                                     const ingest::TimeZone& zone);

// The first instant a date bound admits (start) or the first it excludes (end), in
// UTC milliseconds; `field` names the input in errors.
struct DateBound {
  int64_t epoch_ms = 0;
  bool inclusive = true;  // end bounds: false for a bare date (next midnight, excluded)
};
Result<DateBound> parse_start_date(std::string_view text, const ingest::TimeZone& zone);
Result<DateBound> parse_end_date(std::string_view text, const ingest::TimeZone& zone);

}  // namespace comptoir
