// Turns an engine-level Error into the HTTP answer: the only place where an
// ErrorCode becomes a status (InvalidArgument 400, NotFound 404, Conflict 409,
// TooLarge 413, Unavailable 503, anything else 500 and logged). Validation errors
// add {"fields": {"<field>": "<problem>"}} to the usual error body.
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "util/result.h"

namespace comptoir::api {

unsigned http_status_of(ErrorCode code);

http::Response error_response(const Error& error, const http::Request& req);

}  // namespace comptoir::api
