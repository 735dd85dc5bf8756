// LogSearch: the log search use case behind POST /api/search, GET /api/export/csv and
// `comptoir export`. A page of log events for the filters (log_query.h), sorted by a
// known field with `_doc` as the tiebreaker (equal timestamps come back in a stable
// order, the same as an export's), or every event through a scan for exports.
// Searches go over `ecommerce-logs-*` through the SearchBackend.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/search/search_backend.h"
#include "core/log_query.h"
#include "engine/dsl/search_request.h"
#include "ingest/time_zone.h"
#include "util/result.h"

namespace comptoir {

inline constexpr int64_t kDefaultLogPageSize = 25;
inline constexpr int64_t kMaxLogPageSize = 1000;

struct LogSearchRequest {
  LogFilters filters;
  int64_t page = 1;             // 1-based
  std::optional<int64_t> from;  // instead of page: the offset of the first hit
  int64_t size = kDefaultLogPageSize;
  std::string sort = "@timestamp";  // a name log_sort_field() knows
  engine::SortOrder order = engine::SortOrder::kDesc;

  bool operator==(const LogSearchRequest&) const = default;
};

// The indexed field behind a sort name: timestamp / @timestamp, level / Level,
// service / Service, user / User, message / Message (its keyword), _score / score.
std::optional<std::string_view> log_sort_field(std::string_view name);
// "timestamp, level, ..." for error messages.
std::string_view log_sort_names();

// page ≥ 1, 1 ≤ size ≤ 1000, page × size ≤ 10,000 (from ≥ 0 and from + size ≤ 10,000),
// a known sort: InvalidArgument naming the field otherwise.
Status validate(const LogSearchRequest& request);

// One text identifying the request after validation and defaults, for cache keys.
std::string normalized_request(const LogSearchRequest& request);

// The offset of the first hit, and the page number an answer reports.
int64_t first_hit(const LogSearchRequest& request);
int64_t page_number(const LogSearchRequest& request);

struct LogSearchPage {
  int64_t total = 0;
  std::vector<engine::SearchHit> hits;
  double took_ms = 0;
};

class LogSearch {
 public:
  LogSearch(SearchBackend& backend, ingest::TimeZone zone)
      : backend_(backend), zone_(std::move(zone)) {}

  Result<LogSearchPage> search(const LogSearchRequest& request);

  // Every event matching `filters`, newest first (the order of a default search). Hits
  // carry their source as text (SearchHit::source_text) when the backend can.
  Result<std::unique_ptr<ScanCursor>> scan(const LogFilters& filters, int64_t page_size);

  const ingest::TimeZone& zone() const { return zone_; }

 private:
  SearchBackend& backend_;
  ingest::TimeZone zone_;
};

}  // namespace comptoir
