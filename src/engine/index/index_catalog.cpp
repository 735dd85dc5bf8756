// Index catalogue: creation, lookup, deletion, listing and index expressions.
#include "engine/index/index_catalog.h"

#include <spdlog/spdlog.h>

#include "engine/dsl/dsl_error.h"
#include "engine/index/manifest.h"
#include "engine/schema/mapping.h"

namespace comptoir::engine {

namespace fs = std::filesystem;

Status validate_index_name(const std::string& name) {
  auto bad = [&](const std::string& why) {
    return dsl_error("invalid_index_name_exception", "Invalid index name [" + name + "], " + why);
  };
  if (name.empty()) return bad("must not be empty");
  if (name == "." || name == "..") return bad("must not be '.' or '..'");
  if (name.size() > 255)
    return bad("index name is too long, (" + std::to_string(name.size()) + " > 255)");
  if (name[0] == '-' || name[0] == '_' || name[0] == '+')
    return bad("must not start with '_', '-', or '+'");
  for (char c : name) {
    if (std::string_view("\\/*?\"<>| ,#:").find(c) != std::string_view::npos)
      return bad(
          "must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?, #, :]");
    if (c >= 'A' && c <= 'Z') return bad("must be lowercase");
  }
  return {};
}

Result<std::unique_ptr<IndexCatalog>> IndexCatalog::open(std::optional<fs::path> root,
                                                         IndexSettings defaults) {
  std::unique_ptr<IndexCatalog> cat(new IndexCatalog(root, defaults));
  if (!root) return cat;
  std::error_code ec;
  fs::create_directories(*root, ec);
  if (ec) return Error::io("cannot create " + root->string() + ": " + ec.message());
  for (const auto& entry : fs::directory_iterator(*root)) {
    if (!entry.is_directory()) continue;
    std::string name = entry.path().filename().string();
    if (!validate_index_name(name).ok() || !fs::exists(entry.path() / kManifestName)) continue;
    auto idx = Index::open(name, entry.path(), defaults);
    if (!idx) return Error(idx.error().code, "index [" + name + "]: " + idx.error().message);
    cat->indices_.emplace(name, std::shared_ptr<Index>(std::move(*idx)));
  }
  return cat;
}

IndexCatalog::~IndexCatalog() {
  Status s = close();
  if (!s.ok()) spdlog::warn("index catalogue close: {}", s.error().message);
}

Status IndexCatalog::close() {
  std::lock_guard lock(mu_);
  Status first;
  for (auto& [name, idx] : indices_) {
    Status s = idx->close();
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

Result<std::shared_ptr<Index>> IndexCatalog::create(const std::string& name,
                                                    const Mapping& mapping) {
  COMPTOIR_TRY(validate_index_name(name));
  std::lock_guard lock(mu_);
  if (indices_.count(name))
    return Error(ErrorCode::kConflict,
                 "resource_already_exists_exception: index [" + name + "] already exists");
  Result<std::unique_ptr<Index>> idx = root_
                                           ? Index::create(name, *root_ / name, mapping, defaults_)
                                           : Index::create_in_memory(name, mapping, defaults_);
  if (!idx) return idx.error();
  std::shared_ptr<Index> shared(std::move(*idx));
  indices_.emplace(name, shared);
  return shared;
}

Result<std::shared_ptr<Index>> IndexCatalog::get(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = indices_.find(name);
  if (it == indices_.end())
    return Error(ErrorCode::kNotFound, "index_not_found_exception: no such index [" + name + "]");
  return it->second;
}

Result<std::shared_ptr<Index>> IndexCatalog::get_or_create(const std::string& name) {
  {
    std::lock_guard lock(mu_);
    auto it = indices_.find(name);
    if (it != indices_.end()) return it->second;
  }
  auto created = create(name);
  if (!created && created.error().code == ErrorCode::kConflict) return get(name);
  return created;
}

bool IndexCatalog::exists(const std::string& name) const {
  std::lock_guard lock(mu_);
  return indices_.count(name) > 0;
}

Status IndexCatalog::remove(const std::string& name) {
  std::shared_ptr<Index> idx;
  {
    std::lock_guard lock(mu_);
    auto it = indices_.find(name);
    if (it == indices_.end())
      return Error(ErrorCode::kNotFound, "index_not_found_exception: no such index [" + name + "]");
    idx = it->second;
    indices_.erase(it);
  }
  (void)idx->close();
  if (idx->dir()) {
    std::error_code ec;
    fs::remove_all(*idx->dir(), ec);
    if (ec) return Error::io("cannot delete " + idx->dir()->string() + ": " + ec.message());
  }
  return {};
}

Result<std::vector<std::shared_ptr<Index>>> IndexCatalog::resolve(
    const std::string& expression) const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::shared_ptr<Index>> chosen;
  size_t start = 0;
  std::string expr = expression.empty() || expression == "_all" ? "*" : expression;
  while (start <= expr.size()) {
    size_t comma = expr.find(',', start);
    std::string part =
        expr.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? expr.size() + 1 : comma + 1;
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (part.empty()) continue;
    bool exclude = part[0] == '-' && !chosen.empty();
    if (exclude) part.erase(0, 1);
    if (part == "_all") part = "*";
    if (part.find('*') == std::string::npos) {
      auto it = indices_.find(part);
      if (exclude) {
        chosen.erase(part);
        continue;
      }
      if (it == indices_.end())
        return Error(ErrorCode::kNotFound,
                     "index_not_found_exception: no such index [" + part + "]");
      chosen.emplace(part, it->second);
      continue;
    }
    for (const auto& [name, idx] : indices_) {
      if (!field_pattern_match(part, name)) continue;
      if (exclude) {
        chosen.erase(name);
      } else {
        chosen.emplace(name, idx);
      }
    }
  }
  std::vector<std::shared_ptr<Index>> out;
  for (auto& [name, idx] : chosen) out.push_back(idx);
  return out;
}

std::vector<IndexInfo> IndexCatalog::list(const std::string& expression) const {
  std::vector<IndexInfo> out;
  auto indices = resolve(expression);
  if (!indices) return out;
  for (const auto& idx : *indices) {
    IndexStats st = idx->stats();
    out.push_back(IndexInfo{idx->name(), st.docs, st.deleted, st.bytes, st.segments});
  }
  return out;
}

Result<SearchResponse> IndexCatalog::search(const std::string& expression,
                                            const SearchRequest& request,
                                            const SearchOptions& options) const {
  auto indices = resolve(expression);
  if (!indices) return indices.error();
  std::vector<SnapshotPtr> snaps;
  for (const auto& idx : *indices) snaps.push_back(idx->snapshot());
  return execute_search(snaps, request, options);
}

Result<int64_t> IndexCatalog::count(const std::string& expression,
                                    const std::optional<Query>& query,
                                    const SearchOptions& options) const {
  auto indices = resolve(expression);
  if (!indices) return indices.error();
  std::vector<SnapshotPtr> snaps;
  for (const auto& idx : *indices) snaps.push_back(idx->snapshot());
  return execute_count(snaps, query, options);
}

}  // namespace comptoir::engine
