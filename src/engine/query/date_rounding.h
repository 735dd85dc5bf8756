// DateRounding: the bucket keys of a date_histogram. An instant is moved into the
// aggregation's time zone (an offset or an IANA name, so DST days are 23 or 25 hours
// long), floored to the calendar unit (minute … year, weeks starting on Monday) or to a
// multiple of the fixed interval, shifted by `offset`, and moved back to UTC. Keys are
// cached per bucket: time-ordered data asks the zone database about once per bucket.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/dsl/aggregation.h"
#include "util/result.h"

namespace comptoir::engine {

class DateRounding {
 public:
  static Result<DateRounding> make(const DateHistogramAgg& spec);

  // The key (UTC epoch ms) of the bucket holding `epoch_ms`.
  int64_t round(int64_t epoch_ms);
  // The key of the bucket after the one keyed `key`.
  int64_t next(int64_t key) const;

 private:
  int64_t local_offset(int64_t utc) const;    // zone offset at an instant
  int64_t utc_of_local(int64_t local) const;  // a wall-clock time back to UTC
  int64_t floor_local(int64_t local) const;
  int64_t add_local(int64_t local) const;

  std::optional<CalendarUnit> unit_;
  int64_t fixed_ms_ = 0;
  std::string zone_;  // "" when fixed_offset_ applies
  int64_t fixed_offset_ = 0;
  int64_t offset_ = 0;
  int64_t cached_lo_ = 1, cached_hi_ = 0, cached_key_ = 0;
};

}  // namespace comptoir::engine
