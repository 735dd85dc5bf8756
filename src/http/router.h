// Route table lookup: method + path pattern → handler, with `<name>` path
// parameters (`/api/cache/<key>`). A literal segment wins over a parameter, so
// `/api/cache/stats` is not captured by `/api/cache/<key>`. Lookup tells apart
// "no such path" (404) from "path exists, method not allowed" (405 + Allow).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"

namespace comptoir::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  // Registers `handler` for `method` on `pattern`. Registering the same method and
  // pattern twice is a programming error (asserted).
  void add(beast_http::verb method, std::string_view pattern, Handler handler);

  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  struct Lookup {
    Outcome outcome = Outcome::kNotFound;
    const Handler* handler = nullptr;
    PathParams params;
    std::string_view allow;  // for kFound and kMethodNotAllowed: "GET, HEAD, OPTIONS"
  };

  // HEAD is answered by the GET handler (the session drops the body).
  Lookup find(beast_http::verb method, std::string_view path) const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter name
    bool is_param;
  };
  struct Route {
    std::string pattern;
    std::vector<Segment> segments;
    std::vector<std::pair<beast_http::verb, Handler>> handlers;
    std::string allow;  // the Allow header for this pattern
  };
  std::vector<Route> routes_;
};

}  // namespace comptoir::http
