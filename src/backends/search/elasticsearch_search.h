// ElasticsearchSearch: the SearchBackend on an Elasticsearch 8 / OpenSearch 2 cluster
// (ELASTICSEARCH_HOST). Requests are the typed DSL serialised with to_es_json() and
// answers are read back with parse_search_response(), so core/ sees the same types as
// with the embedded engine. Index expressions are passed through with
// ignore_unavailable and allow_no_indices: a missing index gives an empty answer, as
// embedded. An optional prefix keeps several deployments apart on one cluster.
// Nothing is contacted at construction: the index templates are installed
// by prepare(), at start-up if the cluster answers and else before the first write.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "backends/search/es_pit_cursor.h"
#include "backends/search/es_transport.h"
#include "backends/search/search_backend.h"

namespace comptoir {

// An index template (`PUT _index_template/NAME`) with explicit mappings.
struct EsIndexTemplate {
  std::string name;
  std::vector<std::string> patterns;  // "ecommerce-logs-*"
  boost::json::value mappings;        // {"properties": {...}}
};

struct ElasticsearchOptions {
  EsTransportOptions transport = {};
  std::vector<EsIndexTemplate> templates = {};
  size_t bulk_max_docs = 1000;              // documents per _bulk request
  size_t bulk_max_bytes = size_t{5} << 20;  // NDJSON bytes per _bulk request
  // refresh=true instead of wait_for on uploads: answers at once instead of at the next
  // scheduled refresh (up to index.refresh_interval, 1 s, per index written), at the cost
  // of smaller segments.
  bool forced_refresh = false;
  // Put before every index (and template) name on the cluster, so that several
  // deployments share one cluster; callers never see it.
  std::string index_prefix = {};
  // index.number_of_shards / number_of_replicas of the indices Comptoir creates (through
  // its templates, and ensure_index); unset: the cluster's defaults.
  std::optional<uint32_t> shards = {};
  std::optional<uint32_t> replicas = {};
};

class ElasticsearchSearch final : public SearchBackend {
 public:
  // Fails only on a malformed host list.
  static Result<std::unique_ptr<ElasticsearchSearch>> open(ElasticsearchOptions options);

  std::string_view backend_name() const override { return "elasticsearch"; }
  Status ping() override;
  // Installs the index templates once the cluster answers; later calls cost nothing.
  Status prepare();
  // Elasticsearch or OpenSearch, from `GET /` (asked once).
  Result<EsFlavour> flavour();

  Status ensure_index(std::string_view index, const boost::json::value& mapping) override;
  Status map_source_only(std::string_view index, std::span<const std::string> fields) override;
  Result<BulkOutcome> bulk_index(std::string_view index, std::vector<std::string> sources) override;
  Result<engine::SearchResponse> search(std::string_view expression,
                                        const engine::SearchRequest& request) override;
  Result<int64_t> count(std::string_view expression,
                        const std::optional<engine::Query>& query) override;
  // A point in time (es_pit_cursor.h) on the indices that exist now.
  Result<std::unique_ptr<ScanCursor>> scan(std::string_view expression,
                                           const ScanRequest& request) override;
  Result<int64_t> delete_by_query(std::string_view expression, const engine::Query& query) override;
  Result<std::vector<IndexSummary>> list_indices(std::string_view expression) override;
  Status delete_index(std::string_view name) override;

 private:
  ElasticsearchSearch(std::shared_ptr<EsTransport> transport, ElasticsearchOptions options)
      : transport_(std::move(transport)), options_(std::move(options)) {}

  // Index names as the cluster knows them (with the prefix) and back.
  std::string physical(std::string_view expression) const;
  std::string logical_name(std::string_view name) const;
  std::string path_of(std::string_view expression) const;  // physical, URL-encoded
  // {"index": {"number_of_shards": …, "number_of_replicas": …}} from the options, or
  // an empty object.
  boost::json::object index_settings() const;
  Result<boost::json::value> call(EsRequest request, std::string_view what);
  // One _bulk request for `positions` of `sources` (or of `compacted`, where a source had
  // to be rewritten on one line); 429-rejected items are re-sent.
  Status send_bulk(std::string_view index, std::span<const std::string> sources,
                   const std::vector<std::string>& compacted, std::vector<size_t> positions,
                   std::string_view refresh, BulkOutcome& outcome);

  std::shared_ptr<EsTransport> transport_;  // shared with open scan cursors
  const ElasticsearchOptions options_;
  std::atomic<bool> prepared_{false};
  std::atomic<EsFlavour> flavour_{EsFlavour::kUnknown};
};

}  // namespace comptoir
