// Reading a cluster's answers: JSON bodies and the error envelope.
#include "backends/search/es_response.h"

#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include "engine/dsl/dsl_error.h"

namespace comptoir {
namespace {

std::string string_field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// ES's exception type and reason: the first root cause (the shard-level reason of a
// search_phase_execution_exception), else the top-level error.
engine::EsErrorParts error_parts(const boost::json::value& body) {
  const auto* root = body.if_object();
  const auto* error = root ? root->if_contains("error") : nullptr;
  if (error == nullptr) return {};
  if (error->is_string()) return {"", std::string(error->get_string())};
  if (!error->is_object()) return {};
  const auto& e = error->get_object();
  if (const auto* causes = e.if_contains("root_cause"); causes && causes->is_array() &&
                                                        !causes->get_array().empty() &&
                                                        causes->get_array().front().is_object()) {
    const auto& first = causes->get_array().front().get_object();
    engine::EsErrorParts parts{string_field(first, "type"), string_field(first, "reason")};
    if (!parts.reason.empty()) return parts;
  }
  return {string_field(e, "type"), string_field(e, "reason")};
}

}  // namespace

Result<boost::json::value> json_body(const EsResponse& response, std::string_view what) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(response.body, ec);
  if (ec) {
    return Error::internal(fmt::format("{}: {} answered HTTP {} with a body that is not JSON", what,
                                       response.node, response.status));
  }
  return v;
}

Error cluster_error(const EsResponse& response, std::string_view what) {
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(response.body, ec);
  engine::EsErrorParts parts = ec ? engine::EsErrorParts{} : error_parts(body);
  if (parts.reason.empty()) {
    parts.reason = response.body.empty() ? fmt::format("HTTP {}", response.status)
                                         : response.body.substr(0, 300);
  }
  const std::string typed =
      parts.type.empty() ? parts.reason : fmt::format("{}: {}", parts.type, parts.reason);
  switch (response.status) {
    case 400:
      return parts.type.empty() ? Error::invalid(parts.reason)
                                : engine::dsl_error(parts.type, parts.reason);
    case 404:
      return Error::not_found(typed);
    case 409:
      return Error::conflict(typed);
    case 413:
      return Error::too_large(fmt::format("{}: {}", what, typed));
    case 401:
    case 403:
      return Error::unavailable(fmt::format("elasticsearch at {} refused the credentials ({}): {}",
                                            response.node, response.status, typed));
    case 429:
    case 502:
    case 503:
    case 504:
      return Error::unavailable(
          fmt::format("elasticsearch at {} is overloaded or down: {}", response.node, typed));
    default:
      return Error::internal(fmt::format("{}: elasticsearch at {} answered HTTP {}: {}", what,
                                         response.node, response.status, typed));
  }
}

Result<boost::json::value> json_or_error(const EsResponse& response, std::string_view what) {
  if (!response.ok()) return cluster_error(response, what);
  return json_body(response, what);
}

}  // namespace comptoir
