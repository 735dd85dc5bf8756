// EsPitCursor: open, page and close a point in time on either flavour.
#include "backends/search/es_pit_cursor.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace comptoir {
namespace {

// Long enough for a slow consumer between two pages; each page renews it.
constexpr std::string_view kKeepAlive = "2m";

}  // namespace

Result<std::unique_ptr<EsPitCursor>> EsPitCursor::open(std::shared_ptr<EsTransport> transport,
                                                       EsFlavour flavour,
                                                       std::string_view expression,
                                                       std::string index_prefix,
                                                       const ScanRequest& request) {
  const bool opensearch = flavour == EsFlavour::kOpenSearch;
  EsRequest open_request;
  open_request.method = "POST";
  open_request.path =
      fmt::format("/{}/{}?keep_alive={}&ignore_unavailable=true", es_path_segment(expression),
                  opensearch ? "_search/point_in_time" : "_pit", kKeepAlive);
  auto response = transport->perform(open_request);
  COMPTOIR_TRY(response);
  const std::string what = fmt::format("open a point in time on {}", expression);
  auto json = json_or_error(*response, what);
  COMPTOIR_TRY(json);
  const auto* id =
      json->is_object() ? json->get_object().if_contains(opensearch ? "pit_id" : "id") : nullptr;
  if (id == nullptr || !id->is_string()) {
    return Error::internal(fmt::format("{}: the answer has no id", what));
  }
  engine::SearchRequest first = first_scan_page(request);
  if (opensearch) {
    engine::SortField by_id;
    by_id.field = "_id";
    by_id.order = engine::SortOrder::kAsc;
    first.sort.push_back(std::move(by_id));
  }
  return std::unique_ptr<EsPitCursor>(new EsPitCursor(std::move(transport), flavour,
                                                      std::string(id->get_string()),
                                                      std::move(index_prefix), std::move(first)));
}

EsPitCursor::~EsPitCursor() {
  close();
}

Result<std::vector<engine::SearchHit>> EsPitCursor::next_page() {
  if (done_) return std::vector<engine::SearchHit>{};
  boost::json::value body = engine::to_es_json(request_);
  body.as_object()["pit"] = {{"id", pit_id_}, {"keep_alive", kKeepAlive}};
  const std::string text = boost::json::serialize(body);
  EsRequest search;
  search.method = "POST";
  search.path = "/_search";
  search.body = text;
  auto response = transport_->perform(search);
  COMPTOIR_TRY(response);
  auto json = json_or_error(*response, "scan a point in time");
  COMPTOIR_TRY(json);
  if (const auto* id = json->as_object().if_contains("pit_id"); id && id->is_string()) {
    pit_id_ = std::string(id->get_string());
  }
  auto parsed = engine::parse_search_response(*json);
  COMPTOIR_TRY(parsed);
  std::vector<engine::SearchHit> hits = std::move(parsed->hits);
  for (auto& hit : hits) {
    if (hit.index.starts_with(index_prefix_)) hit.index.erase(0, index_prefix_.size());
  }
  if (static_cast<int64_t>(hits.size()) < request_.size) {
    done_ = true;
    close();
  }
  if (!hits.empty()) {
    if (hits.back().sort.empty())
      return Error::internal("a scan page came back without sort values");
    request_.search_after = hits.back().sort;
  }
  return hits;
}

void EsPitCursor::close() {
  if (pit_id_.empty()) return;
  const bool opensearch = flavour_ == EsFlavour::kOpenSearch;
  boost::json::object body;
  if (opensearch) {
    body["pit_id"] = boost::json::array{boost::json::value(pit_id_)};
  } else {
    body["id"] = pit_id_;
  }
  const std::string text = boost::json::serialize(body);
  EsRequest request;
  request.method = "DELETE";
  request.path = opensearch ? "/_search/point_in_time" : "/_pit";
  request.body = text;
  auto response = transport_->perform(request);
  // A point in time left open expires by itself after its keep-alive: only log.
  if (!response.ok()) {
    spdlog::warn("could not close a point in time: {}", response.error().message);
  } else if (!response->ok()) {
    spdlog::warn("could not close a point in time: HTTP {}", response->status);
  }
  pit_id_.clear();
}

}  // namespace comptoir
