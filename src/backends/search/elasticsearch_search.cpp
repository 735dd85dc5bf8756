// ElasticsearchSearch: each SearchBackend operation as the cluster's REST call.
#include "backends/search/elasticsearch_search.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <initializer_list>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include "engine/dsl/query_json.h"

namespace comptoir {
namespace {

namespace json = boost::json;

// A missing index or a pattern that matches nothing answers like an empty index.
constexpr std::string_view kLenient = "ignore_unavailable=true&allow_no_indices=true";
// Only what bulk_index reads from the (possibly large) answer of a _bulk request.
constexpr std::string_view kBulkFilter = "filter_path=errors,items.*.error,items.*.status";
// Only what list_indices reads from _stats.
constexpr std::string_view kStatsFilter =
    "filter_path=indices.*.primaries.docs.count,indices.*.total.store.size_in_bytes";
constexpr unsigned kBulkItemRetries = 3;  // for items the cluster rejected with 429
constexpr std::chrono::minutes kDeleteByQueryTimeout{10};

bool is_pattern(std::string_view expression) {
  return expression.find_first_of("*,") != std::string_view::npos;
}

// "type: reason (caused by ...)" of one failed bulk item.
std::string item_reason(const json::value& error) {
  if (!error.is_object()) return json::serialize(error);
  const auto& e = error.get_object();
  auto text = [&](const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  std::string out = text(e, "type");
  const std::string reason = text(e, "reason");
  if (!reason.empty()) out += out.empty() ? reason : ": " + reason;
  if (const auto* cause = e.if_contains("caused_by"); cause && cause->is_object()) {
    const std::string why = text(cause->get_object(), "reason");
    if (!why.empty() && reason.find(why) == std::string::npos) out += " (" + why + ")";
  }
  return out;
}

// The number at `path` in one index's _stats, 0 when absent.
uint64_t stats_number(const json::value& stats, std::initializer_list<std::string_view> path) {
  const json::value* v = &stats;
  for (std::string_view key : path) {
    v = v->is_object() ? v->get_object().if_contains(key) : nullptr;
    if (v == nullptr) return 0;
  }
  if (v->is_uint64()) return v->get_uint64();
  return v->is_int64() ? static_cast<uint64_t>(std::max<int64_t>(0, v->get_int64())) : 0;
}

std::string query_body(const std::optional<engine::Query>& query) {
  json::object body;
  if (query) body["query"] = engine::to_es_json(*query);
  return json::serialize(body);
}

}  // namespace

std::string ElasticsearchSearch::physical(std::string_view expression) const {
  const std::string& prefix = options_.index_prefix;
  if (prefix.empty()) return std::string(expression);
  std::string out;
  size_t pos = 0;
  while (pos <= expression.size()) {
    size_t comma = expression.find(',', pos);
    if (comma == std::string_view::npos) comma = expression.size();
    std::string_view part = expression.substr(pos, comma - pos);
    if (!out.empty()) out += ',';
    if (part.starts_with('-')) {  // an exclusion: -name
      out += '-';
      part.remove_prefix(1);
    }
    out += prefix;
    out += part;
    pos = comma + 1;
  }
  return out;
}

std::string ElasticsearchSearch::logical_name(std::string_view name) const {
  if (name.starts_with(options_.index_prefix)) name.remove_prefix(options_.index_prefix.size());
  return std::string(name);
}

std::string ElasticsearchSearch::path_of(std::string_view expression) const {
  return es_path_segment(physical(expression));
}

json::object ElasticsearchSearch::index_settings() const {
  json::object index;
  if (options_.shards) index["number_of_shards"] = *options_.shards;
  if (options_.replicas) index["number_of_replicas"] = *options_.replicas;
  if (index.empty()) return {};
  return json::object{{"index", std::move(index)}};
}

Result<std::unique_ptr<ElasticsearchSearch>> ElasticsearchSearch::open(
    ElasticsearchOptions options) {
  auto transport = EsTransport::create(options.transport);
  COMPTOIR_TRY(transport);
  return std::unique_ptr<ElasticsearchSearch>(new ElasticsearchSearch(
      std::shared_ptr<EsTransport>(std::move(transport.value())), std::move(options)));
}

Result<json::value> ElasticsearchSearch::call(EsRequest request, std::string_view what) {
  auto response = transport_->perform(request);
  COMPTOIR_TRY(response);
  return json_or_error(*response, what);
}

Status ElasticsearchSearch::ping() {
  auto root = call({.method = "GET", .path = "/"}, "ping");
  COMPTOIR_TRY(root);
  if (flavour_.load() == EsFlavour::kUnknown && root->is_object()) {
    // OpenSearch says so in version.distribution; Elasticsearch has no such field.
    const auto* version = root->get_object().if_contains("version");
    const auto* distribution = version && version->is_object()
                                   ? version->get_object().if_contains("distribution")
                                   : nullptr;
    const bool opensearch =
        distribution && distribution->is_string() && distribution->get_string() == "opensearch";
    flavour_.store(opensearch ? EsFlavour::kOpenSearch : EsFlavour::kElasticsearch);
  }
  return {};
}

Result<EsFlavour> ElasticsearchSearch::flavour() {
  if (flavour_.load() == EsFlavour::kUnknown) COMPTOIR_TRY(ping());
  return flavour_.load();
}

Status ElasticsearchSearch::prepare() {
  if (prepared_.load()) return {};
  // Two threads may both get here: installing a template twice is harmless.
  const json::object settings = index_settings();
  for (const auto& t : options_.templates) {
    json::array patterns;
    for (const auto& p : t.patterns) patterns.emplace_back(options_.index_prefix + p);
    json::object inner{{"mappings", t.mappings}};
    if (!settings.empty()) inner["settings"] = settings;
    const json::object body{{"index_patterns", std::move(patterns)},
                            {"priority", 200},
                            {"template", std::move(inner)},
                            {"_meta", {{"managed_by", "comptoir"}}}};
    const std::string text = json::serialize(body);
    auto put = call({.method = "PUT",
                     .path = "/_index_template/" + es_path_segment(options_.index_prefix + t.name),
                     .body = text},
                    fmt::format("install index template {}", t.name));
    COMPTOIR_TRY(put);
  }
  if (!options_.templates.empty()) {
    spdlog::info("elasticsearch: index templates installed on {}", transport_->describe_nodes());
  }
  prepared_.store(true);
  return {};
}

Status ElasticsearchSearch::ensure_index(std::string_view index,
                                         const boost::json::value& mapping) {
  COMPTOIR_TRY(prepare());
  const std::string path = "/" + path_of(index);
  auto head = transport_->perform({.method = "HEAD", .path = path});
  COMPTOIR_TRY(head);
  if (head->status == 200) return {};
  if (head->status != 404) return cluster_error(*head, fmt::format("check index {}", index));
  json::object create{{"mappings", mapping}};
  if (auto settings = index_settings(); !settings.empty()) create["settings"] = std::move(settings);
  const std::string body = json::serialize(create);
  auto created = transport_->perform({.method = "PUT", .path = path, .body = body});
  COMPTOIR_TRY(created);
  if (created->ok()) return {};
  const Error error = cluster_error(*created, fmt::format("create index {}", index));
  // Another upload created it in between: that is what we wanted.
  if (error.message.starts_with("resource_already_exists_exception")) return {};
  return error;
}

Status ElasticsearchSearch::map_source_only(std::string_view index,
                                            std::span<const std::string> fields) {
  COMPTOIR_TRY(prepare());
  const std::string path = "/" + path_of(index) + "/_mapping";
  auto current = call({.method = "GET", .path = path}, fmt::format("mapping of {}", index));
  COMPTOIR_TRY(current);
  // {"<physical index>": {"mappings": {"properties": {...}}}}: one index, whatever its name.
  const json::object* properties = nullptr;
  if (current->is_object() && current->get_object().size() == 1) {
    const json::value& entry = current->get_object().begin()->value();
    boost::system::error_code ec;
    if (const auto* p = entry.find_pointer("/mappings/properties", ec);
        p != nullptr && p->is_object()) {
      properties = &p->get_object();
    }
  }
  json::object additions;
  for (const std::string& name : fields) {
    if (name.empty() || name.find_first_of(".,*") != std::string::npos || name.starts_with('_'))
      continue;
    if (properties != nullptr && properties->contains(name)) continue;
    additions[name] = json::object{{"type", "object"}, {"enabled", false}};
  }
  if (additions.empty()) return {};
  const std::string body = json::serialize(json::object{{"properties", std::move(additions)}});
  auto put = call({.method = "PUT", .path = path, .body = body},
                  fmt::format("map source-only fields of {}", index));
  COMPTOIR_TRY(put);
  return {};
}

Status ElasticsearchSearch::send_bulk(std::string_view index, std::span<const std::string> sources,
                                      const std::vector<std::string>& compacted,
                                      std::vector<size_t> positions, std::string_view refresh,
                                      BulkOutcome& outcome) {
  const std::string path = fmt::format("/{}/_bulk?{}{}{}", path_of(index), kBulkFilter,
                                       refresh.empty() ? "" : "&refresh=", refresh);
  for (unsigned round = 0; !positions.empty(); ++round) {
    std::string body;
    for (size_t p : positions) {
      body += "{\"index\":{}}\n";
      body += compacted[p].empty() ? sources[p] : compacted[p];
      body += '\n';
    }
    // Not idempotent: documents get generated ids, a blind resend would duplicate them.
    auto response = transport_->perform({.method = "POST",
                                         .path = path,
                                         .body = body,
                                         .content_type = "application/x-ndjson",
                                         .idempotent = false});
    COMPTOIR_TRY(response);
    auto json = json_or_error(*response, fmt::format("bulk index into {}", index));
    COMPTOIR_TRY(json);
    const auto* items = json->is_object() ? json->get_object().if_contains("items") : nullptr;
    if (items == nullptr || !items->is_array() || items->get_array().size() != positions.size()) {
      return Error::internal(
          fmt::format("bulk index into {}: the answer does not have one item "
                      "per document",
                      index));
    }
    std::vector<size_t> rejected;  // 429: the node was too busy, worth another try
    const auto& array = items->get_array();
    for (size_t k = 0; k < array.size(); ++k) {
      const json::object* item = nullptr;
      if (array[k].is_object() && !array[k].get_object().empty() &&
          array[k].get_object().begin()->value().is_object()) {
        item = &array[k].get_object().begin()->value().get_object();
      }
      const json::value* error = item ? item->if_contains("error") : nullptr;
      if (error == nullptr) {
        ++outcome.indexed;
        continue;
      }
      const auto* status = item->if_contains("status");
      if (status && status->is_int64() && status->get_int64() == 429 && round < kBulkItemRetries) {
        rejected.push_back(positions[k]);
      } else {
        outcome.failures.emplace_back(positions[k], item_reason(*error));
      }
    }
    positions = std::move(rejected);
    if (!positions.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(200 << round));
  }
  return {};
}

Result<BulkOutcome> ElasticsearchSearch::bulk_index(std::string_view index,
                                                    std::vector<std::string> sources) {
  COMPTOIR_TRY(prepare());
  BulkOutcome outcome;
  // Batches bounded by count and bytes.
  std::vector<std::vector<size_t>> batches;
  std::vector<std::string> compacted(sources.size());  // sources that had a raw newline
  size_t bytes = 0;
  for (size_t i = 0; i < sources.size(); ++i) {
    // NDJSON: a source must be one line. JSON text only has raw newlines as whitespace.
    if (sources[i].find('\n') != std::string::npos) {
      boost::system::error_code ec;
      json::value v = json::parse(sources[i], ec);
      if (ec || !v.is_object()) {
        outcome.failures.emplace_back(i,
                                      "mapper_parsing_exception: the document is not a JSON "
                                      "object");
        continue;
      }
      compacted[i] = json::serialize(v);
    }
    const size_t size = (compacted[i].empty() ? sources[i].size() : compacted[i].size()) + 14;
    if (batches.empty() || batches.back().size() >= options_.bulk_max_docs ||
        (bytes + size > options_.bulk_max_bytes && !batches.back().empty())) {
      batches.emplace_back();
      bytes = 0;
    }
    batches.back().push_back(i);
    bytes += size;
  }
  // One batch asks for the refresh that makes it searchable (refresh=wait_for, or true).
  // Several batches are sent without and the index is refreshed once at the end: waiting
  // on each batch would cost up to a refresh interval per batch, and waiting on the last
  // one only would not cover the shards that the earlier batches wrote to.
  const std::string_view refresh =
      batches.size() == 1 ? (options_.forced_refresh ? "true" : "wait_for") : "";
  for (auto& batch : batches) {
    COMPTOIR_TRY(send_bulk(index, sources, compacted, std::move(batch), refresh, outcome));
  }
  if (batches.size() > 1) {
    auto refreshed =
        call({.method = "POST", .path = fmt::format("/{}/_refresh?{}", path_of(index), kLenient)},
             fmt::format("refresh {}", index));
    COMPTOIR_TRY(refreshed);
  }
  std::sort(outcome.failures.begin(), outcome.failures.end());
  return outcome;
}

Result<engine::SearchResponse> ElasticsearchSearch::search(std::string_view expression,
                                                           const engine::SearchRequest& request) {
  const std::string body = json::serialize(engine::to_es_json(request));
  auto json = call({.method = "POST",
                    .path = fmt::format("/{}/_search?{}", path_of(expression), kLenient),
                    .body = body},
                   fmt::format("search {}", expression));
  COMPTOIR_TRY(json);
  auto response = engine::parse_search_response(*json);
  COMPTOIR_TRY(response);
  for (auto& hit : response->hits) hit.index = logical_name(hit.index);
  return response;
}

Result<int64_t> ElasticsearchSearch::count(std::string_view expression,
                                           const std::optional<engine::Query>& query) {
  const std::string body = query_body(query);
  auto json = call({.method = "POST",
                    .path = fmt::format("/{}/_count?{}", path_of(expression), kLenient),
                    .body = body},
                   fmt::format("count {}", expression));
  COMPTOIR_TRY(json);
  const auto* n = json->is_object() ? json->get_object().if_contains("count") : nullptr;
  if (n == nullptr || !n->is_number()) {
    return Error::internal(fmt::format("count {}: the answer has no count", expression));
  }
  return n->to_number<int64_t>();
}

Result<std::unique_ptr<ScanCursor>> ElasticsearchSearch::scan(std::string_view expression,
                                                              const ScanRequest& request) {
  // A point in time needs at least one index (OpenSearch fails on an empty match);
  // with none, the portable cursor reads the empty answer.
  auto indices = list_indices(expression);
  COMPTOIR_TRY(indices);
  if (indices->empty()) return SearchBackend::scan(expression, request);
  auto kind = flavour();
  COMPTOIR_TRY(kind);
  auto cursor =
      EsPitCursor::open(transport_, *kind, physical(expression), options_.index_prefix, request);
  if (cursor.ok()) return std::unique_ptr<ScanCursor>(std::move(cursor.value()));
  const ErrorCode code = cursor.error().code;
  if (code != ErrorCode::kInvalidArgument && code != ErrorCode::kNotFound) return cursor.error();
  // A cluster without the point-in-time API (older versions): plain search_after.
  spdlog::warn("elasticsearch: no point in time ({}); the export reads with search_after",
               cursor.error().message);
  return SearchBackend::scan(expression, request);
}

Result<int64_t> ElasticsearchSearch::delete_by_query(std::string_view expression,
                                                     const engine::Query& query) {
  const std::string body = query_body(query);
  auto json = call(
      {.method = "POST",
       .path = fmt::format("/{}/_delete_by_query?refresh=true&conflicts=proceed&{}",
                           path_of(expression), kLenient),
       .body = body,
       .timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kDeleteByQueryTimeout)},
      fmt::format("delete by query in {}", expression));
  COMPTOIR_TRY(json);
  const json::object* o = json->if_object();
  if (o == nullptr) return Error::internal("delete by query: the answer is not an object");
  if (const auto* failures = o->if_contains("failures");
      failures && failures->is_array() && !failures->get_array().empty()) {
    return Error::internal(fmt::format("delete by query in {}: {}", expression,
                                       json::serialize(failures->get_array().front())));
  }
  const auto* deleted = o->if_contains("deleted");
  return deleted && deleted->is_number() ? deleted->to_number<int64_t>() : int64_t{0};
}

Result<std::vector<IndexSummary>> ElasticsearchSearch::list_indices(std::string_view expression) {
  // _stats rather than _cat/indices: OpenSearch 2.19's _cat/indices never answers when
  // ignore_unavailable drops every name of the expression.
  auto json = call({.method = "GET",
                    .path = fmt::format("/{}/_stats/docs,store?expand_wildcards=open&{}&{}",
                                        path_of(expression), kLenient, kStatsFilter)},
                   fmt::format("list indices {}", expression));
  COMPTOIR_TRY(json);
  if (!json->is_object()) return Error::internal("list indices: the answer is not an object");
  std::vector<IndexSummary> out;
  const auto* indices = json->get_object().if_contains("indices");
  if (indices == nullptr || !indices->is_object()) return out;  // nothing matched
  // Dot-prefixed indices belong to the cluster itself, never to Comptoir.
  const bool system_wanted = expression.starts_with('.');
  for (const auto& [name, stats] : indices->get_object()) {
    if (!system_wanted && name.starts_with('.')) continue;
    out.push_back({logical_name(name), stats_number(stats, {"primaries", "docs", "count"}),
                   stats_number(stats, {"total", "store", "size_in_bytes"})});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

Status ElasticsearchSearch::delete_index(std::string_view name) {
  // One index by name, as embedded: never a pattern that could drop many.
  if (name.empty() || is_pattern(name)) {
    return Error::not_found(fmt::format("index_not_found_exception: no such index [{}]", name));
  }
  auto json =
      call({.method = "DELETE", .path = "/" + path_of(name)}, fmt::format("delete {}", name));
  COMPTOIR_TRY(json);
  return {};
}

}  // namespace comptoir
