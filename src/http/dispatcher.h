// The request pipeline after parsing: route lookup, OPTIONS and CORS preflight,
// 404/405 as JSON, the handler itself (exceptions become a logged 500 carrying the
// request id), then CORS headers. The session adds X-Request-Id, Date and Server.
#pragma once

#include "http/cors.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace comptoir::http {

class Dispatcher {
 public:
  Dispatcher(const Router& router, CorsPolicy cors);

  // Never throws.
  Response dispatch(Request& req) const noexcept;

 private:
  Response route(Request& req) const;

  const Router& router_;
  CorsPolicy cors_;
};

}  // namespace comptoir::http
