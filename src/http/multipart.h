// multipart/form-data (RFC 7578) over a body already in memory: the parts are
// string_views into the body, so a 16 MiB upload is never copied by the parser.
// Understands the boundary parameter (quoted or not), part headers
// Content-Disposition (name, filename, RFC 5987 filename*) and Content-Type, and
// rejects what is malformed with a message saying what is wrong.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace comptoir::http {

struct MultipartPart {
  std::string name;                     // the form field name
  std::optional<std::string> filename;  // as sent (decoded from filename* when present)
  std::string content_type;             // empty when the part has none
  std::string_view data;                // into the request body
};

// The boundary of a `multipart/form-data; boundary=...` Content-Type value;
// InvalidArgument when the type is not multipart/form-data or has no boundary.
Result<std::string> multipart_boundary(std::string_view content_type);

Result<std::vector<MultipartPart>> parse_multipart(std::string_view content_type,
                                                   std::string_view body);

}  // namespace comptoir::http
