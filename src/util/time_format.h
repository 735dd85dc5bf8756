// Timestamps as the API prints them: ISO 8601 in UTC ("2025-12-23T10:30:00Z"),
// and the HTTP Date header (RFC 7231 IMF-fixdate).
#pragma once

#include <chrono>
#include <string>

namespace comptoir {

std::string iso8601_utc(std::chrono::system_clock::time_point t);
inline std::string iso8601_utc_now() {
  return iso8601_utc(std::chrono::system_clock::now());
}

// With milliseconds: "2025-12-23T10:30:00.123Z" (sorts as text in time order).
std::string iso8601_utc_millis(std::chrono::system_clock::time_point t);

std::string http_date(std::chrono::system_clock::time_point t);

}  // namespace comptoir
