// The search entry point: runs a SearchRequest over snapshots of one or more indices
// (an index pattern), collecting exact totals, the top from+size hits with a bounded
// heap on sort keys read from doc values (or BM25 scores), search_after, and fetching
// _source for the returned hits only. Also count and delete-by-query matching.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "engine/dsl/search_request.h"
#include "engine/dsl/search_response.h"
#include "engine/index/snapshot.h"
#include "util/result.h"

namespace comptoir::engine {

struct SearchOptions {
  std::optional<int64_t> now_ms;  // clock for date math; default: the system clock
  // Hits carry the stored _source text (SearchHit::source_text) instead of a parsed tree,
  // unless the request filters the source.
  bool source_text = false;
};

int64_t now_epoch_ms();

Result<SearchResponse> execute_search(const std::vector<SnapshotPtr>& indices,
                                      const SearchRequest& request,
                                      const SearchOptions& options = {});

Result<int64_t> execute_count(const std::vector<SnapshotPtr>& indices,
                              const std::optional<Query>& query, const SearchOptions& options = {});

// Live docs of one snapshot matching `query`, per segment (index into snapshot.segments).
Result<std::vector<std::pair<size_t, Bitmap>>> match_live_docs(const IndexSnapshot& snapshot,
                                                               const Query& query,
                                                               const SearchOptions& options = {});

}  // namespace comptoir::engine
