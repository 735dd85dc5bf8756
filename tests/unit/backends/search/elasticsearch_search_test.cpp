// ElasticsearchSearch against a real cluster (COMPTOIR_TEST_ES_URL, printed by
// `scripts/services start es`): templates and explicit mappings, bulk batches and
// per-item failures, search / count / delete_by_query / list / delete round trips,
// patterns over missing indices, point-in-time scans, cluster errors as Errors, and
// failover past a dead node. Each test works under its own random index prefix.
#include "backends/search/elasticsearch_search.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <set>

#include "../real_servers.h"
#include "engine/dsl/query_json.h"

namespace comptoir {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

engine::SearchRequest request_of(std::string_view body) {
  auto r = engine::parse_es_json(body);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? std::move(r.value()) : engine::SearchRequest{};
}

engine::Query query_of(std::string_view text) {
  auto q = engine::parse_query(json::parse(text));
  EXPECT_TRUE(q.ok()) << q.error().message;
  return q.ok() ? std::move(q.value()) : engine::Query{};
}

class ElasticsearchSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    COMPTOIR_REAL_SERVER_URL(url_, "COMPTOIR_TEST_ES_URL", "es");
    prefix_ = "comptoir-test-" + testing::random_name(8) + "-";
    backend_ = open({});
    auto t = EsTransport::create({.hosts = url_});
    ASSERT_TRUE(t.ok());
    admin_ = std::move(t.value());
  }
  void TearDown() override {
    if (!backend_) return;
    auto indices = backend_->list_indices(prefix_ + "*");
    if (indices.ok()) {
      for (const auto& i : *indices) (void)backend_->delete_index(i.name);
    }
    for (const auto& name : templates_) {
      (void)admin_->perform({.method = "DELETE", .path = "/_index_template/" + name});
    }
  }

  std::unique_ptr<ElasticsearchSearch> open(ElasticsearchOptions options) {
    if (options.transport.hosts.empty()) options.transport.hosts = url_;
    auto backend = ElasticsearchSearch::open(std::move(options));
    EXPECT_TRUE(backend.ok()) << backend.error().message;
    return backend.ok() ? std::move(backend.value()) : nullptr;
  }

  // The cluster's mapping of `field` in `index`, e.g. {"type":"keyword"}.
  json::value field_mapping(const std::string& index, const std::string& field) {
    auto r = admin_->perform({.method = "GET", .path = "/" + index + "/_mapping"});
    EXPECT_TRUE(r.ok() && r->status == 200);
    if (!r.ok()) return nullptr;
    const json::value v = json::parse(r->body);
    const auto* props = v.at(index).at("mappings").as_object().if_contains("properties");
    if (props == nullptr) return nullptr;
    const auto* f = props->as_object().if_contains(field);
    return f ? *f : json::value(nullptr);
  }

  // Documents {"n": i, "level": ERROR|INFO alternately} for i in [0, count).
  std::vector<std::string> numbered_docs(int count) {
    std::vector<std::string> docs;
    for (int i = 0; i < count; ++i) {
      docs.push_back(json::serialize(
          json::object{{"n", i}, {"level", i % 2 == 0 ? "ERROR" : "INFO"}, {"msg", "doc"}}));
    }
    return docs;
  }

  std::string url_, prefix_;
  std::unique_ptr<ElasticsearchSearch> backend_;
  std::unique_ptr<EsTransport> admin_;
  std::vector<std::string> templates_;
};

TEST_F(ElasticsearchSearchTest, PingsAndKnowsTheFlavour) {
  ASSERT_TRUE(backend_->ping().ok());
  auto flavour = backend_->flavour();
  ASSERT_TRUE(flavour.ok());
  EXPECT_NE(*flavour, EsFlavour::kUnknown);
  EXPECT_EQ(backend_->backend_name(), "elasticsearch");
}

TEST_F(ElasticsearchSearchTest, TemplatesGiveNewIndicesTheirMappings) {
  const std::string name = prefix_ + "template";
  templates_.push_back(name);
  backend_ = open(
      {.templates = {
           {name, {prefix_ + "logs-*"}, json::parse(R"({"properties":{"Level":{"type":"keyword"},
                                                   "Duration":{"type":"long"}}})")}}});
  ASSERT_TRUE(backend_->prepare().ok());
  const std::string index = prefix_ + "logs-2025.01.02";
  auto bulk = backend_->bulk_index(index, std::vector<std::string>{R"({"Level":"ERROR"})"});
  ASSERT_TRUE(bulk.ok()) << bulk.error().message;
  EXPECT_EQ(bulk->indexed, 1u);
  // Dynamic mapping would have made Level a text field with a .keyword sub-field.
  EXPECT_EQ(field_mapping(index, "Level").at("type"), "keyword");
  EXPECT_EQ(field_mapping(index, "Duration").at("type"), "long");
}

TEST_F(ElasticsearchSearchTest, EnsureIndexCreatesWithTheMappingOnce) {
  const std::string index = prefix_ + "sales";
  const json::value mapping = json::parse(R"({"properties":{"revenue":{"type":"double"}}})");
  ASSERT_TRUE(backend_->ensure_index(index, mapping).ok());
  EXPECT_TRUE(backend_->ensure_index(index, mapping).ok());
  EXPECT_EQ(field_mapping(index, "revenue").at("type"), "double");
  auto bad = backend_->ensure_index(prefix_ + "UPPER", mapping);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument) << bad.error().message;
}

// Source-only fields: unmapped names become disabled objects; mapped ones, dotted and
// reserved names are left alone; the values (of any type) stay in _source.
TEST_F(ElasticsearchSearchTest, MapSourceOnlyDisablesNewNames) {
  const std::string index = prefix_ + "logs-2025.01.03";
  ASSERT_TRUE(
      backend_->ensure_index(index, json::parse(R"({"properties":{"Level":{"type":"keyword"}}})"))
          .ok());
  const std::vector<std::string> fields = {"level", "Level", "a.b", "_meta"};
  ASSERT_TRUE(backend_->map_source_only(index, fields).ok());
  EXPECT_TRUE(backend_->map_source_only(index, fields).ok());  // nothing new: no change
  EXPECT_EQ(field_mapping(index, "level").at("enabled"), false);
  EXPECT_EQ(field_mapping(index, "Level").at("type"), "keyword");
  EXPECT_TRUE(field_mapping(index, "a").is_null());
  auto bulk = backend_->bulk_index(
      index, std::vector<std::string>{R"({"level":"WARN","Level":"WARNING"})", R"({"level":42})",
                                      R"({"level":{"a":[1,"x"]}})"});
  ASSERT_TRUE(bulk.ok()) << bulk.error().message;
  EXPECT_EQ(bulk->indexed, 3u);
  auto hits = backend_->search(index, request_of(R"({"query":{"term":{"Level":"WARNING"}}})"));
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_EQ(hits->hits.size(), 1u);
  EXPECT_EQ(hits->hits[0].source->at("level"), "WARN");
}

// COMPTOIR_ES_SHARDS / COMPTOIR_ES_REPLICAS: both ways Comptoir creates an index (its
// templates, and ensure_index) give it those settings.
TEST_F(ElasticsearchSearchTest, ShardsAndReplicasApplyToTheIndicesItCreates) {
  const std::string name = prefix_ + "sharded";
  templates_.push_back(name);
  backend_ = open(
      {.templates = {{name, {prefix_ + "logs-*"}, json::object{}}}, .shards = 3, .replicas = 0});
  auto index_setting = [&](const std::string& index, std::string_view key) -> std::string {
    auto r = admin_->perform({.method = "GET", .path = "/" + index + "/_settings"});
    EXPECT_TRUE(r.ok() && r->status == 200);
    if (!r.ok() || r->status != 200) return "";
    const auto& v = json::parse(r->body).at(index).at("settings").at("index").at(key);
    return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
  };
  const std::string templated = prefix_ + "logs-2025.01.02";
  auto bulk = backend_->bulk_index(templated, numbered_docs(30));
  ASSERT_TRUE(bulk.ok()) << bulk.error().message;
  EXPECT_EQ(bulk->indexed, 30u);
  EXPECT_EQ(index_setting(templated, "number_of_shards"), "3");
  EXPECT_EQ(index_setting(templated, "number_of_replicas"), "0");
  EXPECT_EQ(*backend_->count(templated, std::nullopt), 30);

  const std::string created = prefix_ + "sales";
  ASSERT_TRUE(backend_->ensure_index(created, json::object{}).ok());
  EXPECT_EQ(index_setting(created, "number_of_shards"), "3");
  EXPECT_EQ(index_setting(created, "number_of_replicas"), "0");
}

TEST_F(ElasticsearchSearchTest, BulkCountsPerItemFailuresWithTheirPosition) {
  const std::string index = prefix_ + "typed";
  ASSERT_TRUE(
      backend_->ensure_index(index, json::parse(R"({"properties":{"n":{"type":"long"}}})")).ok());
  const std::vector<std::string> docs = {R"({"n":1})", R"({"n":"not a number"})", R"({"n":3})",
                                         "{\n\"n\": 4\n}", R"({"n":)"};
  auto bulk = backend_->bulk_index(index, docs);
  ASSERT_TRUE(bulk.ok()) << bulk.error().message;
  EXPECT_EQ(bulk->indexed, 3u);
  ASSERT_EQ(bulk->failures.size(), 2u);
  EXPECT_EQ(bulk->failures[0].first, 1u);
  EXPECT_NE(bulk->failures[0].second.find("[n]"), std::string::npos) << bulk->failures[0].second;
  EXPECT_EQ(bulk->failures[1].first, 4u);
  // refresh=wait_for: searchable as soon as bulk_index returns.
  EXPECT_EQ(*backend_->count(index, std::nullopt), 3);
}

TEST_F(ElasticsearchSearchTest, BulkSplitsIntoBatchesByCountAndBytes) {
  auto by_count = open({.bulk_max_docs = 7});
  auto by_bytes = open({.bulk_max_bytes = 200});
  const auto docs = numbered_docs(50);
  auto a = by_count->bulk_index(prefix_ + "a", docs);
  auto b = by_bytes->bulk_index(prefix_ + "b", docs);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->indexed, 50u);
  EXPECT_EQ(b->indexed, 50u);
  EXPECT_EQ(*backend_->count(prefix_ + "a", std::nullopt), 50);
  EXPECT_EQ(*backend_->count(prefix_ + "b", std::nullopt), 50);
}

TEST_F(ElasticsearchSearchTest, SearchCountAndDeleteByQueryRoundTrip) {
  const std::string index = prefix_ + "logs";
  ASSERT_TRUE(backend_->bulk_index(index, numbered_docs(20)).ok());
  auto found =
      backend_->search(index, request_of(R"({"query":{"term":{"level.keyword":"ERROR"}},"size":3,
                            "sort":[{"n":"desc"}],"aggs":{"levels":{"terms":{"field":"level.keyword"}}}})"));
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->total.has_value());
  EXPECT_EQ(found->total->value, 10);
  ASSERT_EQ(found->hits.size(), 3u);
  EXPECT_EQ(found->hits[0].source->at("n"), 18);
  EXPECT_EQ(found->hits[0].index, index);
  ASSERT_EQ(found->hits[0].sort.size(), 1u);
  ASSERT_TRUE(found->aggregations.has_value());
  EXPECT_EQ(found->aggregations->at("levels").at("buckets").as_array().size(), 1u);

  const engine::Query errors = query_of(R"({"term":{"level.keyword":"ERROR"}})");
  EXPECT_EQ(*backend_->count(index, errors), 10);
  EXPECT_EQ(*backend_->count(index, std::nullopt), 20);
  auto deleted = backend_->delete_by_query(index, errors);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(*deleted, 10);
  EXPECT_EQ(*backend_->count(index, std::nullopt), 10);
  EXPECT_EQ(*backend_->count(index, errors), 0);
}

TEST_F(ElasticsearchSearchTest, MissingIndicesAnswerEmpty) {
  ASSERT_TRUE(backend_->bulk_index(prefix_ + "logs-1", numbered_docs(4)).ok());
  const std::string mixed = prefix_ + "logs-*," + prefix_ + "nope," + prefix_ + "nothing-*";
  auto found = backend_->search(mixed, request_of("{}"));
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->total->value, 4);

  auto none = backend_->search(prefix_ + "nope", request_of("{}"));
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->total->value, 0);
  EXPECT_TRUE(none->hits.empty());
  EXPECT_EQ(*backend_->count(prefix_ + "nothing-*", std::nullopt), 0);
  EXPECT_EQ(*backend_->delete_by_query(prefix_ + "nope", query_of(R"({"match_all":{}})")), 0);
  auto listed = backend_->list_indices(prefix_ + "nothing-*," + prefix_ + "nope");
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_TRUE(listed->empty());
}

TEST_F(ElasticsearchSearchTest, ListsAndDeletesIndices) {
  ASSERT_TRUE(backend_->bulk_index(prefix_ + "b", numbered_docs(3)).ok());
  ASSERT_TRUE(backend_->bulk_index(prefix_ + "a", numbered_docs(2)).ok());
  auto listed = backend_->list_indices(prefix_ + "*");
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, prefix_ + "a");
  EXPECT_EQ((*listed)[0].docs, 2u);
  EXPECT_EQ((*listed)[1].docs, 3u);
  EXPECT_GT((*listed)[1].bytes, 0u);
  auto all = backend_->list_indices("*");
  ASSERT_TRUE(all.ok());
  for (const auto& i : *all) EXPECT_FALSE(i.name.starts_with('.')) << i.name;

  ASSERT_TRUE(backend_->delete_index(prefix_ + "a").ok());
  EXPECT_EQ(backend_->list_indices(prefix_ + "*")->size(), 1u);
  auto again = backend_->delete_index(prefix_ + "a");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  EXPECT_NE(again.error().message.find("index_not_found_exception"), std::string::npos);
  EXPECT_EQ(backend_->delete_index(prefix_ + "*").error().code, ErrorCode::kNotFound);
}

TEST_F(ElasticsearchSearchTest, ClusterRejectionsAreInvalidArguments) {
  ASSERT_TRUE(backend_->bulk_index(prefix_ + "logs", numbered_docs(2)).ok());
  // Sorting on a text field needs fielddata, which ES refuses with a 400.
  auto r = backend_->search(prefix_ + "logs", request_of(R"({"sort":[{"msg":"asc"}]})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("illegal_argument_exception"), std::string::npos)
      << r.error().message;
}

TEST_F(ElasticsearchSearchTest, ScanReadsEveryHitOfAPointInTime) {
  const std::string index = prefix_ + "scan";
  // Three shards, so that the scan's order must be total across shards.
  auto created =
      admin_->perform({.method = "PUT",
                       .path = "/" + index,
                       .body = R"({"settings":{"number_of_shards":3,"number_of_replicas":0}})"});
  ASSERT_TRUE(created.ok() && created->status == 200);
  ASSERT_TRUE(backend_->bulk_index(index, numbered_docs(57)).ok());
  ScanRequest request;
  request.query = query_of(R"({"term":{"level.keyword":"ERROR"}})");
  request.page_size = 5;
  auto cursor = backend_->scan(prefix_ + "sc*," + prefix_ + "nope", request);
  ASSERT_TRUE(cursor.ok()) << cursor.error().message;
  std::set<std::string> ids;
  size_t pages = 0;
  while (true) {
    auto page = (*cursor)->next_page();
    ASSERT_TRUE(page.ok()) << page.error().message;
    if (page->empty()) break;
    ++pages;
    for (const auto& hit : *page)
      EXPECT_TRUE(ids.insert(hit.id).second) << "seen twice: " << hit.id;
    // Documents indexed during the scan are not in its point in time.
    if (pages == 1) {
      ASSERT_TRUE(backend_->bulk_index(index, numbered_docs(10)).ok());
    }
  }
  EXPECT_EQ(ids.size(), 29u);
  EXPECT_EQ(pages, 6u);

  auto empty = backend_->scan(prefix_ + "nothing-*", request);
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  auto page = (*empty)->next_page();
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_TRUE(page->empty());
}

TEST_F(ElasticsearchSearchTest, TheIndexPrefixIsInvisibleToCallers) {
  auto prefixed = open({.index_prefix = prefix_ + "p-"});
  ASSERT_TRUE(prefixed->bulk_index("logs-1", numbered_docs(3)).ok());
  ASSERT_TRUE(prefixed->bulk_index("logs-2", numbered_docs(2)).ok());
  auto listed = prefixed->list_indices("logs-*,-logs-2");
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "logs-1");
  auto found = prefixed->search("logs-*", request_of(R"({"size":1})"));
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->total->value, 5);
  EXPECT_TRUE(found->hits.at(0).index.starts_with("logs-")) << found->hits.at(0).index;
  auto cursor = prefixed->scan("logs-1", ScanRequest{});
  ASSERT_TRUE(cursor.ok()) << cursor.error().message;
  auto page = (*cursor)->next_page();
  ASSERT_TRUE(page.ok() && page->size() == 3u);
  EXPECT_EQ(page->front().index, "logs-1");
  // On the cluster, the names carry the prefix.
  EXPECT_EQ(*backend_->count(prefix_ + "p-logs-*", std::nullopt), 5);
}

TEST_F(ElasticsearchSearchTest, FailsOverPastADeadNode) {
  auto backend = open({.transport = {.hosts = "http://127.0.0.1:1," + url_}});
  for (int i = 0; i < 4; ++i) {
    auto st = backend->ping();
    EXPECT_TRUE(st.ok()) << st.error().message;
    EXPECT_TRUE(backend->list_indices(prefix_ + "*").ok());
  }
}

TEST(ElasticsearchSearchDownTest, EveryCallIsUnavailableQuickly) {
  auto opened = ElasticsearchSearch::open(
      {.transport = {.hosts = "http://127.0.0.1:1", .backoff = std::chrono::milliseconds(10)},
       .templates = {{"t", {"logs-*"}, json::object{}}}});
  ASSERT_TRUE(opened.ok());
  auto& backend = *opened.value();
  const auto started = Clock::now();
  auto expect_unavailable = [](const Error& e) {
    EXPECT_EQ(e.code, ErrorCode::kUnavailable) << e.message;
  };
  expect_unavailable(backend.ping().error());
  expect_unavailable(backend.prepare().error());
  expect_unavailable(backend.ensure_index("logs", json::object{}).error());
  expect_unavailable(backend.bulk_index("logs", std::vector<std::string>{"{}"}).error());
  expect_unavailable(backend.search("logs-*", engine::SearchRequest{}).error());
  expect_unavailable(backend.count("logs-*", std::nullopt).error());
  expect_unavailable(backend.delete_by_query("logs-*", engine::Query{}).error());
  expect_unavailable(backend.list_indices("*").error());
  expect_unavailable(backend.delete_index("logs").error());
  expect_unavailable(backend.scan("logs-*", ScanRequest{}).error());
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
}

}  // namespace
}  // namespace comptoir
