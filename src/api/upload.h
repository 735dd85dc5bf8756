// POST /api/upload (multipart/form-data, field `file`, `?force=true` to re-index
// identical content) and the files registry: GET /api/files, GET and DELETE
// /api/files/<filename>.
#pragma once

#include "api/context.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response post_upload(ApiContext& ctx, http::Request& req);
http::Response get_files(ApiContext& ctx, http::Request& req);
http::Response get_file(ApiContext& ctx, http::Request& req);
http::Response delete_file(ApiContext& ctx, http::Request& req);

}  // namespace comptoir::api
