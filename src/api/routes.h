// The route table of the whole API (routes.cpp), in one screen.
#pragma once

#include "api/context.h"
#include "http/router.h"

namespace comptoir::api {

void register_routes(http::Router& router, ApiContext& ctx);

}  // namespace comptoir::api
