// EsTransport: HTTP(S) requests to the nodes of an Elasticsearch / OpenSearch cluster,
// through libcurl. ELASTICSEARCH_HOST names one node or a comma list; requests go to
// them round-robin, and a node that refuses connections is skipped for a few seconds
// (failover). Credentials come from the URL (basic auth) or an API key. Easy handles
// are pooled, so their kept-alive connections are reused across calls from any thread.
// 429/502/503/504 answers and connection failures are retried with exponential
// back-off; once every node is known to be down, a request fails after one pass, so a
// dead cluster costs callers milliseconds, and the first request after it returns works.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/search/es_response.h"
#include "util/result.h"

namespace comptoir {

struct EsTransportOptions {
  std::string hosts = {};    // "http://a:9200" or "https://user:pass@a:9200,https://b:9200"
  std::string api_key = {};  // sent as `Authorization: ApiKey <key>` when set
  std::string ca_file = {};  // PEM bundle to verify the cluster's certificate (empty: system)
  bool verify_tls = true;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds request_timeout{30000};
  unsigned max_retries = 3;                // attempts after the first one
  std::chrono::milliseconds backoff{100};  // first wait; doubles after each retry
  std::chrono::milliseconds max_backoff{2000};
  std::chrono::milliseconds dead_node_period{5000};  // a refusing node is skipped this long
};

struct EsRequest {
  std::string_view method = "GET";  // GET, HEAD, POST, PUT, DELETE
  std::string path = {};            // "/index/_search?ignore_unavailable=true"
  std::string_view body = {};
  std::string_view content_type = "application/json";
  // False for requests that must not run twice (bulk without ids): a timeout after the
  // request was sent is then reported instead of retried.
  bool idempotent = true;
  std::optional<std::chrono::milliseconds> timeout = {};  // overrides request_timeout
};

class EsTransport {
 public:
  // Fails only on a malformed host list; nothing is contacted here.
  static Result<std::unique_ptr<EsTransport>> create(EsTransportOptions options);
  ~EsTransport();
  EsTransport(const EsTransport&) = delete;
  EsTransport& operator=(const EsTransport&) = delete;

  // Any HTTP answer is a response, except a retryable status (429/502/503/504) still
  // there after the retries: that, and a cluster that cannot be reached, is Unavailable.
  Result<EsResponse> perform(const EsRequest& request);

  // The nodes, without credentials, for messages ("http://a:9200, http://b:9200").
  std::string describe_nodes() const;

 private:
  struct Node {
    std::string base_url;  // scheme://host:port[/prefix], no trailing slash, no userinfo
    std::string username, password;
    std::atomic<int64_t> dead_until_ms{0};  // steady-clock ms; 0: believed alive
  };
  struct HandleDeleter {
    void operator()(void* handle) const;
  };
  using Handle = std::unique_ptr<void, HandleDeleter>;

  enum class Failure {
    kNone,
    kConnect,  // nothing was sent (refused, DNS, TLS handshake): safe to retry anywhere
    kDropped,  // the connection broke after sending: safe only for idempotent requests
    kFatal,    // a timeout after sending, certificate refused, ...: not retried
  };
  // One attempt on one node: an HTTP status, or a libcurl failure.
  struct Attempt {
    std::optional<EsResponse> response;
    std::string error;  // libcurl's message when there is no response
    Failure failure = Failure::kNone;
  };

  explicit EsTransport(EsTransportOptions options) : options_(std::move(options)) {}
  Attempt attempt(Node& node, const EsRequest& request);
  size_t pick_node(size_t from, const std::vector<bool>& tried) const;
  Handle take_handle();
  void give_back(Handle handle);

  const EsTransportOptions options_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::atomic<uint64_t> next_node_{0};
  std::mutex mutex_;          // guards idle_ (never held across I/O)
  std::vector<Handle> idle_;  // easy handles with their kept-alive connections
};

// Percent-encodes an index expression for a URL path; `*` and `,` stay as they are.
std::string es_path_segment(std::string_view expression);

}  // namespace comptoir
