// ScanCursor's portable implementation on search() and search_after.
#include "backends/search/scan_cursor.h"

#include <algorithm>

#include "backends/search/search_backend.h"

namespace comptoir {

engine::SearchRequest first_scan_page(const ScanRequest& request) {
  engine::SearchRequest r;
  r.query = request.query;
  r.size = std::clamp<int64_t>(request.page_size, 1, engine::kMaxResultWindow);
  r.size_specified = true;
  r.sort = request.sort;
  const bool has_tiebreaker = std::any_of(r.sort.begin(), r.sort.end(), [](const auto& s) {
    return s.field == "_doc" || s.field == "_shard_doc";
  });
  if (!has_tiebreaker) {
    engine::SortField doc;
    doc.field = "_doc";
    doc.order = engine::SortOrder::kAsc;
    r.sort.push_back(std::move(doc));
  }
  r.source = request.source;
  r.source_specified = true;
  r.track_total_hits.enabled = false;
  r.track_total_hits.specified = true;
  return r;
}

SearchAfterCursor::SearchAfterCursor(SearchBackend& backend, std::string expression,
                                     const ScanRequest& request)
    : backend_(backend), expression_(std::move(expression)), request_(first_scan_page(request)) {}

Result<std::vector<engine::SearchHit>> SearchAfterCursor::next_page() {
  if (done_) return std::vector<engine::SearchHit>{};
  auto response = backend_.search(expression_, request_);
  COMPTOIR_TRY(response);
  std::vector<engine::SearchHit> hits = std::move(response->hits);
  if (static_cast<int64_t>(hits.size()) < request_.size) done_ = true;
  if (!hits.empty()) {
    if (hits.back().sort.empty())
      return Error::internal("a scan page came back without sort values");
    request_.search_after = hits.back().sort;
  }
  return hits;
}

}  // namespace comptoir
