// The search-json command: parse_es_json() → SearchBackend::search() → to_es_json(),
// one body a line in, one response a line out.
#include "cli/search_json_command.h"

#include <cstdio>
#include <iostream>
#include <string>

#include <boost/json.hpp>

#include "core/application.h"
#include "engine/dsl/dsl_error.h"
#include "engine/dsl/search_request.h"
#include "engine/dsl/search_response.h"

namespace comptoir::cli {

namespace {

int http_status(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

std::string error_line(const Error& error) {
  const auto parts = engine::es_error_parts(error);
  const boost::json::object body{{"error", {{"type", parts.type}, {"reason", parts.reason}}},
                                 {"status", http_status(error)}};
  return boost::json::serialize(body);
}

}  // namespace

int run_search_json(const Config& config, const std::string& index) {
  auto app = Application::open(config);
  if (!app.ok()) {
    std::fprintf(stderr, "comptoir: %s\n", app.error().message.c_str());
    return 1;
  }
  SearchBackend& search = (*app)->services().search();
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto request = engine::parse_es_json(line);
    std::string out;
    if (!request.ok()) {
      out = error_line(request.error());
    } else if (auto response = search.search(index, *request); !response.ok()) {
      out = error_line(response.error());
    } else {
      out = boost::json::serialize(engine::to_es_json(*response));
    }
    out += '\n';
    if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
      std::fprintf(stderr, "comptoir: cannot write to standard output\n");
      return 1;
    }
  }
  return 0;
}

}  // namespace comptoir::cli
