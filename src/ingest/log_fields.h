// Canonical log fields (DESIGN.md §5): which original field plays `@timestamp`,
// `Level`, `Service`, `Message`, `User`, `IP`, `Duration` is decided from its name,
// case-insensitively, from the spellings the three document shapes use (application
// logs, user events `event/user/page`, system logs `level/source/message`). The
// original fields stay; the canonical ones are added (a field already named exactly
// like a canonical one gets its normalised value in place, see DocumentText).
#pragma once

#include <array>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "ingest/document_text.h"
#include "ingest/field_value.h"
#include "ingest/timestamp.h"

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

// For each role, the position of the field that plays it among a record's field
// names (a CSV header, the keys of a flattened JSON object), or kAbsent.
class LogFieldMap {
 public:
  static constexpr int kAbsent = -1;

  LogFieldMap() { fields_.fill(kAbsent); }
  static LogFieldMap resolve(std::span<const std::string_view> names);

  int field(LogRole role) const { return fields_[static_cast<size_t>(role)]; }
  bool has(LogRole role) const { return field(role) != kAbsent; }
  // Separate "date" and "time" fields (Loghub's structured CSVs), kAbsent when absent.
  int date_field() const { return date_field_; }
  int time_field() const { return time_field_; }
  // Adds to `out` the names (among `names`, those resolved from) of the fields whose
  // values the canonical fields carry, but for names that are canonical themselves.
  void add_carried_names(std::span<const std::string_view> names,
                         std::set<std::string, std::less<>>& out) const;
  // Shape 2: `event` with neither a message nor a level field.
  bool user_event_shape() const {
    return has(LogRole::kEvent) && !has(LogRole::kMessage) && !has(LogRole::kLevel);
  }

 private:
  void offer(std::string_view name, int position);

  std::array<int, static_cast<size_t>(LogRole::kCount)> fields_;
  std::array<int, static_cast<size_t>(LogRole::kCount)> rank_{};
  int date_field_ = kAbsent;
  int time_field_ = kAbsent;
};

// The role a field name plays, by the same spellings (nullopt: none).
std::optional<LogRole> log_role_of(std::string_view name);

// Upper case; WARN → WARNING, ERR/SEVERE → ERROR, FATAL/CRIT/EMERG/ALERT/PANIC →
// CRITICAL, NOTICE/INFORMATION → INFO; syslog severities 0-7 by number.
std::string normalize_level(std::string_view level);

// A level word as logs write it, in any case: the level it normalises to, and
// whether text-log layouts take it for a line's level (PANIC, INFORMATION and
// INFORMATIONAL they do not). nullopt for other words.
struct LevelWord {
  std::string_view level;
  bool text_log_level;
};
std::optional<LevelWord> level_word(std::string_view word);

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

// Sets the canonical log fields of one record on `doc`: `values` holds the
// record's field values in the order of the names `map` was resolved from (a
// field the record lacks is FieldValue::Kind::kAbsent). Returns the event time.
LogTime normalize_log_fields(const LogFieldMap& map, std::span<const FieldValue> values,
                             const TimeContext& ctx, DocumentText& doc);

}  // namespace comptoir::ingest
