// What a handler returns: status, content type, body and extra headers. The
// session turns it into a Beast message. Error bodies share one JSON shape:
// {"error": "<human message>", "status": <code>, "request_id": "<id>"}.
//
// A body too large to build in memory (an export) is a BodyStream instead: the
// session sends it with chunked transfer encoding, asking for the next piece only
// once the previous one is written to the socket, so any size takes the memory of
// one piece and a slow client slows the producer instead of filling memory.
#pragma once

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace comptoir::http {

class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Appends the next piece of the body to `out`; false when the piece appended is the
  // last one (it may be empty). Runs on the connection's thread. The status line is
  // sent by then, so an error (or an exception) cannot become an error status: the
  // session logs it and closes the connection without the final chunk, and the
  // client sees a truncated transfer, never a complete-looking body.
  virtual Result<bool> next(std::string& out) = 0;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<BodyStream> stream;  // when set, sent chunked and `body` is unused

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

Response json_response(unsigned status, const boost::json::value& body);
Response stream_response(unsigned status, std::string content_type,
                         std::shared_ptr<BodyStream> stream);
Response error_response(unsigned status, std::string_view message, std::string_view request_id);

}  // namespace comptoir::http
