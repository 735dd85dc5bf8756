// The analytics endpoints of the specification: GET /api/dashboard (log KPIs and
// charts, ?days=1..366) and GET /api/results (sales analytics,
// ?start_date&end_date&country&interval=hour|day|week|month). Both answers are cached
// (X-Cache) and computed by core/dashboard and core/sales_results.
#pragma once

#include "api/context.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response get_dashboard(ApiContext& ctx, http::Request& req);
http::Response get_results(ApiContext& ctx, http::Request& req);

}  // namespace comptoir::api
