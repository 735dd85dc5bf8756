// Every endpoint Comptoir serves: method, path, handler. Handlers live in one file
// per resource (system.cpp, ...).
#include "api/routes.h"

#include "api/system.h"

namespace comptoir::api {

using boost::beast::http::verb;

void register_routes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](http::Response (*handler)(ApiContext&, http::Request&)) {
    return [&ctx, handler](http::Request& req) { return handler(ctx, req); };
  };
  // System
  router.add(verb::get, "/", bind(get_root));
  router.add(verb::get, "/health", bind(get_health));
  router.add(verb::get, "/api/services-status", bind(get_services_status));
}

}  // namespace comptoir::api
