// TimeZone: how a wall-clock time without an explicit offset becomes UTC.
//
// A zone is "UTC", a fixed offset ("+02:00", "-0530") or an IANA name
// ("Europe/Paris") looked up in the system tz database through Howard Hinnant's
// date/tz library (GCC 12 has no std::chrono::tzdb). Ambiguous local times (the
// repeated hour when clocks go back) take the earlier instant; times inside a gap
// are shifted forward by the gap, as most log pipelines do.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace date {
class time_zone;
}

namespace comptoir::ingest {

// Milliseconds since 1970-01-01T00:00:00Z.
using EpochMillis = int64_t;

class TimeZone {
 public:
  // UTC.
  TimeZone() = default;

  // "UTC", "Z", "+HH:MM", "-HHMM" or an IANA name; InvalidArgument when unknown.
  static Result<TimeZone> named(std::string_view name);

  // `local` is a wall-clock time in this zone written as if it were UTC. Inline for
  // UTC and fixed offsets, asked once per event.
  EpochMillis to_utc(EpochMillis local) const {
    if (zone_ == nullptr) return local - int64_t{offset_minutes_} * 60'000;
    return named_zone_to_utc(local);
  }

  const std::string& name() const { return name_; }
  bool is_utc() const { return zone_ == nullptr && offset_minutes_ == 0; }

 private:
  EpochMillis named_zone_to_utc(EpochMillis local) const;

  const date::time_zone* zone_ = nullptr;  // null: a fixed offset
  int offset_minutes_ = 0;
  std::string name_ = "UTC";
};

}  // namespace comptoir::ingest
