// Read endpoints whose JSON answers are cached (search, dashboard, results): the
// answer comes from core/ResponseCache under the endpoint's kind and normalised
// request, and says where it came from with `X-Cache: HIT` or `X-Cache: MISS`.
#pragma once

#include <boost/json/value.hpp>

#include <functional>
#include <string_view>

#include "api/context.h"
#include "http/request.h"
#include "http/response.h"
#include "util/result.h"

namespace comptoir::api {

// `normalized_request` must identify the answer completely (validated input with its
// defaults applied); compute() builds it on a miss. Errors are not cached.
http::Response cached_json_answer(ApiContext& ctx, const http::Request& req, std::string_view kind,
                                  std::string_view normalized_request,
                                  const std::function<Result<boost::json::value>()>& compute);

}  // namespace comptoir::api
