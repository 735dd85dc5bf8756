// GET /api/orders?customer&start_date&end_date&page&size and the CRUD routes.
#include "api/orders.h"

#include "api/catalogue_documents.h"
#include "api/error_response.h"
#include "api/input.h"

namespace comptoir::api {

namespace {

Result<std::optional<std::string>> date_param(const http::Request& req, std::string_view name) {
  auto value = text_param(req, name);
  COMPTOIR_TRY(value);
  if (*value && !is_iso_date(**value)) {
    return Error::invalid_fields(
        std::string("parameter ") + std::string(name) + " must be a date (YYYY-MM-DD)",
        {{std::string(name), "must be a date (YYYY-MM-DD)"}});
  }
  return value;
}

}  // namespace

http::Response get_orders(ApiContext& ctx, http::Request& req) {
  OrderQuery q;
  auto paging = paging_params(req);
  if (!paging.ok()) return error_response(paging.error(), req);
  q.paging = *paging;
  auto customer = text_param(req, "customer");
  if (!customer.ok()) return error_response(customer.error(), req);
  q.customer = *customer;
  auto start = date_param(req, "start_date");
  if (!start.ok()) return error_response(start.error(), req);
  q.start_date = *start;
  auto end = date_param(req, "end_date");
  if (!end.ok()) return error_response(end.error(), req);
  q.end_date = *end;
  return list_answer(ctx.catalogue.list_orders(q), q.paging, "orders", req);
}

http::Response get_order(ApiContext& ctx, http::Request& req) {
  return get_document(ctx, req, CatalogueKind::kOrder);
}
http::Response post_order(ApiContext& ctx, http::Request& req) {
  return post_document(ctx, req, CatalogueKind::kOrder);
}
http::Response put_order(ApiContext& ctx, http::Request& req) {
  return put_document(ctx, req, CatalogueKind::kOrder);
}
http::Response delete_order(ApiContext& ctx, http::Request& req) {
  return delete_document(ctx, req, CatalogueKind::kOrder);
}

}  // namespace comptoir::api
