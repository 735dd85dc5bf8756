// Saved-search endpoints: input parsing and the answers' shapes.
#include "api/search_history.h"

#include "api/error_response.h"
#include "api/input.h"

namespace comptoir::api {

namespace json = boost::json;

http::Response post_search_save(ApiContext& ctx, http::Request& req) {
  auto body = json_object_body(req);
  if (!body.ok()) return error_response(body.error(), req);
  auto saved = ctx.searches.save(*body);
  if (!saved.ok()) return error_response(saved.error(), req);
  return http::json_response(201, *saved);
}

http::Response get_search_history(ApiContext& ctx, http::Request& req) {
  auto limit = uint_param(req, "limit", 10, 1, 100);
  if (!limit.ok()) return error_response(limit.error(), req);
  auto page = ctx.searches.recent(*limit);
  if (!page.ok()) return error_response(page.error(), req);
  json::array searches;
  for (auto& s : page->searches) searches.emplace_back(std::move(s));
  return http::json_response(
      200, json::object{{"count", page->count}, {"searches", std::move(searches)}});
}

}  // namespace comptoir::api
