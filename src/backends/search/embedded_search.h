// EmbeddedSearch: the SearchBackend on the in-process engine (engine/), one
// IndexCatalog in $COMPTOIR_DATA_DIR/index. Bulk batches are durable (WAL, fsync)
// and refreshed before bulk_index returns, as `refresh=wait_for` does on a cluster.
#pragma once

#include <filesystem>
#include <memory>

#include "backends/search/search_backend.h"
#include "engine/index/index_catalog.h"

namespace comptoir {

class EmbeddedSearch final : public SearchBackend {
 public:
  static Result<std::unique_ptr<EmbeddedSearch>> open(const std::filesystem::path& dir);
  ~EmbeddedSearch() override;

  std::string_view backend_name() const override { return "embedded"; }
  Status ping() override { return {}; }
  Status ensure_index(std::string_view index, const boost::json::value& mapping) override;
  Status map_source_only(std::string_view index, std::span<const std::string> fields) override;
  Result<BulkOutcome> bulk_index(std::string_view index, std::vector<std::string> sources) override;
  Result<engine::SearchResponse> search(std::string_view expression,
                                        const engine::SearchRequest& request) override;
  Result<int64_t> count(std::string_view expression,
                        const std::optional<engine::Query>& query) override;
  // Reads the snapshots of the indices taken when the scan starts: a point in time.
  Result<std::unique_ptr<ScanCursor>> scan(std::string_view expression,
                                           const ScanRequest& request) override;
  Result<int64_t> delete_by_query(std::string_view expression, const engine::Query& query) override;
  Result<std::vector<IndexSummary>> list_indices(std::string_view expression) override;
  Status delete_index(std::string_view name) override;

 private:
  explicit EmbeddedSearch(std::unique_ptr<engine::IndexCatalog> catalog)
      : catalog_(std::move(catalog)) {}
  std::unique_ptr<engine::IndexCatalog> catalog_;
};

}  // namespace comptoir
