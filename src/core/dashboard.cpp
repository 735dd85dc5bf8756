// The dashboard's searches and answer (dashboard.h).
#include "core/dashboard.h"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/log_query.h"
#include "core/log_row.h"
#include "engine/dsl/aggregation.h"
#include "engine/schema/date_format.h"

namespace comptoir {

namespace json = boost::json;

namespace {

constexpr int64_t kMsPerDay = 86'400'000;

int64_t offset_at(const ingest::TimeZone& zone, int64_t utc) {
  auto off = engine::zone_offset_ms(zone.name(), utc, false);
  return off ? *off : 0;
}

Result<std::vector<engine::Aggregation>> aggs(const std::string& text) {
  return engine::parse_aggregations(json::parse(text));
}

}  // namespace

int64_t local_midnight(const ingest::TimeZone& zone, int64_t epoch_ms) {
  int64_t local = epoch_ms + offset_at(zone, epoch_ms);
  return zone.to_utc(engine::floor_div(local, kMsPerDay) * kMsPerDay);
}

std::string local_date(const ingest::TimeZone& zone, int64_t epoch_ms) {
  return engine::format_date(epoch_ms, "yyyy-MM-dd", zone.name());
}

Result<json::object> compute_dashboard(SearchBackend& search, FileRegistry& files,
                                       const ingest::TimeZone& zone, int days, int64_t now_ms) {
  const int64_t today = local_midnight(zone, now_ms);
  // The first day of the series: `days - 1` local days before today.
  int64_t first = today;
  for (int i = 1; i < days; ++i) first = local_midnight(zone, first - 1);
  const int64_t tomorrow = local_midnight(zone, today + kMsPerDay + 3 * 3'600'000);

  // 1. Totals, today, errors, levels and the newest events.
  engine::SearchRequest overview;
  overview.size = 10;
  overview.size_specified = true;
  engine::SortField by_time;
  by_time.field = "@timestamp";
  by_time.order = engine::SortOrder::kDesc;
  by_time.unmapped_type = "date";
  overview.sort.push_back(by_time);
  overview.track_total_hits.specified = true;
  overview.track_total_hits.up_to = INT64_MAX;
  auto overview_aggs = aggs(fmt::format(
      R"({{"today":{{"filter":{{"range":{{"@timestamp":{{"gte":{},"lt":{},"format":"epoch_millis"}}}}}}}},
          "errors":{{"filter":{{"term":{{"Level":"ERROR"}}}}}},
          "levels":{{"terms":{{"field":"Level","size":100}}}}}})",
      today, tomorrow));
  if (!overview_aggs) return overview_aggs.error();
  overview.aggregations = std::move(*overview_aggs);
  auto first_answer = search.search(kLogIndices, overview);
  if (!first_answer) return first_answer.error();

  // 2. The per-day series, every day present.
  engine::SearchRequest series;
  series.size = 0;
  series.size_specified = true;
  series.track_total_hits.specified = true;
  series.track_total_hits.enabled = false;
  series.track_total_hits.up_to = 0;
  engine::RangeQuery window;
  window.field = "@timestamp";
  window.gte = first;
  window.lt = tomorrow;
  window.format = "epoch_millis";
  series.query = engine::Query{window};
  auto series_aggs = aggs(fmt::format(
      R"({{"days":{{"date_histogram":{{"field":"@timestamp","calendar_interval":"day",
          "time_zone":"{}","format":"yyyy-MM-dd","min_doc_count":0,
          "extended_bounds":{{"min":{},"max":{}}}}}}}}})",
      zone.name(), first, today));
  if (!series_aggs) return series_aggs.error();
  series.aggregations = std::move(*series_aggs);
  auto second_answer = search.search(kLogIndices, series);
  if (!second_answer) return second_answer.error();

  auto files_count = files.count();
  if (!files_count) return files_count.error();

  const json::object empty;
  const json::object& a1 = first_answer->aggregations ? *first_answer->aggregations : empty;
  const json::object& a2 = second_answer->aggregations ? *second_answer->aggregations : empty;
  auto doc_count = [&](const char* name) -> int64_t {
    const json::value* v = a1.if_contains(name);
    if (v == nullptr || !v->is_object()) return 0;
    const json::value* c = v->as_object().if_contains("doc_count");
    return c != nullptr && c->is_int64() ? c->as_int64() : 0;
  };
  json::array by_level;
  if (const json::value* levels = a1.if_contains("levels"))
    for (const auto& b : levels->at("buckets").as_array())
      by_level.push_back(json::object{{"level", b.at("key")}, {"count", b.at("doc_count")}});
  // Days from the histogram; a backend without data for a day still lists it.
  std::map<std::string, int64_t> counts;
  if (const json::value* d = a2.if_contains("days"))
    for (const auto& b : d->at("buckets").as_array())
      counts[std::string(b.at("key_as_string").as_string())] = b.at("doc_count").as_int64();
  json::array by_day;
  for (int64_t day = first; day < tomorrow;
       day = local_midnight(zone, day + kMsPerDay + 3'600'000)) {
    std::string date = local_date(zone, day);
    auto it = counts.find(date);
    by_day.push_back(json::object{{"date", date}, {"count", it == counts.end() ? 0 : it->second}});
  }
  json::array recent;
  for (const auto& hit : first_answer->hits) recent.push_back(log_row_json(hit));

  json::object out;
  out["total_logs"] = first_answer->total ? first_answer->total->value : 0;
  out["logs_today"] = doc_count("today");
  out["error_logs"] = doc_count("errors");
  out["files_uploaded"] = static_cast<int64_t>(*files_count);
  out["by_level"] = std::move(by_level);
  out["by_day"] = std::move(by_day);
  out["recent_logs"] = std::move(recent);
  out["days"] = days;
  out["timezone"] = zone.name();
  return out;
}

}  // namespace comptoir
