// /api/orders: list with filters, and one order by id.
#pragma once

#include "api/context.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response get_orders(ApiContext& ctx, http::Request& req);
http::Response get_order(ApiContext& ctx, http::Request& req);
http::Response post_order(ApiContext& ctx, http::Request& req);
http::Response put_order(ApiContext& ctx, http::Request& req);
http::Response delete_order(ApiContext& ctx, http::Request& req);

}  // namespace comptoir::api
