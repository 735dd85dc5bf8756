// IndexCatalog: the named indices of one engine instance (one directory each under the
// data root, or in memory), with Elasticsearch's index-name rules and index expressions
// for searches: comma lists, wildcards ("ecommerce-logs-*") and exclusions ("-old-*").
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/index/index.h"

namespace comptoir::engine {

struct IndexInfo {
  std::string name;
  uint64_t docs = 0;
  uint64_t deleted = 0;
  uint64_t bytes = 0;
  size_t segments = 0;
};

class IndexCatalog {
 public:
  // Opens every index under `root` (created if missing); std::nullopt: in memory.
  static Result<std::unique_ptr<IndexCatalog>> open(std::optional<std::filesystem::path> root,
                                                    IndexSettings defaults = {});
  ~IndexCatalog();

  // index_already_exists_exception (kConflict) / invalid_index_name_exception.
  Result<std::shared_ptr<Index>> create(const std::string& name, const Mapping& mapping = {});
  Result<std::shared_ptr<Index>> get(const std::string& name) const;  // index_not_found_exception
  // What a bulk into a missing index does in ES: create it with dynamic mapping.
  Result<std::shared_ptr<Index>> get_or_create(const std::string& name);
  Status remove(const std::string& name);
  bool exists(const std::string& name) const;

  // Indices named by an expression, in name order. A concrete missing name is an
  // index_not_found_exception; a wildcard matching nothing is fine (allow_no_indices).
  Result<std::vector<std::shared_ptr<Index>>> resolve(const std::string& expression) const;
  std::vector<IndexInfo> list(const std::string& expression = "*") const;

  Result<SearchResponse> search(const std::string& expression, const SearchRequest& request,
                                const SearchOptions& options = {}) const;
  Result<int64_t> count(const std::string& expression, const std::optional<Query>& query,
                        const SearchOptions& options = {}) const;

  Status close();  // flushes and closes every index

 private:
  IndexCatalog(std::optional<std::filesystem::path> root, IndexSettings defaults)
      : root_(std::move(root)), defaults_(defaults) {}

  std::optional<std::filesystem::path> root_;
  IndexSettings defaults_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Index>> indices_;
};

// ES rules: lowercase, not "." / "..", no leading '-', '_' or '+', none of
// \ / * ? " < > | space , # :, at most 255 bytes.
Status validate_index_name(const std::string& name);

}  // namespace comptoir::engine
