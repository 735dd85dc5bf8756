// System endpoints. Until the backends land, every service is the embedded one
// and reports itself as such, with nothing stored yet.
#include "api/system.h"

#include <boost/json.hpp>

#include "util/time_format.h"

namespace comptoir::api {

namespace json = boost::json;

http::Response get_root(ApiContext&, http::Request&) {
  return http::json_response(
      200, json::object{{"message", "E-commerce Flask Application"},
                        {"status", "running"},
                        {"timestamp", iso8601_utc_now()},
                        {"services", json::object{{"mongodb", "connected"},
                                                  {"redis", "connected"},
                                                  {"elasticsearch", "connected"}}}});
}

http::Response get_health(ApiContext&, http::Request&) {
  return http::json_response(200,
                             json::object{{"status", "healthy"}, {"timestamp", iso8601_utc_now()}});
}

http::Response get_services_status(ApiContext&, http::Request&) {
  return http::json_response(
      200,
      json::object{
          {"mongodb",
           json::object{
               {"status", "connected"}, {"backend", "embedded"}, {"collections", json::array{}}}},
          {"redis", json::object{{"status", "connected"}, {"backend", "embedded"}, {"dbsize", 0}}},
          {"elasticsearch",
           json::object{
               {"status", "connected"}, {"backend", "embedded"}, {"indices", json::array{}}}},
      });
}

}  // namespace comptoir::api
