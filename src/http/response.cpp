// JSON and error responses.
#include "http/response.h"

#include "util/json_text.h"

namespace comptoir::http {

Response json_response(unsigned status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = to_json_text(body);
  return r;
}

Response stream_response(unsigned status, std::string content_type,
                         std::shared_ptr<BodyStream> stream) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.stream = std::move(stream);
  return r;
}

Response error_response(unsigned status, std::string_view message, std::string_view request_id) {
  return json_response(
      status,
      boost::json::object{{"error", message}, {"status", status}, {"request_id", request_id}});
}

}  // namespace comptoir::http
