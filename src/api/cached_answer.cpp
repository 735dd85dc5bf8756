// Cached JSON answers with their X-Cache header.
#include "api/cached_answer.h"

#include "api/error_response.h"
#include "util/json_text.h"

namespace comptoir::api {

http::Response cached_json_answer(ApiContext& ctx, const http::Request& req, std::string_view kind,
                                  std::string_view normalized_request,
                                  const std::function<Result<boost::json::value>()>& compute) {
  auto answer = ctx.answers.get_or_compute(kind, normalized_request, [&]() -> Result<std::string> {
    auto value = compute();
    COMPTOIR_TRY(value);
    return to_json_text(*value);
  });
  if (!answer.ok()) return error_response(answer.error(), req);
  http::Response res;
  res.status = 200;
  res.body = std::move(answer->body);
  res.set_header("X-Cache", answer->hit ? "HIT" : "MISS");
  return res;
}

}  // namespace comptoir::api
