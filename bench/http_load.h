// An HTTP load generator for end-to-end benchmarks: `connections` keep-alive
// connections on one thread, each sending the next request as soon as the previous
// answer is read (as wrk does), for a fixed duration. Reports throughput, latency
// percentiles and the statuses seen.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace comptoir::bench {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

struct LoadResult {
  uint64_t requests = 0;
  double seconds = 0;
  double requests_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::map<unsigned, uint64_t> statuses;
  uint64_t errors = 0;  // connection failures
};

// `make_request(n)` builds the n-th request (n counts across connections).
LoadResult run_http_load(uint16_t port, const std::function<HttpRequest(uint64_t)>& make_request,
                         unsigned connections, std::chrono::milliseconds duration);

// One request on a fresh connection; returns the status and fills `body`.
unsigned http_call(uint16_t port, const HttpRequest& request, std::string* body = nullptr);

// Latencies in milliseconds of `count` sequential requests on one connection.
LoadResult run_sequential(uint16_t port, const std::function<HttpRequest(uint64_t)>& make_request,
                          uint64_t count);

}  // namespace comptoir::bench
