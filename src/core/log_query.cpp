// Log filters → one bool query: the user's query in `must`, the exact filters and
// the date range in `filter`.
#include "core/log_query.h"

#include <fmt/format.h>

#include "ingest/log_fields.h"
#include "ingest/timestamp.h"

namespace comptoir {

namespace {

constexpr size_t kMaxFilterBytes = 256;

Error bad_date(std::string_view field) {
  return Error::invalid_fields(
      fmt::format("{} must be a date (YYYY-MM-DD) or an ISO 8601 time", field),
      {{std::string(field), "must be a date (YYYY-MM-DD) or an ISO 8601 time"}});
}

struct ParsedDate {
  ingest::CivilTime time;
  bool date_only = false;
};

std::optional<ParsedDate> parse_date(std::string_view text) {
  size_t consumed = 0;
  auto t = ingest::parse_iso8601(text, &consumed);
  if (!t || consumed != text.size() || !t->valid()) return std::nullopt;
  // parse_iso8601 reads "2025-12-23" as midnight; only the date form is 10 bytes.
  return ParsedDate{*t, text.size() == 10};
}

Status check_filter_text(std::string_view field, std::string_view value) {
  if (value.size() > kMaxFilterBytes) {
    return Error::invalid_fields(
        fmt::format("{} must be at most {} bytes", field, kMaxFilterBytes),
        {{std::string(field), fmt::format("must be at most {} bytes", kMaxFilterBytes)}});
  }
  return {};
}

engine::Query exact_ci(std::string_view field, std::string value) {
  engine::TermQuery t;
  t.field = std::string(field);
  t.value = std::move(value);
  t.case_insensitive = true;
  return t;
}

}  // namespace

Result<DateBound> parse_start_date(std::string_view text, const ingest::TimeZone& zone) {
  auto d = parse_date(text);
  if (!d) return bad_date("start_date");
  return DateBound{d->time.to_utc(zone), true};
}

Result<DateBound> parse_end_date(std::string_view text, const ingest::TimeZone& zone) {
  auto d = parse_date(text);
  if (!d) return bad_date("end_date");
  if (!d->date_only) return DateBound{d->time.to_utc(zone), true};
  ingest::CivilTime next = d->time;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  ingest::civil_from_days(ingest::days_from_civil(next.year, next.month, next.day) + 1, year, month,
                          day);
  next.year = year;
  next.month = month;
  next.day = day;
  return DateBound{next.to_utc(zone), false};
}

Result<std::optional<engine::Query>> build_log_query(const LogFilters& filters,
                                                     const ingest::TimeZone& zone) {
  engine::BoolQuery b;
  auto text = user_query(filters.query, filters.syntax);
  COMPTOIR_TRY(text);
  if (*text) b.must.push_back(std::move(**text));

  if (!filters.level.empty()) {
    COMPTOIR_TRY(check_filter_text("level", filters.level));
    b.filter.push_back(exact_ci("Level", ingest::normalize_level(filters.level)));
  }
  if (!filters.service.empty()) {
    COMPTOIR_TRY(check_filter_text("service", filters.service));
    b.filter.push_back(exact_ci("Service", filters.service));
  }
  std::optional<DateBound> start, end;
  if (!filters.start_date.empty()) {
    auto s = parse_start_date(filters.start_date, zone);
    COMPTOIR_TRY(s);
    start = *s;
  }
  if (!filters.end_date.empty()) {
    auto e = parse_end_date(filters.end_date, zone);
    COMPTOIR_TRY(e);
    end = *e;
  }
  if (start && end &&
      (end->epoch_ms < start->epoch_ms || (!end->inclusive && end->epoch_ms == start->epoch_ms))) {
    return Error::invalid_fields("end_date is before start_date",
                                 {{"end_date", "must not be before start_date"}});
  }
  if (start || end) {
    engine::RangeQuery r;
    r.field = "@timestamp";
    if (start) r.gte = ingest::iso8601_millis(start->epoch_ms);
    if (end) (end->inclusive ? r.lte : r.lt) = ingest::iso8601_millis(end->epoch_ms);
    b.filter.push_back(std::move(r));
  }
  if (b.must.empty() && b.filter.empty()) return std::optional<engine::Query>();
  if (b.filter.empty() && b.must.size() == 1) return std::optional<engine::Query>(b.must.front());
  return std::optional<engine::Query>(engine::Query(std::move(b)));
}

}  // namespace comptoir
