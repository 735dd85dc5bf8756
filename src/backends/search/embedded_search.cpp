// EmbeddedSearch: thin calls into engine::IndexCatalog.
#include "backends/search/embedded_search.h"

#include "engine/query/searcher.h"

namespace comptoir {

namespace {

// Pages of one scan, all read from the same snapshots (and the same clock for date
// math), so `_doc` positions, and thus search_after, stay valid from page to page
// whatever is indexed, deleted or merged meanwhile.
class SnapshotScanCursor final : public ScanCursor {
 public:
  SnapshotScanCursor(std::vector<engine::SnapshotPtr> snapshots, const ScanRequest& request)
      : snapshots_(std::move(snapshots)), request_(first_scan_page(request)) {
    options_.now_ms = engine::now_epoch_ms();
    options_.source_text = request.source_text;
  }

  Result<std::vector<engine::SearchHit>> next_page() override {
    if (done_) return std::vector<engine::SearchHit>{};
    auto response = engine::execute_search(snapshots_, request_, options_);
    COMPTOIR_TRY(response);
    std::vector<engine::SearchHit> hits = std::move(response->hits);
    if (static_cast<int64_t>(hits.size()) < request_.size) done_ = true;
    if (!hits.empty()) {
      if (hits.back().sort.empty()) return Error::internal("a scan page has no sort values");
      request_.search_after = hits.back().sort;
    }
    return hits;
  }

 private:
  std::vector<engine::SnapshotPtr> snapshots_;
  engine::SearchRequest request_;
  engine::SearchOptions options_;
  bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<EmbeddedSearch>> EmbeddedSearch::open(const std::filesystem::path& dir) {
  auto catalog = engine::IndexCatalog::open(dir);
  COMPTOIR_TRY(catalog);
  return std::unique_ptr<EmbeddedSearch>(new EmbeddedSearch(std::move(catalog.value())));
}

EmbeddedSearch::~EmbeddedSearch() {
  (void)catalog_->close();
}

Status EmbeddedSearch::ensure_index(std::string_view index, const boost::json::value& mapping) {
  if (catalog_->exists(std::string(index))) return {};
  auto parsed = engine::parse_mapping(mapping);
  COMPTOIR_TRY(parsed);
  auto created = catalog_->create(std::string(index), *parsed);
  // Another upload may have created it in between: that is what we wanted.
  if (!created.ok() && created.error().code != ErrorCode::kConflict) return created.error();
  return {};
}

Status EmbeddedSearch::map_source_only(std::string_view index,
                                       std::span<const std::string> fields) {
  auto target = catalog_->get_or_create(std::string(index));
  COMPTOIR_TRY(target);
  auto added = (*target)->map_source_only(fields);
  COMPTOIR_TRY(added);
  return {};
}

static_assert(SearchBackend::kSourceSlack >= engine::DocumentParser::kPadding);

Result<BulkOutcome> EmbeddedSearch::bulk_index(std::string_view index,
                                               std::vector<std::string> sources) {
  auto target = catalog_->get_or_create(std::string(index));
  COMPTOIR_TRY(target);
  std::vector<engine::BulkItem> items;
  items.reserve(sources.size());
  for (auto& s : sources) items.push_back({engine::BulkOp::kIndex, std::nullopt, std::move(s)});
  auto result = (*target)->bulk(items, /*refresh=*/true);
  COMPTOIR_TRY(result);
  BulkOutcome outcome;
  for (size_t i = 0; i < result->items.size(); ++i) {
    const auto& item = result->items[i];
    if (item.error) {
      outcome.failures.emplace_back(i, item.error->message);
    } else {
      ++outcome.indexed;
    }
  }
  return outcome;
}

Result<engine::SearchResponse> EmbeddedSearch::search(std::string_view expression,
                                                      const engine::SearchRequest& request) {
  return catalog_->search(std::string(expression), request);
}

Result<int64_t> EmbeddedSearch::count(std::string_view expression,
                                      const std::optional<engine::Query>& query) {
  return catalog_->count(std::string(expression), query);
}

Result<std::unique_ptr<ScanCursor>> EmbeddedSearch::scan(std::string_view expression,
                                                         const ScanRequest& request) {
  auto indices = catalog_->resolve(std::string(expression));
  COMPTOIR_TRY(indices);
  std::vector<engine::SnapshotPtr> snapshots;
  for (const auto& index : *indices) snapshots.push_back(index->snapshot());
  return std::unique_ptr<ScanCursor>(
      std::make_unique<SnapshotScanCursor>(std::move(snapshots), request));
}

Result<int64_t> EmbeddedSearch::delete_by_query(std::string_view expression,
                                                const engine::Query& query) {
  auto indices = catalog_->resolve(std::string(expression));
  COMPTOIR_TRY(indices);
  int64_t deleted = 0;
  for (const auto& index : *indices) {
    auto n = index->delete_by_query(query);
    COMPTOIR_TRY(n);
    COMPTOIR_TRY(index->refresh());
    deleted += *n;
  }
  return deleted;
}

Result<std::vector<IndexSummary>> EmbeddedSearch::list_indices(std::string_view expression) {
  std::vector<IndexSummary> out;
  for (const auto& info : catalog_->list(std::string(expression))) {
    out.push_back({info.name, info.docs, info.bytes});
  }
  return out;
}

Status EmbeddedSearch::delete_index(std::string_view name) {
  return catalog_->remove(std::string(name));
}

}  // namespace comptoir
