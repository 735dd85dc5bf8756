// TimeZone over the system tz database (date/tz.h with USE_OS_TZDB).
#include "ingest/time_zone.h"

#include <date/tz.h>

#include <chrono>
#include <exception>

#include <fmt/format.h>

namespace comptoir::ingest {

namespace {

bool parse_fixed_offset(std::string_view s, int& minutes) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return false;
  auto digit = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  if (!digit(1) || !digit(2)) return false;
  int hours = (s[1] - '0') * 10 + (s[2] - '0');
  int mins = 0;
  size_t i = 3;
  if (i < s.size() && s[i] == ':') ++i;
  if (i < s.size()) {
    if (!digit(i) || !digit(i + 1) || i + 2 != s.size()) return false;
    mins = (s[i] - '0') * 10 + (s[i + 1] - '0');
  }
  if (hours > 18 || mins > 59) return false;
  minutes = (hours * 60 + mins) * (s[0] == '-' ? -1 : 1);
  return true;
}

}  // namespace

Result<TimeZone> TimeZone::named(std::string_view name) {
  TimeZone tz;
  if (name.empty() || name == "UTC" || name == "Z" || name == "Etc/UTC" || name == "GMT") {
    return tz;
  }
  tz.name_ = std::string(name);
  if (parse_fixed_offset(name, tz.offset_minutes_)) return tz;
  try {
    tz.zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    return Error::invalid(fmt::format("unknown time zone '{}'", name));
  }
  return tz;
}

EpochMillis TimeZone::named_zone_to_utc(EpochMillis local) const {
  using std::chrono::milliseconds;
  const date::local_time<milliseconds> lt{milliseconds{local}};
  const auto info = zone_->get_info(date::floor<std::chrono::seconds>(lt));
  std::chrono::seconds offset = info.first.offset;
  // In a gap (nonexistent) the offset before the gap moves the time forward.
  if (info.result == date::local_info::nonexistent) offset = info.first.offset;
  return local - std::chrono::duration_cast<milliseconds>(offset).count();
}

}  // namespace comptoir::ingest
