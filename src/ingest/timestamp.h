// Timestamps as log and sales files write them, parsed to UTC milliseconds, and
// the one form documents carry: ISO 8601 UTC with milliseconds
// ("2025-12-23T10:30:00.000Z"). Parsers are hand-written scanners (no regex, no
// allocation); a time without an explicit offset is read in the given TimeZone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ingest/time_zone.h"

namespace comptoir::ingest {

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day);

// A wall-clock time as read from text, before zone conversion.
struct CivilTime {
  int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
  unsigned millis = 0;
  std::optional<int> offset_minutes;  // set when the text says its offset

  bool valid() const;
  // UTC milliseconds: the explicit offset, else `zone`.
  EpochMillis to_utc(const TimeZone& zone) const;
};

// What a timestamp is read against: the zone for times without an offset, and a
// reference instant (the ingest time) that supplies the year of syslog dates.
struct TimeContext {
  TimeZone zone;
  EpochMillis reference = 0;
};

// Any supported form:
//   ISO 8601            2025-12-23, 2025-12-23T10:30:00[.123][Z|+01:00|+0100],
//                       2025-12-23 10:30:00,123 (space and comma allowed)
//   slashed ISO         2025/12/23 10:30:00
//   Apache access log   23/Dec/2025:10:30:00 +0000
//   ctime / Apache err  Tue Dec 23 10:30:00[.123456] 2025
//   syslog (RFC 3164)   Dec 23 10:30:00  (year from the reference, never in its future)
//   US date (UCI)       12/23/2025 10:30[:00]
//   epoch               1766485800 (seconds) or 1766485800123 (milliseconds)
std::optional<EpochMillis> parse_timestamp(std::string_view text, const TimeContext& ctx);

// Each form alone; `consumed` (when given) receives how many bytes were read, so
// that text-log patterns can parse a prefix. Without `consumed` the whole text must match.
std::optional<CivilTime> parse_iso8601(std::string_view text, size_t* consumed = nullptr);
std::optional<CivilTime> parse_apache_time(std::string_view text, size_t* consumed = nullptr);
std::optional<CivilTime> parse_ctime(std::string_view text, size_t* consumed = nullptr);
std::optional<CivilTime> parse_syslog_time(std::string_view text, int64_t year,
                                           size_t* consumed = nullptr);
std::optional<CivilTime> parse_us_datetime(std::string_view text, size_t* consumed = nullptr);

// The RFC 3164 year rule: the reference's year, or the year before when that would
// put the time more than a day after the reference.
EpochMillis syslog_to_utc(CivilTime t, const TimeContext& ctx);

// An epoch number: seconds below 1e11, milliseconds below 1e14, microseconds below
// 1e17, nanoseconds above. nullopt below 1e8 (1973) or when not finite.
std::optional<EpochMillis> epoch_number_to_millis(double value);
std::optional<EpochMillis> epoch_text_to_millis(std::string_view text);

// "2025-12-23T10:30:00.000Z": exactly 24 characters written to `out`.
constexpr size_t kIsoMillisLength = 24;
void format_iso8601_millis(EpochMillis t, char* out);
std::string iso8601_millis(EpochMillis t);

// Month from its English three-letter abbreviation (case-insensitive), 1..12 or 0.
unsigned month_from_abbrev(std::string_view s);

}  // namespace comptoir::ingest
