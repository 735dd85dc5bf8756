// POST /api/search/save and GET /api/search/history?limit= (default 10, at most 100).
#pragma once

#include "api/context.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response post_search_save(ApiContext& ctx, http::Request& req);
http::Response get_search_history(ApiContext& ctx, http::Request& req);

}  // namespace comptoir::api
