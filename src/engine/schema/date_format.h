// Dates as Elasticsearch reads them: strict_date_optional_time, epoch_millis,
// epoch_second and Java-time patterns ("dd/MM/yyyy HH:mm:ss"), in a time zone (offset
// or IANA name), plus date math ("now-1d/d", "2014-11-18||/M") with ES's rounding rules
// (gt/lte round up to the last millisecond of the unit). Values are epoch milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace comptoir::engine {

inline constexpr std::string_view kDefaultDateFormat = "strict_date_optional_time||epoch_millis";

// Parses `text` with `format` ("a||b" alternatives). Fields the text leaves out take
// their lowest value, or their highest when round_up (ES's roundUp parser for gt/lte).
Result<int64_t> parse_date(std::string_view text, std::string_view format = kDefaultDateFormat,
                           std::string_view time_zone = "", bool round_up = false);

// Evaluates date math: "now", "now-1d/d", "<date>||+1M/d", or a plain date.
Result<int64_t> parse_date_math(std::string_view expr, int64_t now_ms,
                                std::string_view format = kDefaultDateFormat,
                                std::string_view time_zone = "", bool round_up = false);

// Is this string a date for dynamic mapping? (strict_date_optional_time with at least
// yyyy-MM-dd, or "yyyy/MM/dd HH:mm:ss Z" / "yyyy/MM/dd Z").
bool looks_like_date(std::string_view text);

// 2024-01-01T00:00:00.000Z
std::string format_date_iso(int64_t epoch_ms);
// The same, appended to `out` (no allocation once `out` has room).
void append_date_iso(int64_t epoch_ms, std::string& out);

// Formats an instant as ES prints dates (key_as_string, value_as_string): `format` is a
// named format (strict_date_optional_time — the default for "" —, date_time, date,
// epoch_millis, epoch_second) or a Java-time pattern (yyyy MM dd HH mm ss SSS XXX Z E
// and 'quoted' text), the first of "a||b" alternatives; in `time_zone` ("" = UTC).
std::string format_date(int64_t epoch_ms, std::string_view format, std::string_view time_zone);

// Offset of a time zone ("+01:00", "Z", "UTC", "Europe/Paris") from UTC at an instant,
// in ms; `local` says whether `at_ms` is a wall-clock time in that zone.
Result<int64_t> zone_offset_ms(std::string_view time_zone, int64_t at_ms, bool local);

// Civil calendar helpers (proleptic Gregorian, UTC). floor_div rounds toward -infinity.
int64_t floor_div(int64_t a, int64_t b);
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d);

}  // namespace comptoir::engine
