// GET /api/products?category&q&min_price&max_price&page&size and the CRUD routes.
#include "api/products.h"

#include "api/catalogue_documents.h"
#include "api/error_response.h"
#include "api/input.h"

namespace comptoir::api {

http::Response get_products(ApiContext& ctx, http::Request& req) {
  ProductQuery q;
  auto paging = paging_params(req);
  if (!paging.ok()) return error_response(paging.error(), req);
  q.paging = *paging;
  auto category = text_param(req, "category");
  if (!category.ok()) return error_response(category.error(), req);
  q.category = *category;
  auto name = text_param(req, "q");
  if (!name.ok()) return error_response(name.error(), req);
  q.name_contains = *name;
  auto min_price = number_param(req, "min_price");
  if (!min_price.ok()) return error_response(min_price.error(), req);
  q.min_price = *min_price;
  auto max_price = number_param(req, "max_price");
  if (!max_price.ok()) return error_response(max_price.error(), req);
  q.max_price = *max_price;
  return list_answer(ctx.catalogue.list_products(q), q.paging, "products", req);
}

http::Response get_product(ApiContext& ctx, http::Request& req) {
  return get_document(ctx, req, CatalogueKind::kProduct);
}
http::Response post_product(ApiContext& ctx, http::Request& req) {
  return post_document(ctx, req, CatalogueKind::kProduct);
}
http::Response put_product(ApiContext& ctx, http::Request& req) {
  return put_document(ctx, req, CatalogueKind::kProduct);
}
http::Response delete_product(ApiContext& ctx, http::Request& req) {
  return delete_document(ctx, req, CatalogueKind::kProduct);
}

}  // namespace comptoir::api
