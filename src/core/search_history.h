// Saved searches: the `searches` collection of the document store behind
// POST /api/search/save and GET /api/search/history. An entry keeps the search's
// query and filters, the time the client gives (`timestamp`, default now), the
// time it was saved, and a generated `id`; history is newest first.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <vector>

#include "backends/store/document_store.h"
#include "util/result.h"

namespace comptoir {

struct SearchHistoryPage {
  uint64_t count = 0;  // every saved search
  std::vector<boost::json::object> searches;
};

class SearchHistory {
 public:
  explicit SearchHistory(DocumentStore& store) : store_(store) {}

  // Validates (query: string; level, service, start_date, end_date: strings;
  // timestamp: ISO 8601) and stores; returns the stored entry with its id.
  Result<boost::json::object> save(const boost::json::object& body);
  Result<SearchHistoryPage> recent(uint64_t limit);

 private:
  DocumentStore& store_;
};

}  // namespace comptoir
