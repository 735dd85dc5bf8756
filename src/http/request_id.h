// Request ids: every response carries X-Request-Id. A client-supplied id that is
// short and plain (letters, digits, '-', '_', '.', at most 128 chars) is kept so
// traces can be followed across services; otherwise a new 16-hex-digit id is made.
#pragma once

#include <string>
#include <string_view>

namespace comptoir::http {

std::string new_request_id();
bool is_acceptable_request_id(std::string_view id);

}  // namespace comptoir::http
