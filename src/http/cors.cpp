// CorsPolicy: which origin to echo and which preflight headers to send.
#include "http/cors.h"

#include <algorithm>
#include <cctype>

namespace comptoir::http {
namespace {

constexpr std::string_view kAllowedMethods = "GET, POST, PUT, DELETE, OPTIONS";
constexpr std::string_view kAllowedHeaders[] = {"content-type", "authorization"};

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins)
    : origins_(std::move(origins)),
      any_origin_(std::find(origins_.begin(), origins_.end(), "*") != origins_.end()) {}

bool CorsPolicy::is_preflight(const Request& req) {
  return req.method() == beast_http::verb::options &&
         !req.header("Access-Control-Request-Method").empty();
}

std::string CorsPolicy::allowed_origin(const Request& req) const {
  if (any_origin_) return "*";
  const std::string_view origin = req.header(beast_http::field::origin);
  if (origin.empty()) return {};
  for (const auto& o : origins_) {
    if (o == origin) return o;
  }
  return {};
}

void CorsPolicy::decorate(const Request& req, Response& res) const {
  std::string origin = allowed_origin(req);
  if (!any_origin_) res.set_header("Vary", "Origin");
  if (origin.empty()) return;
  res.set_header("Access-Control-Allow-Origin", std::move(origin));
  res.set_header("Access-Control-Expose-Headers", "X-Request-Id");
}

void CorsPolicy::decorate_preflight(const Request& req, Response& res) const {
  if (allowed_origin(req).empty()) return;
  res.set_header("Access-Control-Allow-Methods", std::string(kAllowedMethods));
  // Echo the requested headers that are allowed, as Flask-CORS does.
  std::string_view requested = req.header("Access-Control-Request-Headers");
  std::string allowed;
  while (!requested.empty()) {
    const size_t comma = requested.find(',');
    const std::string name = lower_trimmed(requested.substr(0, comma));
    requested = comma == std::string_view::npos ? std::string_view() : requested.substr(comma + 1);
    if (std::find(std::begin(kAllowedHeaders), std::end(kAllowedHeaders), name) ==
        std::end(kAllowedHeaders)) {
      continue;
    }
    if (!allowed.empty()) allowed += ", ";
    allowed += name;
  }
  if (!allowed.empty()) res.set_header("Access-Control-Allow-Headers", std::move(allowed));
}

}  // namespace comptoir::http
