// Date histogram rounding (date_rounding.h).
#include "engine/query/date_rounding.h"

#include "engine/dsl/dsl_error.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine {

namespace {

constexpr int64_t kMsPerMinute = 60'000;
constexpr int64_t kMsPerHour = 3'600'000;
constexpr int64_t kMsPerDay = 86'400'000;

}  // namespace

Result<DateRounding> DateRounding::make(const DateHistogramAgg& spec) {
  DateRounding r;
  r.unit_ = spec.calendar_interval;
  r.fixed_ms_ = spec.fixed_interval_ms;
  r.offset_ = spec.offset_ms;
  const std::string& tz = spec.time_zone;
  auto probe = zone_offset_ms(tz, 0, false);
  if (!probe) return dsl_error("illegal_argument_exception", "Unknown time-zone ID: " + tz);
  if (tz.empty() || tz[0] == '+' || tz[0] == '-' || tz == "Z" || tz == "UTC" || tz == "GMT" ||
      tz == "Etc/UTC") {
    r.fixed_offset_ = *probe;
  } else {
    r.zone_ = tz;
  }
  return r;
}

int64_t DateRounding::local_offset(int64_t utc) const {
  if (zone_.empty()) return fixed_offset_;
  auto off = zone_offset_ms(zone_, utc, false);
  return off ? *off : 0;
}

int64_t DateRounding::utc_of_local(int64_t local) const {
  if (zone_.empty()) return local - fixed_offset_;
  auto off = zone_offset_ms(zone_, local, true);
  return local - (off ? *off : 0);
}

int64_t DateRounding::floor_local(int64_t local) const {
  if (!unit_) return floor_div(local, fixed_ms_) * fixed_ms_;
  int64_t days = floor_div(local, kMsPerDay);
  int64_t y;
  unsigned m, d;
  switch (*unit_) {
    case CalendarUnit::kMinute:
      return floor_div(local, kMsPerMinute) * kMsPerMinute;
    case CalendarUnit::kHour:
      return floor_div(local, kMsPerHour) * kMsPerHour;
    case CalendarUnit::kDay:
      return days * kMsPerDay;
    case CalendarUnit::kWeek:
      // 1970-01-01 was a Thursday; weeks start on Monday (ISO 8601).
      return (floor_div(days + 3, 7) * 7 - 3) * kMsPerDay;
    case CalendarUnit::kMonth:
      civil_from_days(days, y, m, d);
      return days_from_civil(y, m, 1) * kMsPerDay;
    case CalendarUnit::kQuarter:
      civil_from_days(days, y, m, d);
      return days_from_civil(y, (m - 1) / 3 * 3 + 1, 1) * kMsPerDay;
    case CalendarUnit::kYear:
      civil_from_days(days, y, m, d);
      return days_from_civil(y, 1, 1) * kMsPerDay;
  }
  return local;
}

int64_t DateRounding::add_local(int64_t local) const {
  if (!unit_) return local + fixed_ms_;
  int64_t days = floor_div(local, kMsPerDay);
  int64_t y;
  unsigned m, d;
  auto add_months = [&](int64_t n) {
    civil_from_days(days, y, m, d);
    int64_t months = y * 12 + (m - 1) + n;
    y = floor_div(months, 12);
    return days_from_civil(y, unsigned(months - y * 12 + 1), 1) * kMsPerDay;
  };
  switch (*unit_) {
    case CalendarUnit::kMinute:
      return local + kMsPerMinute;
    case CalendarUnit::kHour:
      return local + kMsPerHour;
    case CalendarUnit::kDay:
      return local + kMsPerDay;
    case CalendarUnit::kWeek:
      return local + 7 * kMsPerDay;
    case CalendarUnit::kMonth:
      return add_months(1);
    case CalendarUnit::kQuarter:
      return add_months(3);
    case CalendarUnit::kYear:
      return add_months(12);
  }
  return local;
}

int64_t DateRounding::round(int64_t t) {
  if (t >= cached_lo_ && t < cached_hi_) return cached_key_;
  int64_t shifted = t - offset_;
  int64_t local = shifted + local_offset(shifted);
  int64_t key = utc_of_local(floor_local(local)) + offset_;
  // A wall-clock hour that DST skipped can put the key after t: step back one unit.
  if (key > t) key = utc_of_local(floor_local(local - (unit_ ? kMsPerHour : fixed_ms_))) + offset_;
  cached_key_ = key;
  cached_lo_ = key;
  cached_hi_ = next(key);
  if (t < cached_lo_ || t >= cached_hi_) cached_hi_ = cached_lo_;  // do not cache oddities
  return key;
}

int64_t DateRounding::next(int64_t key) const {
  int64_t shifted = key - offset_;
  int64_t local = shifted + local_offset(shifted);
  int64_t next_local = add_local(floor_local(local));
  int64_t n = utc_of_local(next_local) + offset_;
  return n > key ? n : key + 1;
}

}  // namespace comptoir::engine
