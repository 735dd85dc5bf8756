// System endpoints: GET / (status and connected services), GET /health and
// GET /api/services-status (per-backend detail).
#pragma once

#include "api/context.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response get_root(ApiContext& ctx, http::Request& req);
http::Response get_health(ApiContext& ctx, http::Request& req);
http::Response get_services_status(ApiContext& ctx, http::Request& req);

}  // namespace comptoir::api
