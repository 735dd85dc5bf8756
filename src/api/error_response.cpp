// ErrorCode → HTTP status and the error body.
#include "api/error_response.h"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace comptoir::api {

unsigned http_status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kCorruption:
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

http::Response error_response(const Error& error, const http::Request& req) {
  const unsigned status = http_status_of(error.code);
  if (status == 500) {
    spdlog::error("request {} {} {}: {} error: {}", req.request_id(), req.method_string(),
                  req.path(), error_code_name(error.code), error.message);
  }
  boost::json::object body{
      {"error", error.message}, {"status", status}, {"request_id", req.request_id()}};
  if (!error.fields.empty()) {
    boost::json::object fields;
    for (const auto& f : error.fields) fields[f.field] = f.problem;
    body["fields"] = std::move(fields);
  }
  auto res = http::json_response(status, body);
  if (status == 503) res.set_header("Retry-After", "5");
  return res;
}

}  // namespace comptoir::api
