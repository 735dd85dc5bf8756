// SearchBackend: where log events and sales lines are indexed and searched, in
// the typed Elasticsearch DSL of engine/dsl. Two implementations: EmbeddedSearch
// (the in-process engine, the default) and, with ELASTICSEARCH_HOST, a cluster
// over HTTP. core/ builds requests; both backends answer with the same types, so
// the same request gives the same answer on either (docs/compat.md lists the
// deliberate differences).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "backends/search/scan_cursor.h"
#include "engine/dsl/query.h"
#include "engine/dsl/search_request.h"
#include "engine/dsl/search_response.h"
#include "util/result.h"

namespace comptoir {

// What happened to a batch of documents sent to one index.
struct BulkOutcome {
  uint64_t indexed = 0;
  // Per-document failures: position in the batch and the reason (a mapping
  // conflict, for instance), as Elasticsearch reports per bulk item.
  std::vector<std::pair<size_t, std::string>> failures;
};

struct IndexSummary {
  std::string name;
  uint64_t docs = 0;
  uint64_t bytes = 0;
};

class SearchBackend {
 public:
  virtual ~SearchBackend() = default;
  virtual std::string_view backend_name() const = 0;  // "embedded" or "elasticsearch"
  virtual Status ping() = 0;

  // Creates `index` with `mapping` (Elasticsearch's JSON form) unless it exists.
  virtual Status ensure_index(std::string_view index, const boost::json::value& mapping) = 0;

  // Maps those of `fields` (plain names, no dots) that `index` does not map yet as
  // disabled objects ({"type": "object", "enabled": false}): kept in _source, not searchable.
  // Ingestion uses it for original fields whose values a canonical field carries, so
  // they are not indexed twice. Fields already mapped are left as they are.
  virtual Status map_source_only(std::string_view index, std::span<const std::string> fields) = 0;

  // Indexes `sources` (JSON objects as text) into `index`, created with dynamic
  // mapping when missing, and makes them searchable before returning. The texts are
  // the backend's: an upload's batch moves in, and the embedded engine keeps them for
  // its bulk without copying them again (nor for parsing, when a text has
  // kSourceSlack bytes of spare capacity).
  virtual Result<BulkOutcome> bulk_index(std::string_view index,
                                         std::vector<std::string> sources) = 0;
  static constexpr size_t kSourceSlack = 64;

  // `expression`: an index name, a pattern (ecommerce-logs-*) or a comma list.
  virtual Result<engine::SearchResponse> search(std::string_view expression,
                                                const engine::SearchRequest& request) = 0;
  virtual Result<int64_t> count(std::string_view expression,
                                const std::optional<engine::Query>& query) = 0;
  // Every hit of `request.query`, page by page (scan_cursor.h), for exports. The
  // default reads through search() + search_after; a backend that can pin a point in
  // time overrides it to read one consistent view.
  virtual Result<std::unique_ptr<ScanCursor>> scan(std::string_view expression,
                                                   const ScanRequest& request) {
    return std::unique_ptr<ScanCursor>(
        std::make_unique<SearchAfterCursor>(*this, std::string(expression), request));
  }
  virtual Result<int64_t> delete_by_query(std::string_view expression,
                                          const engine::Query& query) = 0;

  virtual Result<std::vector<IndexSummary>> list_indices(std::string_view expression) = 0;
  virtual Status delete_index(std::string_view name) = 0;
};

}  // namespace comptoir
