// CORS as the specification configures it with Flask-CORS: resources `/api/*`,
// origins from COMPTOIR_CORS_ORIGINS ("*" = any), methods GET, POST, PUT, DELETE,
// OPTIONS, request headers Content-Type and Authorization. A preflight (OPTIONS
// with Access-Control-Request-Method) is answered 204 by the dispatcher.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"

namespace comptoir::http {

class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> origins);

  // Whether CORS applies to this path at all.
  static bool covers(std::string_view path) { return path.starts_with("/api/"); }

  // Adds Access-Control-Allow-Origin (and Vary, Expose-Headers) when the request's
  // origin is allowed.
  void decorate(const Request& req, Response& res) const;

  // Adds the preflight headers: allowed methods, and the requested headers among
  // the allowed ones. The caller sets the status.
  void decorate_preflight(const Request& req, Response& res) const;

  static bool is_preflight(const Request& req);

 private:
  // The value of Access-Control-Allow-Origin for this request, empty when the
  // origin is not allowed.
  std::string allowed_origin(const Request& req) const;

  std::vector<std::string> origins_;
  bool any_origin_;
};

}  // namespace comptoir::http
