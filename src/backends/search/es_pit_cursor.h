// EsPitCursor: an export scan on a cluster that reads one consistent view, a point in
// time, page after page with search_after. The API differs by flavour: Elasticsearch 8
// opens `POST /INDEX/_pit` (answer `id`), closes `DELETE /_pit`, and adds an implicit
// `_shard_doc` tiebreaker; OpenSearch 2 opens `POST /INDEX/_search/point_in_time`
// (answer `pit_id`), closes `DELETE /_search/point_in_time`, and has no `_shard_doc`,
// so the cursor appends `_id` to the sort to make it total across shards.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "backends/search/es_transport.h"
#include "backends/search/scan_cursor.h"

namespace comptoir {

enum class EsFlavour { kUnknown, kElasticsearch, kOpenSearch };

class EsPitCursor final : public ScanCursor {
 public:
  // Opens the point in time on `expression`, which must match at least one index.
  // `index_prefix` is removed from the hits' index names.
  static Result<std::unique_ptr<EsPitCursor>> open(std::shared_ptr<EsTransport> transport,
                                                   EsFlavour flavour, std::string_view expression,
                                                   std::string index_prefix,
                                                   const ScanRequest& request);
  ~EsPitCursor() override;  // closes the point in time if the scan did not finish

  Result<std::vector<engine::SearchHit>> next_page() override;

 private:
  EsPitCursor(std::shared_ptr<EsTransport> transport, EsFlavour flavour, std::string pit_id,
              std::string index_prefix, engine::SearchRequest request)
      : transport_(std::move(transport)),
        flavour_(flavour),
        pit_id_(std::move(pit_id)),
        index_prefix_(std::move(index_prefix)),
        request_(std::move(request)) {}
  void close();

  std::shared_ptr<EsTransport> transport_;
  EsFlavour flavour_;
  std::string pit_id_;  // the latest id the cluster gave; empty once closed
  std::string index_prefix_;
  engine::SearchRequest request_;
  bool done_ = false;
};

}  // namespace comptoir
