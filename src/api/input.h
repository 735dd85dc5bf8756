// Reading API input: a JSON object body, and typed query-string parameters. Each
// failure is an InvalidArgument naming the body or the parameter at fault.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "http/request.h"
#include "util/result.h"

namespace comptoir::api {

// The body parsed as a JSON object (strict JSON, valid UTF-8).
Result<boost::json::object> json_object_body(const http::Request& req);

// An integer query parameter in [min, max]; `fallback` when absent.
Result<uint64_t> uint_param(const http::Request& req, std::string_view name, uint64_t fallback,
                            uint64_t min, uint64_t max);

// A finite number query parameter; nullopt when absent.
Result<std::optional<double>> number_param(const http::Request& req, std::string_view name);

// A non-empty text query parameter (valid UTF-8, at most 1000 bytes); nullopt when
// absent or empty.
Result<std::optional<std::string>> text_param(const http::Request& req, std::string_view name);

// Whether `s` is valid UTF-8 without control characters other than tab.
bool is_clean_utf8(std::string_view s);

}  // namespace comptoir::api
