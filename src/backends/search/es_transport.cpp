// EsTransport: node list parsing (curl_url), one libcurl attempt, and the retry loop
// that chooses the node of each attempt and the pauses between them.
#include "backends/search/es_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "util/monotonic_ms.h"

namespace comptoir {
namespace {

constexpr size_t kMaxIdleHandles = 16;
constexpr size_t kErrorBodyPreview = 300;

bool retryable_status(long status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t append_to_string(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// One part of a parsed URL, "" when absent.
std::string url_part(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return {};
  std::string out(value);
  curl_free(value);
  return out;
}

std::vector<std::string_view> split_hosts(std::string_view hosts) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= hosts.size()) {
    size_t comma = hosts.find(',', pos);
    if (comma == std::string_view::npos) comma = hosts.size();
    std::string_view item = hosts.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.push_back(item);
    pos = comma + 1;
  }
  return out;
}

std::string preview(std::string_view body) {
  std::string out(body.substr(0, kErrorBodyPreview));
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace

std::string es_path_segment(std::string_view expression) {
  std::string out;
  out.reserve(expression.size());
  for (unsigned char c : expression) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '*' || c == ',') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

void EsTransport::HandleDeleter::operator()(void* handle) const {
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

Result<std::unique_ptr<EsTransport>> EsTransport::create(EsTransportOptions options) {
  global_init_once();
  std::unique_ptr<EsTransport> transport(new EsTransport(std::move(options)));
  for (std::string_view host : split_hosts(transport->options_.hosts)) {
    std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
    const std::string text(host);
    if (!url || curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
      return Error::invalid(fmt::format("invalid ELASTICSEARCH_HOST: cannot parse a URL in '{}'",
                                        transport->describe_nodes()));
    }
    const std::string scheme = url_part(url.get(), CURLUPART_SCHEME);
    if (scheme != "http" && scheme != "https") {
      return Error::invalid(
          "invalid ELASTICSEARCH_HOST: each URL must start with http:// or https://");
    }
    auto node = std::make_unique<Node>();
    std::string path = url_part(url.get(), CURLUPART_PATH);
    while (!path.empty() && path.back() == '/') path.pop_back();
    node->base_url = fmt::format("{}://{}:{}{}", scheme, url_part(url.get(), CURLUPART_HOST),
                                 url_part(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT), path);
    node->username = url_part(url.get(), CURLUPART_USER, CURLU_URLDECODE);
    node->password = url_part(url.get(), CURLUPART_PASSWORD, CURLU_URLDECODE);
    transport->nodes_.push_back(std::move(node));
  }
  if (transport->nodes_.empty()) return Error::invalid("ELASTICSEARCH_HOST names no URL");
  return transport;
}

EsTransport::~EsTransport() = default;

std::string EsTransport::describe_nodes() const {
  std::string out;
  for (const auto& node : nodes_) {
    if (!out.empty()) out += ", ";
    out += node->base_url;
  }
  return out;
}

EsTransport::Handle EsTransport::take_handle() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      Handle handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  return Handle(curl_easy_init());
}

void EsTransport::give_back(Handle handle) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

EsTransport::Attempt EsTransport::attempt(Node& node, const EsRequest& request) {
  Attempt out;
  Handle handle = take_handle();
  CURL* curl = static_cast<CURL*>(handle.get());
  if (curl == nullptr) {
    out.error = "cannot allocate a libcurl handle";
    return out;
  }
  // reset() keeps the handle's open connections: only the options go.
  curl_easy_reset(curl);
  const std::string url = node.base_url + request.path;
  std::string body;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(request.timeout.value_or(options_.request_timeout).count()));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);

  curl_slist* raw_headers = nullptr;
  raw_headers = curl_slist_append(raw_headers, "Accept: application/json");
  raw_headers = curl_slist_append(raw_headers, "Expect:");  // no 100-continue round trip
  const std::string content_type = fmt::format("Content-Type: {}", request.content_type);
  const std::string api_key = fmt::format("Authorization: ApiKey {}", options_.api_key);
  if (!request.body.empty()) raw_headers = curl_slist_append(raw_headers, content_type.c_str());
  if (!options_.api_key.empty()) raw_headers = curl_slist_append(raw_headers, api_key.c_str());
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

  if (!node.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, node.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, node.password.c_str());
  }
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.verify_tls) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }

  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET" && request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    const std::string method(request.method);
    if (method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  const CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    out.response = EsResponse{status, std::move(body), node.base_url};
  } else {
    out.error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    curl_off_t pretransfer = 0;
    curl_easy_getinfo(curl, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
    switch (code) {
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
      case CURLE_SSL_CONNECT_ERROR:
        out.failure = Failure::kConnect;
        break;
      case CURLE_OPERATION_TIMEDOUT:
        // Timed out before anything was sent (the connect phase): nothing ran.
        out.failure = pretransfer == 0 ? Failure::kConnect : Failure::kFatal;
        break;
      case CURLE_SEND_ERROR:
      case CURLE_RECV_ERROR:
      case CURLE_GOT_NOTHING:
      case CURLE_PARTIAL_FILE:
        out.failure = Failure::kDropped;
        break;
      default:
        out.failure = Failure::kFatal;  // TLS verification, bad option: retrying won't help
    }
  }
  give_back(std::move(handle));
  return out;
}

size_t EsTransport::pick_node(size_t from, const std::vector<bool>& tried) const {
  const size_t n = nodes_.size();
  const int64_t now = monotonic_ms();
  auto alive = [&](size_t i) { return nodes_[i]->dead_until_ms.load() <= now; };
  for (int pass = 0; pass < 3; ++pass) {
    for (size_t k = 0; k < n; ++k) {
      const size_t i = (from + k) % n;
      const bool ok = pass == 0 ? !tried[i] && alive(i) : pass == 1 ? !tried[i] : alive(i);
      if (ok) return i;
    }
  }
  return from % n;
}

Result<EsResponse> EsTransport::perform(const EsRequest& request) {
  const size_t n = nodes_.size();
  const int64_t start = monotonic_ms();
  const bool all_dead = std::all_of(nodes_.begin(), nodes_.end(), [&](const auto& node) {
    return node->dead_until_ms.load() > start;
  });
  // A cluster known to be down gets one pass over its nodes and no pauses.
  const size_t max_attempts = all_dead ? n : std::max<size_t>(options_.max_retries + 1, n);
  std::vector<bool> tried(n, false);
  size_t cursor = next_node_.fetch_add(1);
  std::string last_error;
  bool pause = false;
  unsigned pauses = 0;
  thread_local std::minstd_rand jitter(std::random_device{}());
  for (size_t a = 0; a < max_attempts; ++a) {
    const size_t i = pick_node(cursor, tried);
    cursor = i + 1;
    if (pause || tried[i]) {
      auto wait =
          std::min(options_.max_backoff, options_.backoff * (int64_t{1} << std::min(pauses, 20u)));
      // Half to all of the wait, so that clients that failed together spread out.
      wait = wait / 2 + std::chrono::milliseconds(jitter() % (wait.count() / 2 + 1));
      std::this_thread::sleep_for(wait);
      ++pauses;
    }
    pause = false;
    tried[i] = true;
    Node& node = *nodes_[i];
    Attempt result = attempt(node, request);
    if (result.response) {
      node.dead_until_ms.store(0);
      if (!retryable_status(result.response->status)) return std::move(*result.response);
      last_error = fmt::format("{} answered HTTP {}: {}", node.base_url, result.response->status,
                               preview(result.response->body));
      pause = true;
      continue;
    }
    last_error = fmt::format("{}: {}", node.base_url, result.error);
    if (result.failure == Failure::kConnect) {
      node.dead_until_ms.store(monotonic_ms() + options_.dead_node_period.count());
      continue;
    }
    if (result.failure == Failure::kDropped && request.idempotent) continue;
    break;
  }
  return Error::unavailable(fmt::format("elasticsearch unavailable: {}", last_error));
}

}  // namespace comptoir
