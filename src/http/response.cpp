// JSON and error responses.
#include "http/response.h"

#include <boost/json/serialize.hpp>

namespace comptoir::http {

Response json_response(unsigned status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

Response error_response(unsigned status, std::string_view message, std::string_view request_id) {
  return json_response(
      status,
      boost::json::object{{"error", message}, {"status", status}, {"request_id", request_id}});
}

}  // namespace comptoir::http
