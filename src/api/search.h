// POST /api/search: log search with the specification's body {query, level, service,
// start_date, end_date, page, size} plus sort, order, from and syntax; the answer
// {total, page, size, results, took_ms} is cached (X-Cache).
#pragma once

#include <boost/json/object.hpp>

#include "api/context.h"
#include "core/log_search.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response post_search(ApiContext& ctx, http::Request& req);

// The body as a LogSearchRequest; errors name the field at fault (unknown keys too).
Result<LogSearchRequest> parse_search_body(const boost::json::object& body);

}  // namespace comptoir::api
