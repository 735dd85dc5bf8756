// LogSearch: validation, the search request, the scan.
#include "core/log_search.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <chrono>

#include "util/json_text.h"

namespace comptoir {

namespace {

struct SortName {
  std::string_view name;
  std::string_view field;
  std::string_view unmapped_type;
};

constexpr SortName kSortNames[] = {
    {"timestamp", "@timestamp", "date"},
    {"@timestamp", "@timestamp", "date"},
    {"level", "Level", "keyword"},
    {"Level", "Level", "keyword"},
    {"service", "Service", "keyword"},
    {"Service", "Service", "keyword"},
    {"user", "User", "keyword"},
    {"User", "User", "keyword"},
    {"message", "Message.keyword", "keyword"},
    {"Message", "Message.keyword", "keyword"},
    {"_score", "_score", ""},
    {"score", "_score", ""},
};

const SortName* find_sort(std::string_view name) {
  for (const auto& s : kSortNames)
    if (s.name == name) return &s;
  return nullptr;
}

// The sort of a search or a scan: the field, then `_doc` so that no two hits tie.
std::vector<engine::SortField> sort_for(const SortName& name, engine::SortOrder order) {
  std::vector<engine::SortField> sort;
  engine::SortField f;
  f.field = std::string(name.field);
  f.order = order;
  if (!name.unmapped_type.empty()) f.unmapped_type = std::string(name.unmapped_type);
  sort.push_back(std::move(f));
  engine::SortField doc;
  doc.field = "_doc";
  doc.order = engine::SortOrder::kAsc;
  sort.push_back(std::move(doc));
  return sort;
}

}  // namespace

std::optional<std::string_view> log_sort_field(std::string_view name) {
  const SortName* s = find_sort(name);
  if (s == nullptr) return std::nullopt;
  return s->field;
}

std::string_view log_sort_names() {
  return "timestamp, level, service, user, message, _score";
}

Status validate(const LogSearchRequest& r) {
  if (r.page < 1) {
    return Error::invalid_fields("page must be an integer of at least 1",
                                 {{"page", "must be an integer of at least 1"}});
  }
  if (r.size < 1 || r.size > kMaxLogPageSize) {
    return Error::invalid_fields(
        fmt::format("size must be an integer from 1 to {}", kMaxLogPageSize),
        {{"size", fmt::format("must be an integer from 1 to {}", kMaxLogPageSize)}});
  }
  if (r.from && (*r.from < 0 || *r.from > engine::kMaxResultWindow - r.size)) {
    return Error::invalid_fields(
        fmt::format("from must be an integer from 0 to {} - size", engine::kMaxResultWindow),
        {{"from", fmt::format("must be from 0 to {} - size", engine::kMaxResultWindow)}});
  }
  // Compared by division: page × size may not fit in 64 bits.
  if (!r.from && r.page > engine::kMaxResultWindow / r.size) {
    return Error::invalid_fields(
        fmt::format("page × size must be at most {}: narrow the filters or use the CSV export",
                    engine::kMaxResultWindow),
        {{"page", fmt::format("page × size must be at most {}", engine::kMaxResultWindow)}});
  }
  if (find_sort(r.sort) == nullptr) {
    return Error::invalid_fields(fmt::format("unknown sort field '{}'", r.sort),
                                 {{"sort", fmt::format("must be one of {}", log_sort_names())}});
  }
  return {};
}

std::string normalized_request(const LogSearchRequest& r) {
  const LogFilters& f = r.filters;
  return to_json_text(boost::json::array{
      f.query, f.syntax == QuerySyntax::kLucene ? "lucene" : "plain", f.level, f.service,
      f.start_date, f.end_date, first_hit(r), r.size, *log_sort_field(r.sort),
      r.order == engine::SortOrder::kAsc ? "asc" : "desc"});
}

int64_t first_hit(const LogSearchRequest& r) {
  return r.from ? *r.from : (r.page - 1) * r.size;
}

int64_t page_number(const LogSearchRequest& r) {
  return r.from ? *r.from / r.size + 1 : r.page;
}

Result<LogSearchPage> LogSearch::search(const LogSearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  COMPTOIR_TRY(validate(request));
  auto query = build_log_query(request.filters, zone_);
  COMPTOIR_TRY(query);

  engine::SearchRequest r;
  r.query = std::move(*query);
  r.from = first_hit(request);
  r.size = request.size;
  r.from_specified = r.size_specified = true;
  r.sort = sort_for(*find_sort(request.sort), request.order);
  r.track_total_hits.enabled = true;
  r.track_total_hits.up_to = INT64_MAX;
  r.track_total_hits.specified = true;
  auto response = backend_.search(kLogIndices, r);
  COMPTOIR_TRY(response);

  LogSearchPage page;
  page.total = response->total ? response->total->value : 0;
  page.hits = std::move(response->hits);
  page.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return page;
}

Result<std::unique_ptr<ScanCursor>> LogSearch::scan(const LogFilters& filters, int64_t page_size) {
  auto query = build_log_query(filters, zone_);
  COMPTOIR_TRY(query);
  ScanRequest request;
  request.query = std::move(*query);
  request.sort = sort_for(*find_sort("@timestamp"), engine::SortOrder::kDesc);
  request.page_size = page_size;
  request.source_text = true;  // exports read a few fields: no tree per hit
  return backend_.scan(kLogIndices, request);
}

}  // namespace comptoir
