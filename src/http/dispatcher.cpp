// Dispatcher: one place where every request gets its answer shape right.
#include "http/dispatcher.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace comptoir::http {

Dispatcher::Dispatcher(const Router& router, CorsPolicy cors)
    : router_(router), cors_(std::move(cors)) {}

Response Dispatcher::route(Request& req) const {
  Router::Lookup lookup = router_.find(req.method(), req.path());
  if (lookup.outcome == Router::Outcome::kNotFound) {
    return error_response(404, "The requested URL was not found on the server.", req.request_id());
  }
  if (req.method() == beast_http::verb::options) {
    Response res;
    res.status = 204;
    res.content_type.clear();
    res.set_header("Allow", std::string(lookup.allow));
    if (CorsPolicy::covers(req.path()) && CorsPolicy::is_preflight(req)) {
      cors_.decorate_preflight(req, res);
    }
    return res;
  }
  if (lookup.outcome == Router::Outcome::kMethodNotAllowed) {
    Response res =
        error_response(405, "The method is not allowed for the requested URL.", req.request_id());
    res.set_header("Allow", std::string(lookup.allow));
    return res;
  }
  req.set_params(std::move(lookup.params));
  try {
    return (*lookup.handler)(req);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", req.request_id(), req.method_string(), req.path(),
                  e.what());
  } catch (...) {
    spdlog::error("request {} {} {} failed with an unknown exception", req.request_id(),
                  req.method_string(), req.path());
  }
  return error_response(500, "Internal server error; the request id identifies it in the log.",
                        req.request_id());
}

Response Dispatcher::dispatch(Request& req) const noexcept {
  try {
    Response res = route(req);
    if (CorsPolicy::covers(req.path())) cors_.decorate(req, res);
    return res;
  } catch (...) {
    // Building the error itself failed (out of memory): answer without allocating much.
    Response res;
    res.status = 500;
    res.body = R"({"error":"Internal server error","status":500})";
    return res;
  }
}

}  // namespace comptoir::http
