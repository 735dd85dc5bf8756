// Dashboard and results endpoints (analytics.h).
#include "api/analytics.h"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <chrono>

#include "api/cached_answer.h"
#include "api/error_response.h"
#include "api/input.h"
#include "core/dashboard.h"
#include "core/sales_results.h"

namespace comptoir::api {

namespace json = boost::json;

http::Response get_dashboard(ApiContext& ctx, http::Request& req) {
  auto days = uint_param(req, "days", kDefaultDashboardDays, 1, kMaxDashboardDays);
  if (!days) return error_response(days.error(), req);
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const ingest::TimeZone& zone = ctx.logs.zone();
  // The day is part of the key: "today" changes at local midnight.
  std::string key = fmt::format("days={}&today={}", *days, local_date(zone, now));
  return cached_json_answer(ctx, req, "dashboard", key, [&]() -> Result<json::value> {
    auto out =
        compute_dashboard(ctx.services.search(), ctx.files, zone, static_cast<int>(*days), now);
    if (!out) return out.error();
    return json::value(std::move(*out));
  });
}

http::Response get_results(ApiContext& ctx, http::Request& req) {
  SalesFilters f;
  for (auto [name, slot] : {std::pair<const char*, std::string*>{"start_date", &f.start_date},
                            {"end_date", &f.end_date},
                            {"country", &f.country},
                            {"interval", &f.interval}}) {
    auto v = text_param(req, name);
    if (!v) return error_response(v.error(), req);
    if (*v) *slot = **v;
  }
  if (auto st = validate(f, ctx.logs.zone()); !st.ok()) return error_response(st.error(), req);
  std::string key = fmt::format("start={}&end={}&country={}&interval={}", f.start_date, f.end_date,
                                f.country, f.interval);
  return cached_json_answer(ctx, req, "results", key, [&]() -> Result<json::value> {
    auto out = compute_sales_results(ctx.services.search(), f, ctx.logs.zone());
    if (!out) return out.error();
    return json::value(std::move(*out));
  });
}

}  // namespace comptoir::api
