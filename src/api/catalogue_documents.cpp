// Shared catalogue handlers (see catalogue_documents.h).
#include "api/catalogue_documents.h"

#include "api/error_response.h"
#include "api/input.h"

namespace comptoir::api {

namespace json = boost::json;

namespace {

std::string_view plural_of(CatalogueKind kind) {
  return kind == CatalogueKind::kProduct ? "products" : "orders";
}

std::string_view singular_of(CatalogueKind kind) {
  return kind == CatalogueKind::kProduct ? "product" : "order";
}

}  // namespace

http::Response get_document(ApiContext& ctx, http::Request& req, CatalogueKind kind) {
  auto doc = ctx.catalogue.get(kind, req.param("id"));
  if (!doc.ok()) return error_response(doc.error(), req);
  return http::json_response(200, *doc);
}

http::Response post_document(ApiContext& ctx, http::Request& req, CatalogueKind kind) {
  auto body = json_object_body(req);
  if (!body.ok()) return error_response(body.error(), req);
  auto doc = ctx.catalogue.create(kind, std::move(body.value()));
  if (!doc.ok()) return error_response(doc.error(), req);
  auto res = http::json_response(201, *doc);
  const json::string& id = doc->at(catalogue_id_field(kind)).as_string();
  res.set_header("Location", "/api/" + std::string(plural_of(kind)) + "/" + std::string(id));
  return res;
}

http::Response put_document(ApiContext& ctx, http::Request& req, CatalogueKind kind) {
  auto body = json_object_body(req);
  if (!body.ok()) return error_response(body.error(), req);
  auto doc = ctx.catalogue.replace(kind, req.param("id"), std::move(body.value()));
  if (!doc.ok()) return error_response(doc.error(), req);
  return http::json_response(200, *doc);
}

http::Response delete_document(ApiContext& ctx, http::Request& req, CatalogueKind kind) {
  auto st = ctx.catalogue.remove(kind, req.param("id"));
  if (!st.ok()) return error_response(st.error(), req);
  return http::json_response(200,
                             json::object{{"message", std::string(singular_of(kind)) + " deleted"},
                                          {catalogue_id_field(kind), req.param("id")}});
}

Result<Paging> paging_params(const http::Request& req) {
  auto page = uint_param(req, "page", 1, 1, 1'000'000);
  COMPTOIR_TRY(page);
  auto size = uint_param(req, "size", 100, 1, 1000);
  COMPTOIR_TRY(size);
  return Paging{*page, *size};
}

http::Response list_answer(const Result<CataloguePage>& page, const Paging& paging,
                           std::string_view plural, const http::Request& req) {
  if (!page.ok()) return error_response(page.error(), req);
  json::array items;
  items.reserve(page->items.size());
  for (const auto& doc : page->items) items.emplace_back(doc);
  return http::json_response(200, json::object{{"count", page->count},
                                               {plural, std::move(items)},
                                               {"page", paging.page},
                                               {"size", paging.size}});
}

}  // namespace comptoir::api
