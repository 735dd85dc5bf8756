// What a handler returns: status, content type, body and extra headers. The
// session turns it into a Beast message. Error bodies share one JSON shape:
// {"error": "<human message>", "status": <code>, "request_id": "<id>"}.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir::http {

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

Response json_response(unsigned status, const boost::json::value& body);
Response error_response(unsigned status, std::string_view message, std::string_view request_id);

}  // namespace comptoir::http
