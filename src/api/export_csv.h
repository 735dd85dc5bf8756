// GET /api/export/csv: every log event matching q, level, service, start_date,
// end_date (as in POST /api/search; `syntax=lucene` too) as a CSV download, streamed
// with chunked transfer encoding in constant memory; `columns=` chooses the columns.
#pragma once

#include "api/context.h"
#include "http/request.h"
#include "http/response.h"

namespace comptoir::api {

http::Response get_export_csv(ApiContext& ctx, http::Request& req);

}  // namespace comptoir::api
