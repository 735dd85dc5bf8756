// One HTTP request as handlers see it: the parsed Beast message, its path and
// query split, path parameters filled by the router, and the request id.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir::http {

namespace beast_http = boost::beast::http;
using RawRequest = beast_http::request<beast_http::string_body>;

using PathParams = std::vector<std::pair<std::string, std::string>>;

class Request {
 public:
  Request(const RawRequest& raw, std::string request_id);

  beast_http::verb method() const { return raw_.method(); }
  std::string_view method_string() const { return raw_.method_string(); }
  std::string_view target() const { return raw_.target(); }
  std::string_view path() const { return path_; }
  std::string_view query_string() const { return query_; }
  std::string_view body() const { return raw_.body(); }
  const std::string& request_id() const { return request_id_; }

  // A header's value, empty when absent.
  std::string_view header(std::string_view name) const;
  std::string_view header(beast_http::field name) const;

  // A path parameter captured by the router (`<key>` in the pattern); empty when
  // the route has none of that name.
  std::string_view param(std::string_view name) const;
  void set_params(PathParams params) { params_ = std::move(params); }

  // A query-string parameter, percent-decoded ('+' is a space); the first one
  // when repeated, nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;

 private:
  const RawRequest& raw_;
  std::string request_id_;
  std::string_view path_;
  std::string_view query_;
  PathParams params_;
};

// Percent-decodes `s`. With `plus_is_space`, '+' becomes ' ' (query strings).
// Malformed escapes are kept as they are.
std::string percent_decode(std::string_view s, bool plus_is_space);

}  // namespace comptoir::http
