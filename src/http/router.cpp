// Router: a linear scan over a few dozen patterns, segment by segment, without
// allocating unless a route matches (measured in bench/http_bench.cpp).
#include "http/router.h"

#include <cassert>

namespace comptoir::http {
namespace {

// Calls f(segment) for each '/'-separated segment of `path` after the leading '/'.
// "/" has one empty segment; "/a/b" has "a" and "b".
template <typename F>
bool for_each_segment(std::string_view path, F&& f) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    if (!f(path.substr(0, slash))) return false;
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

void Router::add(beast_http::verb method, std::string_view pattern, Handler handler) {
  Route* route = nullptr;
  for (auto& r : routes_) {
    if (r.pattern == pattern) route = &r;
  }
  if (route == nullptr) {
    Route r;
    r.pattern = std::string(pattern);
    for_each_segment(pattern, [&](std::string_view seg) {
      const bool is_param = seg.size() > 2 && seg.front() == '<' && seg.back() == '>';
      r.segments.push_back({std::string(is_param ? seg.substr(1, seg.size() - 2) : seg), is_param});
      return true;
    });
    routes_.push_back(std::move(r));
    route = &routes_.back();
  }
  for ([[maybe_unused]] const auto& [m, h] : route->handlers) {
    assert(m != method && "route registered twice");
  }
  route->handlers.emplace_back(method, std::move(handler));
  route->allow.clear();
  bool has_get = false;
  for (const auto& [m, h] : route->handlers) {
    route->allow += std::string(beast_http::to_string(m)) + ", ";
    has_get |= m == beast_http::verb::get;
  }
  route->allow += has_get ? "HEAD, OPTIONS" : "OPTIONS";
}

Router::Lookup Router::find(beast_http::verb method, std::string_view path) const {
  const Route* best = nullptr;
  size_t best_literals = 0;
  for (const auto& route : routes_) {
    size_t i = 0;
    size_t literals = 0;
    const bool matched = for_each_segment(path, [&](std::string_view seg) {
      if (i >= route.segments.size()) return false;
      const Segment& s = route.segments[i++];
      if (s.is_param) return !seg.empty();
      ++literals;
      return seg == s.text;
    });
    if (!matched || i != route.segments.size()) continue;
    if (best == nullptr || literals > best_literals) {
      best = &route;
      best_literals = literals;
    }
  }
  Lookup out;
  if (best == nullptr) return out;

  const beast_http::verb wanted = method == beast_http::verb::head ? beast_http::verb::get : method;
  for (const auto& [m, h] : best->handlers) {
    if (m == wanted) out.handler = &h;
  }
  out.allow = best->allow;
  if (out.handler == nullptr) {
    out.outcome = Outcome::kMethodNotAllowed;
    return out;
  }
  out.outcome = Outcome::kFound;
  size_t i = 0;
  for_each_segment(path, [&](std::string_view seg) {
    const Segment& s = best->segments[i++];
    if (s.is_param) out.params.emplace_back(s.text, percent_decode(seg, false));
    return true;
  });
  return out;
}

}  // namespace comptoir::http
