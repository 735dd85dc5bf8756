// Canonical log fields (DESIGN.md §5): which original field plays `@timestamp`,
// `Level`, `Service`, `Message`, `User`, `IP`, `Duration` is decided from its name,
// case-insensitively, from the spellings the three document shapes use (application
// logs, user events `event/user/page`, system logs `level/source/message`). The
// original fields stay; the canonical ones are added (a field already named exactly
// like a canonical one is replaced by its normalised value).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "ingest/timestamp.h"
#include "util/result.h"

namespace comptoir::ingest {

enum class LogRole : uint8_t {
  kTimestamp,
  kLevel,
  kService,
  kMessage,
  kUser,
  kIp,
  kDuration,
  kEvent,
  kPage,
  kCount
};

// For each role, the name of the original field that plays it ("" when none).
class LogFieldMap {
 public:
  // From field names (CSV header, JSON object keys).
  static LogFieldMap resolve(const std::vector<std::string_view>& names);
  static LogFieldMap resolve(const boost::json::object& doc);

  const std::string& name(LogRole role) const { return names_[static_cast<size_t>(role)]; }
  bool has(LogRole role) const { return !name(role).empty(); }
  // Shape 2: `event` with neither a message nor a level field.
  // Separate "date" and "time" fields (Loghub's structured CSVs), "" when absent.
  const std::string& date_name() const { return date_name_; }
  const std::string& time_name() const { return time_name_; }
  bool user_event_shape() const {
    return has(LogRole::kEvent) && !has(LogRole::kMessage) && !has(LogRole::kLevel);
  }

 private:
  void offer(std::string_view name);

  std::array<std::string, static_cast<size_t>(LogRole::kCount)> names_;
  std::array<int, static_cast<size_t>(LogRole::kCount)> rank_{};
  std::string date_name_;
  std::string time_name_;
};

// The role a field name plays, by the same spellings (nullopt: none).
std::optional<LogRole> log_role_of(std::string_view name);

// Upper case; WARN → WARNING, ERR/SEVERE → ERROR, FATAL/CRIT/EMERG/ALERT/PANIC →
// CRITICAL, NOTICE/INFORMATION → INFO; syslog severities 0-7 by number.
std::string normalize_level(std::string_view level);

// Whether `text` is an IPv4 or IPv6 address (what an `ip` field accepts).
bool is_ip_address(std::string_view text);

// The event time of a log document: the time field's value (or separate date and
// time fields put together), else `ctx.reference`. `defaulted` says that a time
// field was there but unreadable: the event is kept at the ingest time, its
// original field intact, and counted (IngestSummary::timestamps_defaulted).
struct LogTime {
  EpochMillis time = 0;
  bool defaulted = false;
};

// Adds the canonical log fields to `doc`; returns its event time.
LogTime normalize_log_document(boost::json::object& doc, const LogFieldMap& map,
                               const TimeContext& ctx);

// Sets "@timestamp" to the ISO form of `t`.
void set_timestamp(boost::json::object& doc, EpochMillis t);

// A scalar JSON value as text ("" for null, objects and arrays).
std::string scalar_text(const boost::json::value& v);

}  // namespace comptoir::ingest
