// EsResponse: one HTTP answer of an Elasticsearch / OpenSearch node, and how its
// error bodies ({"error":{"root_cause":[...],"type","reason"},"status"}) become Comptoir
// Errors: 400 → InvalidArgument carrying ES's exception type and reason (as the DSL's own
// errors do, dsl_error.h), 404 → NotFound, 409 → Conflict, 413 → TooLarge, refused
// credentials and overload → Unavailable, anything else → Internal.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "util/result.h"

namespace comptoir {

struct EsResponse {
  long status = 0;
  std::string body;
  std::string node;  // which node answered, without credentials

  bool ok() const { return status >= 200 && status < 300; }
};

// The body as JSON; Internal (naming `what`) when it is not JSON.
Result<boost::json::value> json_body(const EsResponse& response, std::string_view what);

// The Error for a non-2xx answer to `what` ("search ecommerce-logs-*").
Error cluster_error(const EsResponse& response, std::string_view what);

// A 2xx answer parsed as JSON, or the cluster's error.
Result<boost::json::value> json_or_error(const EsResponse& response, std::string_view what);

}  // namespace comptoir
