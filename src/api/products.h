// /api/products: list with filters, and one product by id.
#pragma once

#include "api/context.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response get_products(ApiContext& ctx, http::Request& req);
http::Response get_product(ApiContext& ctx, http::Request& req);
http::Response post_product(ApiContext& ctx, http::Request& req);
http::Response put_product(ApiContext& ctx, http::Request& req);
http::Response delete_product(ApiContext& ctx, http::Request& req);

}  // namespace comptoir::api
