// PortableScan: a SearchBackend that sends every call but scan() to another one, so
// that scans go through SearchBackend's default, the portable search_after cursor, and
// hits come back as search() answers them (with a parsed `_source`).
#pragma once

#include "backends/search/search_backend.h"

namespace comptoir {

class PortableScan final : public SearchBackend {
 public:
  explicit PortableScan(SearchBackend& inner) : inner_(inner) {}
  std::string_view backend_name() const override { return "portable"; }
  Status ping() override { return {}; }
  Status ensure_index(std::string_view i, const boost::json::value& m) override {
    return inner_.ensure_index(i, m);
  }
  Status map_source_only(std::string_view i, std::span<const std::string> f) override {
    return inner_.map_source_only(i, f);
  }
  Result<BulkOutcome> bulk_index(std::string_view i, std::vector<std::string> s) override {
    return inner_.bulk_index(i, std::move(s));
  }
  Result<engine::SearchResponse> search(std::string_view e,
                                        const engine::SearchRequest& r) override {
    return inner_.search(e, r);
  }
  Result<int64_t> count(std::string_view e, const std::optional<engine::Query>& q) override {
    return inner_.count(e, q);
  }
  Result<int64_t> delete_by_query(std::string_view e, const engine::Query& q) override {
    return inner_.delete_by_query(e, q);
  }
  Result<std::vector<IndexSummary>> list_indices(std::string_view e) override {
    return inner_.list_indices(e);
  }
  Status delete_index(std::string_view n) override { return inner_.delete_index(n); }

 private:
  SearchBackend& inner_;
};

}  // namespace comptoir
