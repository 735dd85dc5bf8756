// ScanCursor: reads every hit of a query, page after page, in a total sort order,
// for exports that must not stop at the 10,000-result window. A cursor pulls one
// page at a time, so a caller streaming the hits holds one page in memory.
//
// SearchAfterCursor is the portable implementation: search() with `search_after`
// set to the last hit's sort values, the sort ending with `_doc` so that no two hits
// tie. It sees the data as each page finds it (a document indexed or deleted during
// the scan may be missed or seen); backends that can pin a point in time override
// SearchBackend::scan() with a cursor that reads one consistent view.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dsl/query.h"
#include "engine/dsl/search_request.h"
#include "engine/dsl/search_response.h"
#include "util/result.h"

namespace comptoir {

class SearchBackend;

struct ScanRequest {
  std::optional<engine::Query> query;   // none: every document
  std::vector<engine::SortField> sort;  // a `_doc` tiebreaker is appended when missing
  engine::SourceFilter source;          // which parts of _source to fetch
  int64_t page_size = 1000;             // hits per page, 1 to 10,000
  // Hits may carry the stored _source text (SearchHit::source_text) instead of a parsed
  // tree; the embedded engine does, a cluster keeps filling `source`.
  bool source_text = false;
};

class ScanCursor {
 public:
  virtual ~ScanCursor() = default;
  // The next page of hits, in sort order; an empty page once every hit was read.
  virtual Result<std::vector<engine::SearchHit>> next_page() = 0;
};

class SearchAfterCursor final : public ScanCursor {
 public:
  SearchAfterCursor(SearchBackend& backend, std::string expression, const ScanRequest& request);
  Result<std::vector<engine::SearchHit>> next_page() override;

 private:
  SearchBackend& backend_;
  std::string expression_;
  engine::SearchRequest request_;
  bool done_ = false;
};

// The request a cursor sends for its first page: size, sort with the `_doc`
// tiebreaker, no total (a scan never needs one), the source filter.
engine::SearchRequest first_scan_page(const ScanRequest& request);

}  // namespace comptoir
