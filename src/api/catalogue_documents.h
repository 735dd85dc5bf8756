// The handlers products and orders share: one document by id (GET, PUT, DELETE),
// creation (POST), and the list answer {count, <plural>: [...], page, size}.
#pragma once

#include "api/context.h"
#include "core/catalogue.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response get_document(ApiContext& ctx, http::Request& req, CatalogueKind kind);
http::Response post_document(ApiContext& ctx, http::Request& req, CatalogueKind kind);
http::Response put_document(ApiContext& ctx, http::Request& req, CatalogueKind kind);
http::Response delete_document(ApiContext& ctx, http::Request& req, CatalogueKind kind);

// Page and size query parameters (page ≥ 1, 1 ≤ size ≤ 1000, default 100).
Result<Paging> paging_params(const http::Request& req);

http::Response list_answer(const Result<CataloguePage>& page, const Paging& paging,
                           std::string_view plural, const http::Request& req);

}  // namespace comptoir::api
