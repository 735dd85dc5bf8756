// System endpoints. Each request asks the backends afresh, so a backend that went
// down or came back is reported as it is now.
#include "api/system.h"

#include <boost/json.hpp>

#include "util/time_format.h"

namespace comptoir::api {

namespace json = boost::json;

namespace {

std::string_view state(bool connected) {
  return connected ? "connected" : "disconnected";
}

json::object backend_fields(const BackendStatus& s) {
  json::object o{{"status", state(s.connected)}, {"backend", s.backend}};
  if (!s.error.empty()) o["error"] = s.error;
  return o;
}

}  // namespace

http::Response get_root(ApiContext& ctx, http::Request&) {
  const bool store_up = ctx.services.store().ping().ok();
  const bool cache_up = ctx.services.cache().ping().ok();
  const bool search_up = ctx.services.search().ping().ok();
  return http::json_response(
      200, json::object{{"message", "E-commerce Flask Application"},
                        {"status", "running"},
                        {"timestamp", iso8601_utc_now()},
                        {"services", json::object{{"mongodb", state(store_up)},
                                                  {"redis", state(cache_up)},
                                                  {"elasticsearch", state(search_up)}}}});
}

http::Response get_health(ApiContext&, http::Request&) {
  return http::json_response(200,
                             json::object{{"status", "healthy"}, {"timestamp", iso8601_utc_now()}});
}

http::Response get_services_status(ApiContext& ctx, http::Request&) {
  const StoreStatus store = ctx.services.store_status();
  json::object mongodb = backend_fields(store);
  json::array collections;
  for (const auto& c : store.collections) collections.emplace_back(c);
  mongodb["collections"] = std::move(collections);

  const CacheStatus cache = ctx.services.cache_status();
  json::object redis = backend_fields(cache);
  redis["dbsize"] = cache.dbsize;

  const SearchStatus search = ctx.services.search_status();
  json::object elasticsearch = backend_fields(search);
  json::array indices;
  for (const auto& i : search.indices) indices.emplace_back(i);
  elasticsearch["indices"] = std::move(indices);

  return http::json_response(200, json::object{{"mongodb", std::move(mongodb)},
                                               {"redis", std::move(redis)},
                                               {"elasticsearch", std::move(elasticsearch)}});
}

}  // namespace comptoir::api
