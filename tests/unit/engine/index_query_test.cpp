// Index + query execution: every query type, sorting (missing first/last, multi-valued,
// keyword/number/date), search_after, from/size, _source filtering, totals, count,
// deletes, updates and BM25 scores against Lucene's formula.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "engine/dsl/dsl_error.h"
#include "engine/index/index.h"
#include "engine/query/bm25.h"
#include "manual_index.h"

namespace comptoir::engine {
namespace {

namespace json = boost::json;

class IndexQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IndexSettings settings;
    settings.refresh_interval = std::chrono::milliseconds(0);
    auto m = parse_mapping(
        json::parse(R"({"properties":{"Level":{"type":"keyword"},"Service":{"type":"keyword"}}})"));
    ASSERT_TRUE(m.ok());
    auto idx = Index::create_in_memory("logs", *m, settings);
    ASSERT_TRUE(idx.ok());
    index_ = std::move(*idx);
    add("1",
        R"({"@timestamp":"2024-01-01T10:00:00Z","Level":"ERROR","Service":"payment-service","Message":"Payment failed: card declined","Duration":120,"User":"alice","price":9.5,"tags":["a","b"]})");
    add("2",
        R"({"@timestamp":"2024-01-01T11:00:00Z","Level":"INFO","Service":"auth-service","Message":"User logged in","Duration":15,"User":"bob","price":20.0})");
    add("3",
        R"({"@timestamp":"2024-01-02T09:30:00Z","Level":"WARNING","Service":"payment-service","Message":"Payment retry after timeout","Duration":2500,"price":3.25,"tags":["b"]})");
    ASSERT_TRUE(index_->refresh().ok());  // two segments
    add("4",
        R"({"@timestamp":"2024-01-03T00:00:00Z","Level":"ERROR","Service":"inventory","Message":"Stock check failed for item 42","Duration":300,"User":"carol","geo":{"city":"Paris"}})");
    add("5",
        R"({"@timestamp":"2023-12-31T23:59:59Z","Level":"DEBUG","Service":"auth-service","Message":"token refresh","User":"","tags":[]})");
    ASSERT_TRUE(index_->refresh().ok());
  }

  void add(const std::string& id, const std::string& src) {
    auto r = index_->index_doc(src, id);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  std::vector<std::string> ids(const std::string& body) {
    auto req = parse_es_json(body);
    EXPECT_TRUE(req.ok()) << body << ": " << (req.ok() ? "" : req.error().message);
    if (!req.ok()) return {"<parse error>"};
    auto resp = index_->search(*req, SearchOptions{1704153600000});  // now = 2024-01-02T00:00Z
    EXPECT_TRUE(resp.ok()) << body << ": " << (resp.ok() ? "" : resp.error().message);
    if (!resp.ok()) return {"<error>"};
    std::vector<std::string> out;
    for (const auto& h : resp->hits) out.push_back(h.id);
    return out;
  }
  std::set<std::string> id_set(const std::string& query) {
    auto v = ids(R"({"size":100,"query":)" + query + "}");
    return {v.begin(), v.end()};
  }

  std::unique_ptr<Index> index_;
};

using Ids = std::set<std::string>;

TEST_F(IndexQueryTest, QueryTypes) {
  struct Case {
    std::string query;
    Ids expected;
  };
  const std::vector<Case> cases = {
      {R"({"match_all":{}})", {"1", "2", "3", "4", "5"}},
      {R"({"match_none":{}})", {}},
      {R"({"match":{"Message":"payment"}})", {"1", "3"}},
      {R"({"match":{"Message":"PAYMENT failed"}})", {"1", "3", "4"}},
      {R"({"match":{"Message":{"query":"payment failed","operator":"and"}}})", {"1"}},
      {R"({"match":{"Message":{"query":"payment failed timeout","minimum_should_match":2}}})",
       {"1", "3"}},
      {R"({"match":{"Level":"ERROR"}})", {"1", "4"}},
      {R"({"match":{"Level":"error"}})", {}},  // keyword: exact
      {R"({"match":{"Duration":"120"}})", {"1"}},
      {R"({"match_phrase":{"Message":"card declined"}})", {"1"}},
      {R"({"match_phrase":{"Message":"declined card"}})", {}},
      {R"({"match_phrase":{"Message":{"query":"payment timeout","slop":2}}})", {"3"}},
      {R"({"multi_match":{"query":"auth-service","fields":["Service","Message"]}})", {"2", "5"}},
      {R"({"multi_match":{"query":"alice failed","fields":["User.keyword","Message"]}})",
       {"1", "4"}},
      {R"({"term":{"Level":"ERROR"}})", {"1", "4"}},
      {R"({"term":{"Message":"Payment"}})", {}},  // ES-COMPAT: term is not analysed
      {R"({"term":{"Message":"payment"}})", {"1", "3"}},
      {R"({"term":{"Message.keyword":"User logged in"}})", {"2"}},
      {R"({"term":{"Level":{"value":"error","case_insensitive":true}}})", {"1", "4"}},
      {R"({"term":{"Duration":2500}})", {"3"}},
      {R"({"term":{"price":9.5}})", {"1"}},
      {R"({"term":{"@timestamp":"2024-01-01"}})", {"1", "2"}},  // a day: [start, end] of the unit
      {R"({"terms":{"Level":["ERROR","DEBUG"]}})", {"1", "4", "5"}},
      {R"({"terms":{"Duration":[15,300,7]}})", {"2", "4"}},
      {R"({"range":{"Duration":{"gte":120,"lt":2500}}})", {"1", "4"}},
      {R"({"range":{"Duration":{"gt":120}}})", {"3", "4"}},
      {R"({"range":{"Duration":{"lte":"15"}}})", {"2"}},
      {R"({"range":{"price":{"gt":3.25,"lte":20}}})", {"1", "2"}},
      {R"({"range":{"@timestamp":{"gte":"2024-01-01","lt":"2024-01-02"}}})", {"1", "2"}},
      {R"({"range":{"@timestamp":{"gte":"now-1d/d","lt":"now/d"}}})", {"1", "2"}},
      {R"({"range":{"@timestamp":{"lte":"2024-01-01"}}})",
       {"1", "2", "5"}},  // rounds up to day end
      {R"({"range":{"@timestamp":{"gt":"2024-01-01"}}})", {"3", "4"}},
      {R"({"range":{"@timestamp":{"gte":"2024-01-01T11:00:00","time_zone":"+01:00"}}})",
       {"1", "2", "3", "4"}},
      {R"({"range":{"@timestamp":{"gte":"02/01/2024","format":"dd/MM/yyyy"}}})", {"3", "4"}},
      {R"({"range":{"Level":{"gte":"E","lt":"J"}}})", {"1", "2", "4"}},
      {R"({"exists":{"field":"User"}})", {"1", "2", "4", "5"}},  // "" counts
      {R"({"exists":{"field":"tags"}})", {"1", "3"}},            // [] does not
      {R"({"exists":{"field":"geo"}})", {"4"}},                  // object: any sub-field
      {R"({"exists":{"field":"nope"}})", {}},
      {R"({"prefix":{"Service":"pay"}})", {"1", "3"}},
      {R"({"prefix":{"Message":"tim"}})", {"3"}},
      {R"({"prefix":{"Service":{"value":"PAY","case_insensitive":true}}})", {"1", "3"}},
      {R"({"wildcard":{"Service":"*-service"}})", {"1", "2", "3", "5"}},
      {R"({"wildcard":{"Service":"*vent*"}})", {"4"}},
      {R"({"wildcard":{"Service":"a?th-*"}})", {"2", "5"}},
      {R"({"wildcard":{"Message":"*ail*"}})", {"1", "4"}},
      {R"({"ids":{"values":["2","4","99"]}})", {"2", "4"}},
      {R"({"query_string":{"query":"Level:ERROR AND Service:inventory"}})", {"4"}},
      {R"({"query_string":{"query":"payment -timeout"}})", {"1"}},  // Lucene: a SHOULD is required
      {R"({"query_string":{"query":"+payment -timeout"}})", {"1"}},
      {R"({"query_string":{"query":"failed","default_field":"Message"}})", {"1", "4"}},
      {R"({"query_string":{"query":"Duration:[100 TO 300]"}})", {"1", "4"}},
      {R"({"query_string":{"query":"Duration:>=300"}})", {"3", "4"}},
      {R"({"query_string":{"query":"_exists_:geo.city"}})", {"4"}},
      {R"({"query_string":{"query":"Service:pay*"}})", {"1", "3"}},
      {R"({"query_string":{"query":"Message:PAY*"}})", {"1", "3"}},  // text: lowercased
      {R"({"query_string":{"query":"\"card declined\""}})", {"1"}},
      {R"({"query_string":{"query":"(Level:ERROR OR Level:WARNING) AND Duration:>200"}})",
       {"3", "4"}},
      {R"({"simple_query_string":{"query":"payment +failed","fields":["Message"]}})", {"1"}},
      {R"({"simple_query_string":{"query":"timeout | stock","fields":["Message"]}})", {"3", "4"}},
      {R"({"simple_query_string":{"query":"-payment","fields":["Message"]}})", {"2", "4", "5"}},
      {R"({"bool":{"must":[{"match":{"Message":"payment"}}],"filter":[{"term":{"Level":"ERROR"}}]}})",
       {"1"}},
      {R"({"bool":{"should":[{"term":{"Level":"ERROR"}},{"term":{"Level":"INFO"}}]}})",
       {"1", "2", "4"}},
      {R"({"bool":{"should":[{"term":{"Level":"ERROR"}},{"term":{"Service":"inventory"}}],"minimum_should_match":2}})",
       {"4"}},
      {R"({"bool":{"must_not":[{"term":{"Level":"ERROR"}}]}})", {"2", "3", "5"}},
      {R"({"bool":{"filter":{"term":{"Service":"auth-service"}},"should":[{"match":{"Message":"nothing"}}]}})",
       {"2", "5"}},
      {R"({"bool":{}})", {"1", "2", "3", "4", "5"}},
      {R"({"dis_max":{"queries":[{"term":{"Level":"INFO"}},{"term":{"Level":"DEBUG"}}]}})",
       {"2", "5"}},
  };
  for (const auto& c : cases) EXPECT_EQ(id_set(c.query), c.expected) << c.query;
}

TEST_F(IndexQueryTest, Sorting) {
  EXPECT_EQ(ids(R"({"sort":[{"@timestamp":"desc"}]})"),
            (std::vector<std::string>{"4", "3", "2", "1", "5"}));
  EXPECT_EQ(ids(R"({"sort":["Duration"]})"), (std::vector<std::string>{"2", "1", "4", "3", "5"}));
  EXPECT_EQ(ids(R"({"sort":[{"Duration":{"order":"asc","missing":"_first"}}]})"),
            (std::vector<std::string>{"5", "2", "1", "4", "3"}));
  EXPECT_EQ(ids(R"({"sort":[{"Duration":{"order":"desc"}}]})"),
            (std::vector<std::string>{"3", "4", "1", "2", "5"}));
  EXPECT_EQ(ids(R"({"sort":[{"Service":"asc"},{"Duration":"desc"}]})"),
            (std::vector<std::string>{"2", "5", "4", "3", "1"}));
  EXPECT_EQ(ids(R"({"sort":[{"User.keyword":{"order":"asc","missing":"_first"}}]})"),
            (std::vector<std::string>{"3", "5", "1", "2", "4"}));
  EXPECT_EQ(ids(R"({"sort":[{"price":{"order":"asc","missing":0}}]})"),
            (std::vector<std::string>{"4", "5", "3", "1", "2"}));
  // Multi-valued: asc sorts by min, desc by max.
  EXPECT_EQ(ids(R"({"query":{"exists":{"field":"tags"}},"sort":[{"tags.keyword":"asc"}]})"),
            (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(ids(R"({"query":{"exists":{"field":"tags"}},"sort":[{"tags.keyword":"desc"},"_doc"]})"),
            (std::vector<std::string>{"1", "3"}));
  // Sort values as ES reports them: dates as epoch ms, missing long as Long.MAX_VALUE.
  auto req = parse_es_json(R"({"sort":[{"Duration":"asc"},{"@timestamp":"desc"}],"size":5})");
  auto resp = index_->search(*req);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->hits[4].sort[0], JsonScalar{INT64_MAX});
  EXPECT_EQ(resp->hits[0].sort[1], JsonScalar{int64_t{1704106800000}});
  EXPECT_FALSE(resp->hits[0].score.has_value());
  EXPECT_FALSE(resp->max_score.has_value());
}

TEST_F(IndexQueryTest, PagingAndSearchAfter) {
  std::vector<std::string> all = ids(R"({"sort":[{"@timestamp":"asc"}],"size":5})");
  EXPECT_EQ(all, (std::vector<std::string>{"5", "1", "2", "3", "4"}));
  EXPECT_EQ(ids(R"({"sort":[{"@timestamp":"asc"}],"from":1,"size":2})"),
            (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(ids(R"({"sort":[{"@timestamp":"asc"}],"from":4,"size":10})"),
            (std::vector<std::string>{"4"}));
  EXPECT_EQ(ids(R"({"sort":[{"@timestamp":"asc"}],"size":2,"search_after":[1704106800000]})"),
            (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(
      ids(R"({"sort":[{"Service":"asc"},{"@timestamp":"asc"}],"size":2,"search_after":["auth-service",1704067199000]})"),
      (std::vector<std::string>{"2", "4"}));
  auto r = parse_es_json(R"({"from":9999,"size":2})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(es_error_parts(r.error()).type, "search_phase_execution_exception");
}

TEST_F(IndexQueryTest, TotalsSourceAndCount) {
  auto req = parse_es_json(
      R"({"size":1,"track_total_hits":2,"_source":["Level","geo.*"],"sort":["_doc"]})");
  auto resp = index_->search(*req);
  ASSERT_TRUE(resp.ok());
  ASSERT_TRUE(resp->total.has_value());
  EXPECT_EQ(resp->total->value, 2);
  EXPECT_TRUE(resp->total->gte);
  EXPECT_EQ(json::serialize(*resp->hits[0].source), R"({"Level":"ERROR"})");
  req = parse_es_json(R"({"size":0,"track_total_hits":false})");
  resp = index_->search(*req);
  EXPECT_FALSE(resp->total.has_value());
  EXPECT_TRUE(resp->hits.empty());
  req = parse_es_json(R"({"_source":false,"query":{"ids":{"values":["4"]}}})");
  resp = index_->search(*req);
  EXPECT_EQ(resp->total->value, 1);
  EXPECT_FALSE(resp->hits[0].source.has_value());
  EXPECT_EQ(resp->hits[0].index, "logs");
  auto c = index_->count(Query(TermQuery{"Level", std::string("ERROR")}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, 2);
  EXPECT_EQ(*index_->count(std::nullopt), 5);
}

TEST_F(IndexQueryTest, ConstantScoreTopKStopsEarly) {
  EXPECT_EQ(ids(R"({"size":2,"query":{"range":{"Duration":{"gte":0}}}})"),
            (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(ids(R"({"size":4,"query":{"bool":{"filter":{"exists":{"field":"Service"}}}}})"),
            (std::vector<std::string>{"1", "2", "3", "4"}));
  auto resp = index_->search(
      *parse_es_json(R"({"size":1,"query":{"bool":{"filter":{"exists":{"field":"Service"}}}}})"));
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->total->value, 5);
  EXPECT_EQ(*resp->max_score, 0.0);  // a filter-only bool scores 0 in ES
  resp =
      index_->search(*parse_es_json(R"({"size":1,"from":3,"query":{"wildcard":{"Service":"*"}}})"));
  EXPECT_EQ(resp->hits[0].id, "4");
  EXPECT_EQ(*resp->max_score, 1.0);
}

TEST_F(IndexQueryTest, Bm25MatchesLuceneFormula) {
  auto req = parse_es_json(R"({"query":{"match":{"Message":"payment"}}})");
  auto resp = index_->search(*req);
  ASSERT_TRUE(resp.ok());
  ASSERT_EQ(resp->hits.size(), 2u);
  // N = 5 docs with Message, df = 2; lengths 4 and 4 tokens; avgdl = (4+3+4+6+2)/5.
  float idf = std::log(1 + (5 - 2 + 0.5) / (2 + 0.5));
  float avgdl = (4 + 3 + 4 + 6 + 2) / 5.0f;
  float expected = idf * 1 / (1 + 1.2f * (0.25f + 0.75f * 4 / avgdl));
  EXPECT_NEAR(*resp->hits[0].score, expected, 1e-5);
  EXPECT_NEAR(*resp->max_score, expected, 1e-5);
  // match_all scores 1.0; constant-score filters 1.0 x boost.
  resp = index_->search(*parse_es_json(R"({"query":{"range":{"Duration":{"gte":0,"boost":2}}}})"));
  EXPECT_EQ(*resp->hits[0].score, 2.0);
  // Shorter field, same tf: higher score (token refresh is 2 tokens).
  resp = index_->search(*parse_es_json(R"({"query":{"match":{"Message":"refresh payment"}}})"));
  EXPECT_EQ(resp->hits[0].id, "5");
}

// A single term ranked by score skips docs that cannot beat the k-th best; the hits,
// their order (ties by doc order), scores and max_score equal the general path's (a
// second sort key, `_doc`, takes it) on many docs of varied lengths, frequencies,
// segments and deletes.
TEST(SingleTermScoringTest, SkippingEqualsFullRanking) {
  IndexSettings settings;
  settings.refresh_interval = std::chrono::milliseconds(0);
  auto idx = Index::create_in_memory("scores", Mapping{}, settings);
  ASSERT_TRUE(idx.ok());
  std::mt19937 rng(11);
  const char* words[] = {"alpha", "beta", "gamma", "delta", "error"};
  for (int d = 0; d < 3000; ++d) {
    std::string msg;
    const int len = 1 + static_cast<int>(rng() % 30);
    for (int w = 0; w < len; ++w) msg += std::string(words[rng() % 5]) + " ";
    json::object doc{{"Message", msg}};
    ASSERT_TRUE((*idx)->index_doc(json::serialize(doc), std::to_string(d)).ok());
    if (d % 700 == 699) {
      ASSERT_TRUE((*idx)->refresh().ok());
    }
  }
  for (int d = 0; d < 3000; d += 7) ASSERT_TRUE((*idx)->delete_doc(std::to_string(d)).ok());
  ASSERT_TRUE((*idx)->refresh().ok());
  for (const char* word : {"alpha", "error"}) {
    for (int size : {1, 3, 10, 100}) {
      const std::string q =
          fmt::format(R"("query":{{"match":{{"Message":"{}"}}}},"size":{})", word, size);
      auto fast = (*idx)->search(*parse_es_json("{" + q + "}"));
      auto full = (*idx)->search(
          *parse_es_json("{" + q + R"(,"sort":["_score",{"_doc":"asc"}],"track_scores":true})"));
      ASSERT_TRUE(fast.ok() && full.ok());
      ASSERT_EQ(fast->hits.size(), full->hits.size());
      for (size_t i = 0; i < fast->hits.size(); ++i) {
        EXPECT_EQ(fast->hits[i].id, full->hits[i].id) << word << " size " << size << " hit " << i;
        EXPECT_EQ(*fast->hits[i].score, *full->hits[i].score);
      }
      EXPECT_EQ(*fast->max_score, *full->max_score);
      EXPECT_EQ(fast->total->value, full->total->value);
    }
  }
}

TEST_F(IndexQueryTest, DeletesAndUpdates) {
  EXPECT_TRUE(*index_->delete_doc("1"));
  EXPECT_FALSE(*index_->delete_doc("1"));
  ASSERT_TRUE(index_->refresh().ok());
  EXPECT_EQ(ids(R"({"query":{"match":{"Message":"payment"}}})"), std::vector<std::string>{"3"});
  add("2", R"({"Level":"ERROR","Message":"updated"})");
  EXPECT_EQ(id_set(R"({"term":{"Level":"ERROR"}})"),
            (Ids{"4"}));  // the update is not refreshed yet
  ASSERT_TRUE(index_->refresh().ok());
  EXPECT_EQ(id_set(R"({"term":{"Level":"ERROR"}})"), (Ids{"2", "4"}));
  EXPECT_EQ(*index_->count(std::nullopt), 4);
  // create on an existing id is a 409 item error; bulk still processes the rest.
  std::vector<BulkItem> items(3);
  items[0] = {BulkOp::kCreate, std::string("2"), R"({"a":1})"};
  items[1] = {BulkOp::kIndex, std::nullopt, R"({"Level":"INFO"})"};
  items[2] = {BulkOp::kIndex, std::string("x"), R"({"Duration":"not a number"})"};
  auto r = index_->bulk(items);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->errors);
  EXPECT_EQ(r->items[0].status, 409);
  EXPECT_EQ(r->items[1].status, 201);
  EXPECT_EQ(r->items[1].id.size(), 20u);
  EXPECT_EQ(r->items[2].status, 400);
  EXPECT_EQ(es_error_parts(*r->items[2].error).type, "document_parsing_exception");
  auto n = index_->delete_by_query(Query(TermQuery{"Service", std::string("auth-service")}));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);  // doc 2 was replaced by one without Service; doc 5 remains
  EXPECT_EQ(*index_->count(std::nullopt), 4);
  ASSERT_TRUE(index_->merge(true).ok());
  EXPECT_EQ(index_->stats().segments, 1u);
  EXPECT_EQ(index_->stats().deleted, 0u);
  EXPECT_EQ(id_set(R"({"match_all":{}})"), (Ids{"2", "3", "4", r->items[1].id}));
}

TEST_F(IndexQueryTest, QueryErrors) {
  auto bad = [&](const std::string& body, const std::string& type) {
    auto req = parse_es_json(body);
    ASSERT_TRUE(req.ok()) << body;
    auto resp = index_->search(*req);
    ASSERT_FALSE(resp.ok()) << body;
    EXPECT_EQ(es_error_parts(resp.error()).type, type) << resp.error().message;
  };
  bad(R"({"sort":["Message"]})", "illegal_argument_exception");
  bad(R"({"sort":["unknown_field"]})", "query_shard_exception");
  bad(R"({"query":{"range":{"Duration":{"gte":"abc"}}}})", "query_shard_exception");
  bad(R"({"query":{"range":{"@timestamp":{"gte":"not-a-date"}}}})", "query_shard_exception");
  auto ok = parse_es_json(R"({"sort":[{"unknown_field":{"unmapped_type":"long"}}]})");
  EXPECT_TRUE(index_->search(*ok).ok());
}

}  // namespace
}  // namespace comptoir::engine

namespace comptoir::engine {
namespace {

// Time-ordered segments take the sorted-column and segment-pruning shortcuts; the hits
// must still be exactly the global order.
TEST(IndexSortShortcutTest, TimeOrderedSegments) {
  IndexSettings settings;
  settings.refresh_interval = std::chrono::milliseconds(0);
  auto idx = Index::create_in_memory("t", Mapping{}, settings);
  ASSERT_TRUE(idx.ok());
  const int n = 500;
  for (int i = 0; i < n; ++i) {
    // Equal timestamps in pairs exercise the doc-order tie break.
    std::string src = R"({"ts":)" + std::to_string(1000 + i / 2) + R"(,"v":)" +
                      std::to_string((i * 37) % 101) + "}";
    ASSERT_TRUE((*idx)->index_doc(src, std::to_string(i)).ok());
    if (i % 97 == 0) {
      ASSERT_TRUE((*idx)->refresh().ok());
    }
  }
  ASSERT_TRUE((*idx)->refresh().ok());
  auto run = [&](const std::string& body) {
    auto resp = (*idx)->search(*parse_es_json(body));
    EXPECT_TRUE(resp.ok());
    std::vector<int> out;
    for (const auto& h : resp->hits) out.push_back(std::stoi(h.id));
    return out;
  };
  std::vector<int> desc, asc;
  for (int i = 0; i < n; ++i) asc.push_back(i);
  for (int t = n / 2 - 1; t >= 0; --t) {
    desc.push_back(2 * t);
    desc.push_back(2 * t + 1);
  }
  EXPECT_EQ(run(R"({"size":500,"sort":[{"ts":"desc"}]})"), desc);
  EXPECT_EQ(run(R"({"size":500,"sort":[{"ts":"asc"}]})"), asc);
  EXPECT_EQ(run(R"({"size":7,"from":3,"sort":[{"ts":"desc"}]})"),
            std::vector<int>(desc.begin() + 3, desc.begin() + 10));
  EXPECT_EQ(run(R"({"size":5,"sort":[{"ts":"desc"}],"query":{"range":{"ts":{"lt":1100}}}})"),
            (std::vector<int>{198, 199, 196, 197, 194}));
  EXPECT_EQ(run(R"({"size":4,"sort":[{"ts":"asc"}],"query":{"range":{"v":{"gte":50}}}})").size(),
            4u);
}

}  // namespace
}  // namespace comptoir::engine

namespace comptoir::engine {
namespace {

// A structure-level merge must not change any answer: hits, sort values and scores.
TEST(IndexMergeTest, MergePreservesResultsAndScores) {
  IndexSettings settings;
  settings.refresh_interval = std::chrono::milliseconds(0);
  auto idx = Index::create_in_memory("m", Mapping{}, settings);
  ASSERT_TRUE(idx.ok());
  const char* words[] = {"alpha", "beta", "gamma", "delta", "payment", "failed", "retry"};
  for (int i = 0; i < 300; ++i) {
    std::string msg;
    for (int k = 0; k <= i % 6; ++k) msg += std::string(words[(i * 7 + k * 3) % 7]) + " ";
    std::string src = R"({"msg":")" + msg + R"(","n":)" + std::to_string(i % 17) +
                      R"(,"tags":["t)" + std::to_string(i % 5) + R"(","u)" + std::to_string(i % 3) +
                      R"("],"ts":)" + std::to_string(1000 + i) + "}";
    ASSERT_TRUE((*idx)->index_doc(src, std::to_string(i)).ok());
    if (i % 40 == 39) {
      ASSERT_TRUE((*idx)->refresh().ok());
    }
  }
  // (No deletes: like Lucene, BM25 statistics count deleted docs until they are merged.)
  ASSERT_TRUE((*idx)->refresh().ok());
  const std::vector<std::string> bodies = {
      R"({"size":50,"query":{"match":{"msg":"payment retry"}}})",
      R"({"size":50,"query":{"match":{"msg":"alpha"}}})",
      R"({"size":50,"query":{"bool":{"must":{"match":{"msg":"alpha"}},"filter":{"range":{"n":{"gte":5}}}}}})",
      R"({"size":50,"sort":[{"tags.keyword":"desc"},{"n":"asc"}]})",
      R"({"size":50,"sort":[{"ts":"desc"}],"query":{"term":{"tags":"t3"}}})",
      R"({"size":50,"query":{"wildcard":{"msg":"*ay*"}}})",
  };
  auto snapshot_of = [&](const std::string& body) {
    auto resp = (*idx)->search(*parse_es_json(body));
    EXPECT_TRUE(resp.ok());
    std::string out;
    for (const auto& h : resp->hits) {
      out += h.id + ":" + (h.score ? std::to_string(*h.score) : "-") + ":";
      for (const auto& s : h.sort) out += scalar_to_string(s) + ",";
      out += " ";
    }
    return out + "total=" + std::to_string(resp->total->value);
  };
  std::vector<std::string> before;
  for (const auto& b : bodies) before.push_back(snapshot_of(b));
  size_t segments = (*idx)->stats().segments;
  ASSERT_GT(segments, 3u);
  ASSERT_TRUE((*idx)->merge(true).ok());
  EXPECT_EQ((*idx)->stats().segments, 1u);
  for (size_t i = 0; i < bodies.size(); ++i)
    EXPECT_EQ(snapshot_of(bodies[i]), before[i]) << bodies[i];
}

}  // namespace
}  // namespace comptoir::engine

namespace comptoir::engine {
namespace {

// Constant-score queries without a sort stop matching segments once k hits are held and
// the total passed track_total_hits: hits, max_score and totals are those of the full
// evaluation (an aggregation forces it, as it needs every match).
TEST(EarlyTerminationTest, ConstantScoreQueriesAnswerAsTheFullEvaluation) {
  auto idx = manual_index("early", R"({"properties":{"lvl":{"type":"keyword"}}})");
  ASSERT_NE(idx, nullptr);
  std::mt19937 rng(5);
  for (int seg = 0; seg < 30; ++seg) {
    std::vector<BulkItem> batch;
    for (int i = 0; i < 100; ++i) {
      BulkItem item;
      item.id = std::to_string(seg * 100 + i);
      item.source = std::string(R"({"lvl":")") + "ABC"[rng() % 3] + "\"}";
      batch.push_back(std::move(item));
    }
    ASSERT_TRUE(idx->bulk(batch).ok());
    ASSERT_TRUE(idx->refresh().ok());
  }
  for (int i = 0; i < 3000; i += 37) ASSERT_TRUE(idx->delete_doc(std::to_string(i)).ok());
  ASSERT_TRUE(idx->refresh().ok());
  int checked = 0;
  for (const char* query : {R"({"match_all":{}})", R"({"bool":{"filter":[{"term":{"lvl":"A"}}]}})",
                            R"({"bool":{"must_not":[{"term":{"lvl":"B"}}]}})"}) {
    for (const char* track : {"true", "false", "5", "100", "1000", "10000"}) {
      for (int from : {0, 7, 150}) {
        for (int size : {0, 1, 10}) {
          const std::string body =
              fmt::format(R"({{"query":{},"from":{},"size":{},"track_total_hits":{}}})", query,
                          from, size, track);
          auto fast = idx->search(*parse_es_json(body));
          const std::string full_body =
              body.substr(0, body.size() - 1) + R"(,"aggs":{"n":{"value_count":{"field":"lvl"}}}})";
          auto full = idx->search(*parse_es_json(full_body));
          ASSERT_TRUE(fast.ok() && full.ok()) << body;
          std::vector<std::string> a, b;
          for (const auto& h : fast->hits) a.push_back(h.id);
          for (const auto& h : full->hits) b.push_back(h.id);
          EXPECT_EQ(a, b) << body;
          EXPECT_EQ(fast->max_score, full->max_score) << body;
          ASSERT_EQ(fast->total.has_value(), full->total.has_value()) << body;
          if (fast->total) {
            EXPECT_EQ(fast->total->value, full->total->value) << body;
            EXPECT_EQ(fast->total->gte, full->total->gte) << body;
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 3 * 6 * 3 * 3);
}

// Hits arriving in rank order (a time-ordered column read in the sort's direction) are
// kept as a sorted list until one arrives out of order (equal timestamps are ranked by
// doc, against the reading direction): pages equal the full sort either way.
TEST(EarlyTerminationTest, SortedColumnPagesEqualTheFullSort) {
  auto idx = manual_index("ordered", R"({"properties":{"ts":{"type":"long"}}})");
  ASSERT_NE(idx, nullptr);
  const int n = 3000;
  for (int seg = 0; seg < n / 500; ++seg) {
    std::vector<BulkItem> batch;
    for (int i = seg * 500; i < (seg + 1) * 500; ++i) {
      BulkItem item;
      item.id = std::to_string(i);
      // Unique times first, then runs of three equal ones.
      item.source = R"({"ts":)" + std::to_string(i < 1500 ? i * 10 : 15000 + (i / 3) * 10) + "}";
      batch.push_back(std::move(item));
    }
    ASSERT_TRUE(idx->bulk(batch).ok());
    ASSERT_TRUE(idx->refresh().ok());
  }
  std::set<int> deleted;
  for (int i = 0; i < n; i += 97) deleted.insert(i);
  for (int i : deleted) ASSERT_TRUE(idx->delete_doc(std::to_string(i)).ok());
  ASSERT_TRUE(idx->refresh().ok());
  auto ts = [](int i) { return i < 1500 ? i * 10 : 15000 + (i / 3) * 10; };
  for (const char* order : {"desc", "asc"}) {
    std::vector<int> all;
    for (int i = 0; i < n; ++i)
      if (!deleted.count(i)) all.push_back(i);
    std::stable_sort(all.begin(), all.end(), [&](int a, int b) {
      return std::string(order) == "desc" ? ts(a) > ts(b) : ts(a) < ts(b);
    });
    for (int from : {0, 3, 1000, 2900}) {
      for (int size : {1, 10, 25}) {
        const std::string body = fmt::format(
            R"({{"from":{},"size":{},"sort":[{{"ts":"{}"}}],"query":{{"range":{{"ts":{{"gte":0}}}}}}}})",
            from, size, order);
        auto resp = idx->search(*parse_es_json(body));
        ASSERT_TRUE(resp.ok()) << body;
        std::vector<std::string> got, want;
        for (const auto& h : resp->hits) got.push_back(h.id);
        for (size_t i = from; i < all.size() && i < size_t(from + size); ++i)
          want.push_back(std::to_string(all[i]));
        EXPECT_EQ(got, want) << body;
      }
    }
  }
}

// The segment's term dictionary is sorted by bytes however long the shared prefixes
// (the builder sorts 8-byte chunks level by level): every term is found by its exact
// query, and terms ordered by key come out in byte order.
TEST(TermOrderTest, LongSharedPrefixesSortByBytes) {
  auto idx = manual_index("prefixes", R"({"properties":{"k":{"type":"keyword"}}})");
  ASSERT_NE(idx, nullptr);
  std::mt19937 rng(3);
  std::set<std::string> values;
  const std::string shared = "Request handled by the payment service for user ";
  while (values.size() < 600) {
    std::string v = shared.substr(0, rng() % shared.size());
    const int tail = static_cast<int>(rng() % 12);
    for (int i = 0; i < tail; ++i) v += "ab\x01~"[rng() % 5];
    if (!v.empty()) values.insert(v);
  }
  std::vector<BulkItem> batch;
  for (const auto& v : values) {
    BulkItem item;
    item.source = "{\"k\":" + boost::json::serialize(boost::json::value(v)) + "}";
    batch.push_back(std::move(item));
  }
  ASSERT_TRUE(idx->bulk(batch).ok());
  ASSERT_TRUE(idx->refresh().ok());
  auto resp = idx->search(*parse_es_json(
      R"({"size":0,"aggs":{"k":{"terms":{"field":"k","size":1000,"order":{"_key":"asc"}}}}})"));
  ASSERT_TRUE(resp.ok());
  std::vector<std::string> got;
  for (const auto& b : resp->aggregations->at("k").at("buckets").as_array())
    got.emplace_back(b.at("key").as_string());
  EXPECT_EQ(got, std::vector<std::string>(values.begin(), values.end()));
  for (const auto& v : values) {
    SearchRequest req;
    TermQuery t;
    t.field = "k";
    t.value = v;
    req.query = Query{t};
    EXPECT_EQ(*idx->count(req.query), 1) << v;
  }
}

}  // namespace
}  // namespace comptoir::engine
