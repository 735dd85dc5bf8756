// /api/cache: read, write and delete JSON values with an optional TTL, and the
// cache statistics. Values are stored as their JSON text, so every JSON type comes
// back as it went in; a value some other program stored that is not JSON comes
// back as a string. The key "stats" is reserved for GET /api/cache/stats.
#pragma once

#include "api/context.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response get_cache_entry(ApiContext& ctx, http::Request& req);
http::Response post_cache_entry(ApiContext& ctx, http::Request& req);
http::Response delete_cache_entry(ApiContext& ctx, http::Request& req);
http::Response get_cache_stats(ApiContext& ctx, http::Request& req);

}  // namespace comptoir::api
