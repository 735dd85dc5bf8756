// Aggregations: golden response JSON for every aggregation type (key order, key vs
// key_as_string, empty buckets, null metrics on empty sets), Elasticsearch's errors,
// DST-aware date histograms, the approximate counters' error bounds, and the DSL
// round trip of aggregation trees.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine/dsl/dsl_error.h"
#include "engine/index/index.h"
#include "engine/query/cardinality_counter.h"
#include "engine/query/t_digest.h"
#include "manual_index.h"
#include "util/json_text.h"

namespace comptoir::engine {
namespace {

namespace json = boost::json;

class AggregationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IndexSettings settings;
    settings.refresh_interval = std::chrono::milliseconds(0);
    auto m = parse_mapping(json::parse(
        R"({"properties":{"Level":{"type":"keyword"},"Service":{"type":"keyword"},
            "@timestamp":{"type":"date"},"Duration":{"type":"long"},"price":{"type":"double"},
            "ok":{"type":"boolean"},"Message":{"type":"text"}}})"));
    ASSERT_TRUE(m.ok());
    auto idx = Index::create_in_memory("logs", *m, settings);
    ASSERT_TRUE(idx.ok());
    index_ = std::move(*idx);
    add("1",
        R"({"@timestamp":"2024-01-01T10:00:00Z","Level":"ERROR","Service":"pay","Duration":120,"price":9.5,"ok":false,"Message":"card declined"})");
    add("2",
        R"({"@timestamp":"2024-01-01T11:00:00Z","Level":"INFO","Service":"auth","Duration":15,"price":20.0,"ok":true,"Message":"logged in"})");
    ASSERT_TRUE(index_->refresh().ok());
    add("3",
        R"({"@timestamp":"2024-01-03T09:30:00Z","Level":"ERROR","Service":"pay","Duration":2500,"ok":true,"Message":"retry"})");
    add("4",
        R"({"@timestamp":"2024-01-03T23:00:00Z","Level":["WARNING","ERROR"],"Service":"inv"})");
    ASSERT_TRUE(index_->refresh().ok());
  }

  void add(const std::string& id, const std::string& src) {
    auto r = index_->index_doc(src, id);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  // The `aggregations` of a request, as compact JSON text.
  std::string aggs(const std::string& body) {
    auto req = parse_es_json(body);
    EXPECT_TRUE(req.ok()) << body << ": " << (req.ok() ? "" : req.error().message);
    if (!req.ok()) return "<parse error>";
    auto resp = index_->search(*req, SearchOptions{1704326400000});  // now = 2024-01-04T00:00Z
    EXPECT_TRUE(resp.ok()) << body << ": " << (resp.ok() ? "" : resp.error().message);
    if (!resp.ok()) return "<error " + resp.error().message + ">";
    return to_json_text(json::value(*resp->aggregations));
  }
  // The DSL or execution error of a request.
  std::string error(const std::string& body) {
    auto req = parse_es_json(body);
    if (!req.ok()) return req.error().message;
    auto resp = index_->search(*req);
    if (!resp.ok()) return resp.error().message;
    return "<no error>";
  }

  std::unique_ptr<Index> index_;
};

TEST_F(AggregationTest, TermsCountsDocsOrdersByCountThenKey) {
  EXPECT_EQ(aggs(R"({"size":0,"aggs":{"l":{"terms":{"field":"Level"}}}})"),
            R"({"l":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[)"
            R"({"key":"ERROR","doc_count":3},{"key":"INFO","doc_count":1},)"
            R"({"key":"WARNING","doc_count":1}]}})");
  // size cuts, the rest is in sum_other_doc_count; order by key desc.
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"l":{"terms":{"field":"Level","size":1,"order":{"_key":"desc"}}}}})"),
      R"({"l":{"doc_count_error_upper_bound":0,"sum_other_doc_count":4,"buckets":[)"
      R"({"key":"WARNING","doc_count":1}]}})");
}

TEST_F(AggregationTest, TermsKeysForNumbersBooleansAndDates) {
  EXPECT_EQ(aggs(R"({"size":0,"aggs":{"b":{"terms":{"field":"ok"}}}})"),
            R"({"b":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[)"
            R"({"key":1,"key_as_string":"true","doc_count":2},)"
            R"({"key":0,"key_as_string":"false","doc_count":1}]}})");
  EXPECT_EQ(
      aggs(
          R"({"size":0,"query":{"term":{"Level":"INFO"}},"aggs":{"d":{"terms":{"field":"@timestamp"}},"p":{"terms":{"field":"price"}}}})"),
      R"({"d":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[)"
      R"({"key":1704106800000,"key_as_string":"2024-01-01T11:00:00.000Z","doc_count":1}]},)"
      R"("p":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[)"
      R"({"key":20.0,"doc_count":1}]}})");
}

TEST_F(AggregationTest, TermsMissingIncludeExcludeAndSubAggregationOrder) {
  EXPECT_EQ(aggs(R"({"size":0,"aggs":{"s":{"terms":{"field":"price","missing":0}}}})"),
            R"({"s":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[)"
            R"({"key":0.0,"doc_count":2},{"key":9.5,"doc_count":1},{"key":20.0,"doc_count":1}]}})");
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"s":{"terms":{"field":"Service","include":"p.*|a.*","exclude":["auth"]}}}})"),
      R"({"s":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[)"
      R"({"key":"pay","doc_count":2}]}})");
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"s":{"terms":{"field":"Service","order":{"d":"desc"}},"aggs":{"d":{"sum":{"field":"Duration"}}}}}})"),
      R"({"s":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[)"
      R"({"key":"pay","doc_count":2,"d":{"value":2620.0}},{"key":"auth","doc_count":1,"d":{"value":15.0}},)"
      R"({"key":"inv","doc_count":1,"d":{"value":0.0}}]}})");
}

TEST_F(AggregationTest, DateHistogramFillsEmptyBucketsAndFormatsKeys) {
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"h":{"date_histogram":{"field":"@timestamp","calendar_interval":"day"}}}})"),
      R"({"h":{"buckets":[)"
      R"({"key_as_string":"2024-01-01T00:00:00.000Z","key":1704067200000,"doc_count":2},)"
      R"({"key_as_string":"2024-01-02T00:00:00.000Z","key":1704153600000,"doc_count":0},)"
      R"({"key_as_string":"2024-01-03T00:00:00.000Z","key":1704240000000,"doc_count":2}]}})");
  // min_doc_count 1 drops the empty day; format and time_zone shape the keys.
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"h":{"date_histogram":{"field":"@timestamp","calendar_interval":"1d","min_doc_count":1,"format":"yyyy-MM-dd","time_zone":"+02:00"}}}})"),
      R"({"h":{"buckets":[)"
      R"({"key_as_string":"2024-01-01","key":1704060000000,"doc_count":2},)"
      R"({"key_as_string":"2024-01-03","key":1704232800000,"doc_count":1},)"
      R"({"key_as_string":"2024-01-04","key":1704319200000,"doc_count":1}]}})");
  // extended_bounds widens the range with empty buckets (date math against "now").
  std::string widened = aggs(
      R"({"size":0,"aggs":{"h":{"date_histogram":{"field":"@timestamp","calendar_interval":"day","extended_bounds":{"min":"2023-12-30","max":"now"}}}}})");
  EXPECT_NE(
      widened.find(
          R"({"key_as_string":"2023-12-30T00:00:00.000Z","key":1703894400000,"doc_count":0})"),
      std::string::npos)
      << widened;
  EXPECT_NE(widened.find(R"("key":1704326400000,"doc_count":0})"), std::string::npos) << widened;
}

TEST_F(AggregationTest, DateHistogramAcrossDaylightSavingTime) {
  auto idx = manual_index("dst", R"({"properties":{"t":{"type":"date"}}})");
  ASSERT_NE(idx, nullptr);
  // Paris: clocks go forward on 2024-03-31 at 02:00 (23-hour day).
  for (const char* t : {"2024-03-30T23:30:00Z", "2024-03-31T21:59:00Z", "2024-03-31T22:00:00Z"})
    ASSERT_TRUE(idx->index_doc(std::string(R"({"t":")") + t + "\"}", std::nullopt).ok());
  ASSERT_TRUE(idx->refresh().ok());
  auto req = parse_es_json(
      R"({"size":0,"aggs":{"d":{"date_histogram":{"field":"t","calendar_interval":"day","time_zone":"Europe/Paris"}}}})");
  ASSERT_TRUE(req.ok());
  auto resp = idx->search(*req);
  ASSERT_TRUE(resp.ok()) << resp.error().message;
  EXPECT_EQ(
      to_json_text(json::value(*resp->aggregations)),
      R"({"d":{"buckets":[)"
      R"({"key_as_string":"2024-03-31T00:00:00.000+01:00","key":1711839600000,"doc_count":2},)"
      R"({"key_as_string":"2024-04-01T00:00:00.000+02:00","key":1711922400000,"doc_count":1}]}})");
}

// A top-level date histogram on a time-ordered column walks its docs bucket by bucket
// and hands its sub-aggregations blocks; the same histogram under a match-all filter
// takes the per-doc path. Both answers are identical, across DST and with deletes.
TEST_F(AggregationTest, SortedDateHistogramWithSubAggregationsEqualsPerDocPath) {
  auto idx = manual_index(
      "sorted",
      R"({"properties":{"t":{"type":"date"},"v":{"type":"double"},"k":{"type":"keyword"}}})");
  ASSERT_NE(idx, nullptr);
  std::mt19937 rng(5);
  int64_t t = 1711670400000;  // 2024-03-29T00:00Z, across Paris's DST change
  for (int i = 0; i < 3000; ++i) {
    t += static_cast<int64_t>(rng() % 400000);
    json::object doc{
        {"t", t}, {"v", double(rng() % 1000) / 4}, {"k", "k" + std::to_string(rng() % 50)}};
    ASSERT_TRUE(idx->index_doc(json::serialize(doc), std::to_string(i)).ok());
    if (i % 1000 == 999) {
      ASSERT_TRUE(idx->refresh().ok());
    }
  }
  for (int i = 0; i < 3000; i += 11) ASSERT_TRUE(idx->delete_doc(std::to_string(i)).ok());
  ASSERT_TRUE(idx->refresh().ok());
  const std::string histogram =
      R"({"date_histogram":{"field":"t","calendar_interval":"hour","time_zone":"Europe/Paris"},
          "aggs":{"sum":{"sum":{"field":"v"}},"keys":{"cardinality":{"field":"k"}}}})";
  auto run = [&](const std::string& aggs) {
    auto req = parse_es_json(R"({"size":0,"aggs":)" + aggs + "}");
    EXPECT_TRUE(req.ok());
    auto resp = idx->search(*req);
    EXPECT_TRUE(resp.ok());
    return resp.ok() ? json::value(*resp->aggregations) : json::value();
  };
  const json::value walked = run(R"({"h":)" + histogram + "}");
  const json::value per_doc =
      run(R"({"f":{"filter":{"match_all":{}},"aggs":{"h":)" + histogram + "}}}");
  ASSERT_TRUE(walked.is_object() && per_doc.is_object());
  EXPECT_GT(walked.at("h").at("buckets").as_array().size(), 100u);
  EXPECT_EQ(to_json_text(walked.at("h")), to_json_text(per_doc.at("f").at("h")));
}

// Over 100,000 matched docs the top-level aggregations are collected on two threads:
// the answer equals each aggregation run alone (one thread), key order included.
TEST(ParallelAggregationTest, TwoThreadsEqualOneAggregationAtATime) {
  auto idx = manual_index(
      "parallel",
      R"({"properties":{"t":{"type":"date"},"v":{"type":"double"},"k":{"type":"keyword"}}})");
  ASSERT_NE(idx, nullptr);
  std::mt19937 rng(9);
  std::vector<BulkItem> batch;
  for (int i = 0; i < 120000; ++i) {
    BulkItem item;
    item.source = R"({"t":)" + std::to_string(1704067200000 + int64_t(rng() % 90) * 86400000) +
                  R"(,"v":)" + std::to_string(rng() % 1000) + R"(,"k":"k)" +
                  std::to_string(rng() % 300) + R"("})";
    batch.push_back(std::move(item));
    if (batch.size() == 20000) {
      ASSERT_TRUE(idx->bulk(batch).ok());
      ASSERT_TRUE(idx->refresh().ok());
      batch.clear();
    }
  }
  const std::vector<std::pair<std::string, std::string>> aggs = {
      {"sum", R"({"sum":{"field":"v"}})"},
      {"keys", R"({"cardinality":{"field":"k"}})"},
      {"by_key",
       R"({"terms":{"field":"k","size":20,"order":{"s":"desc"}},"aggs":{"s":{"sum":{"field":"v"}}}})"},
      {"days",
       R"({"date_histogram":{"field":"t","calendar_interval":"week"},"aggs":{"c":{"cardinality":{"field":"k"}}}})"},
      {"stats", R"({"stats":{"field":"v"}})"},
  };
  auto run = [&](const std::string& body) {
    auto resp = idx->search(*parse_es_json(R"({"size":0,"aggs":{)" + body + "}}"));
    EXPECT_TRUE(resp.ok());
    return resp.ok() ? json::value(*resp->aggregations) : json::value();
  };
  std::string all;
  json::object expected;
  for (const auto& [name, body] : aggs) {
    all += (all.empty() ? "" : ",") + ("\"" + name + "\":" + body);
    expected[name] = run("\"" + name + "\":" + body).at(name);
  }
  for (int round = 0; round < 3; ++round)
    EXPECT_EQ(to_json_text(run(all)), to_json_text(json::value(expected)));
}

TEST_F(AggregationTest, HistogramRangeAndDateRange) {
  EXPECT_EQ(aggs(R"({"size":0,"aggs":{"h":{"histogram":{"field":"price","interval":10}}}})"),
            R"({"h":{"buckets":[{"key":0.0,"doc_count":1},{"key":10.0,"doc_count":0},)"
            R"({"key":20.0,"doc_count":1}]}})");
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"r":{"range":{"field":"Duration","ranges":[{"from":100},{"to":100},{"from":100,"to":1000,"key":"mid"}]}}}})"),
      R"({"r":{"buckets":[{"key":"*-100.0","to":100.0,"doc_count":1},)"
      R"({"key":"mid","from":100.0,"to":1000.0,"doc_count":1},)"
      R"({"key":"100.0-*","from":100.0,"doc_count":2}]}})");
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"r":{"date_range":{"field":"@timestamp","format":"yyyy-MM-dd","ranges":[{"from":"2024-01-02"},{"to":"now-1d/d"}]}}}})"),
      R"({"r":{"buckets":[{"key":"*-2024-01-03","to":1704240000000.0,"to_as_string":"2024-01-03","doc_count":2},)"
      R"({"key":"2024-01-02-*","from":1704153600000.0,"from_as_string":"2024-01-02","doc_count":2}]}})");
}

TEST_F(AggregationTest, FiltersFilterAndMissing) {
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"f":{"filters":{"other_bucket":true,"filters":{"err":{"term":{"Level":"ERROR"}},"slow":{"range":{"Duration":{"gte":1000}}}}}}}})"),
      R"({"f":{"buckets":{"err":{"doc_count":3},"slow":{"doc_count":1},"_other_":{"doc_count":1}}}})");
  EXPECT_EQ(aggs(R"({"size":0,"aggs":{"f":{"filters":{"filters":[{"match_all":{}}]}}}})"),
            R"({"f":{"buckets":[{"doc_count":4}]}})");
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"e":{"filter":{"term":{"Service":"pay"}},"aggs":{"m":{"max":{"field":"Duration"}}}},"n":{"missing":{"field":"price"}}}})"),
      R"({"e":{"doc_count":2,"m":{"value":2500.0}},"n":{"doc_count":2}})");
}

TEST_F(AggregationTest, MetricsAndEmptySets) {
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"s":{"sum":{"field":"price"}},"a":{"avg":{"field":"Duration"}},"c":{"value_count":{"field":"Level"}},"st":{"stats":{"field":"price"}}}})"),
      R"({"s":{"value":29.5},"a":{"value":878.3333333333334},"c":{"value":5},)"
      R"("st":{"count":2,"min":9.5,"max":20.0,"avg":14.75,"sum":29.5}})");
  EXPECT_EQ(
      aggs(
          R"({"size":0,"query":{"term":{"Level":"nope"}},"aggs":{"s":{"sum":{"field":"price"}},"a":{"avg":{"field":"price"}},"m":{"min":{"field":"price"}},"c":{"value_count":{"field":"price"}},"st":{"stats":{"field":"price"}},"p":{"percentiles":{"field":"price","percents":[50]}},"u":{"cardinality":{"field":"Level"}},"t":{"terms":{"field":"Level"}}}})"),
      R"({"s":{"value":0.0},"a":{"value":null},"m":{"value":null},"c":{"value":0},)"
      R"("st":{"count":0,"min":null,"max":null,"avg":null,"sum":0.0},"p":{"values":{"50.0":null}},)"
      R"("u":{"value":0},"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]}})");
  // Dates: value_as_string.
  EXPECT_EQ(aggs(R"({"size":0,"aggs":{"m":{"max":{"field":"@timestamp"}}}})"),
            R"({"m":{"value":1704322800000.0,"value_as_string":"2024-01-03T23:00:00.000Z"}})");
}

TEST_F(AggregationTest, CardinalityPercentilesAndTopHits) {
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"u":{"cardinality":{"field":"Service"}},"p":{"percentiles":{"field":"Duration"}}}})"),
      R"({"u":{"value":3},"p":{"values":{"1.0":17.1,"5.0":25.5,"25.0":67.5,)"
      R"("50.0":120.0,"75.0":1310.0,"95.0":2262.0,"99.0":2452.4}}})");
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"p":{"percentiles":{"field":"Duration","percents":[50],"keyed":false}}}})"),
      R"({"p":{"values":[{"key":50.0,"value":120.0}]}})");
  std::string top = aggs(
      R"({"size":0,"aggs":{"s":{"terms":{"field":"Service","size":1},"aggs":{"latest":{"top_hits":{"size":1,"sort":[{"@timestamp":"desc"}],"_source":["Level"]}}}}}})");
  EXPECT_EQ(
      top,
      R"({"s":{"doc_count_error_upper_bound":0,"sum_other_doc_count":2,"buckets":[{"key":"pay","doc_count":2,)"
      R"("latest":{"hits":{"total":{"value":2,"relation":"eq"},"max_score":null,"hits":[)"
      R"({"_index":"logs","_id":"3","_score":null,"_source":{"Level":"ERROR"},"sort":[1704274200000]}]}}}]}})");
}

// Top-level cardinality is exact far beyond precision_threshold (one counter; a
// deliberate difference in docs/compat.md): 60,000 distinct orders count as 60,000,
// keyword or number. Under a bucket the threshold applies as in Elasticsearch.
TEST(TopLevelCardinalityTest, ExactBeyondThePrecisionThreshold) {
  auto idx = manual_index("orders", "{}");
  ASSERT_NE(idx, nullptr);
  std::vector<BulkItem> batch;
  for (int i = 0; i < 120000; ++i) {  // two lines per order, in three segments
    BulkItem item;
    item.source = R"({"order":"INV)" + std::to_string(i / 2) + R"(","n":)" + std::to_string(i / 2) +
                  R"(,"g":")" + (i % 4 < 2 ? "a" : "b") + R"("})";
    batch.push_back(std::move(item));
    if (batch.size() == 40000) {
      ASSERT_TRUE(idx->bulk(batch).ok());
      ASSERT_TRUE(idx->refresh().ok());
      batch.clear();
    }
  }
  auto value_of = [&](const std::string& aggs, const std::vector<std::string>& path) {
    auto resp = idx->search(*parse_es_json(R"({"size":0,"aggs":)" + aggs + "}"));
    EXPECT_TRUE(resp.ok());
    json::value v = resp.ok() ? json::value(*resp->aggregations) : json::value();
    for (const auto& p : path) v = v.is_object() ? v.at(p) : v.as_array().at(std::stoul(p));
    return v.to_number<int64_t>();
  };
  EXPECT_EQ(value_of(R"({"o":{"cardinality":{"field":"order.keyword","precision_threshold":100}}})",
                     {"o", "value"}),
            60000);
  EXPECT_EQ(value_of(R"({"o":{"cardinality":{"field":"n"}}})", {"o", "value"}), 60000);
  // Under a bucket: 30,000 distinct per bucket, a HyperLogLog estimate above 100.
  const int64_t bucketed = value_of(
      R"({"g":{"terms":{"field":"g.keyword"},"aggs":{"o":{"cardinality":{"field":"order.keyword","precision_threshold":100}}}}})",
      {"g", "buckets", "0", "o", "value"});
  EXPECT_NEAR(double(bucketed), 30000.0, 30000.0 * 0.03);
}

TEST_F(AggregationTest, SubAggregationsToAnyDepthAndMeta) {
  EXPECT_EQ(
      aggs(
          R"({"size":0,"aggs":{"d":{"meta":{"panel":1},"date_histogram":{"field":"@timestamp","calendar_interval":"day","min_doc_count":1},"aggs":{"l":{"terms":{"field":"Level"},"aggs":{"s":{"terms":{"field":"Service"},"aggs":{"x":{"sum":{"field":"Duration"}}}}}}}}}})"),
      R"({"d":{"meta":{"panel":1},"buckets":[{"key_as_string":"2024-01-01T00:00:00.000Z","key":1704067200000,"doc_count":2,)"
      R"("l":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[)"
      R"({"key":"ERROR","doc_count":1,"s":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"pay","doc_count":1,"x":{"value":120.0}}]}},)"
      R"({"key":"INFO","doc_count":1,"s":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"auth","doc_count":1,"x":{"value":15.0}}]}}]}},)"
      R"({"key_as_string":"2024-01-03T00:00:00.000Z","key":1704240000000,"doc_count":2,)"
      R"("l":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[)"
      R"({"key":"ERROR","doc_count":2,"s":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"inv","doc_count":1,"x":{"value":0.0}},{"key":"pay","doc_count":1,"x":{"value":2500.0}}]}},)"
      R"({"key":"WARNING","doc_count":1,"s":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"inv","doc_count":1,"x":{"value":0.0}}]}}]}}]}})");
}

TEST_F(AggregationTest, ErrorsAsElasticsearch) {
  EXPECT_EQ(error(R"({"aggs":{"h":{"date_histogram":{"field":"@timestamp","interval":"day"}}}})"),
            "x_content_parse_exception: [date_histogram] unknown field [interval]");
  EXPECT_EQ(
      error(R"({"aggs":{"h":{"date_histogram":{"field":"@timestamp","calendar_interval":"2d"}}}})"),
      "illegal_argument_exception: The supplied interval [2d] could not be parsed as a "
      "calendar interval.");
  EXPECT_EQ(error(R"({"aggs":{"x":{"nope":{"field":"a"}}}})"),
            "parsing_exception: Unknown aggregation type [nope]");
  EXPECT_EQ(error(R"({"aggs":{"x":{"terms":{"field":"a"},"avg":{"field":"b"}}}})"),
            "parsing_exception: Found two aggregation type definitions in [x]: [terms] and [avg]");
  EXPECT_EQ(
      error(
          R"({"aggs":{"x":{"sum":{"field":"Duration"},"aggs":{"y":{"sum":{"field":"price"}}}}}})"),
      "aggregation_initialization_exception: Aggregator [x] of type [sum] cannot accept "
      "sub-aggregations");
  EXPECT_NE(error(R"({"aggs":{"t":{"terms":{"field":"Message"}}}})")
                .find("illegal_argument_exception: Text fields are not optimised"),
            std::string::npos);
  EXPECT_NE(error(R"({"aggs":{"t":{"terms":{"field":"Level","order":{"nope":"asc"}}}}})")
                .find("Invalid aggregator order path [nope]"),
            std::string::npos);
  EXPECT_EQ(error(R"({"aggs":{"t":{"terms":{"field":"Level","size":0}}}})"),
            "illegal_argument_exception: [size] must be greater than 0. Found [0] in [Level]");
  EXPECT_NE(
      error(R"({"aggs":{"h":{"date_histogram":{"field":"@timestamp","fixed_interval":"1ms"}}}})")
          .find("too_many_buckets_exception"),
      std::string::npos);
  EXPECT_NE(error(R"({"aggs":{"s":{"sum":{"field":"Level"}}}})")
                .find("Field [Level] of type [keyword] is not supported for aggregation [sum]"),
            std::string::npos);
}

TEST_F(AggregationTest, UnmappedFieldsGiveEmptyResults) {
  EXPECT_EQ(
      aggs(R"({"size":0,"aggs":{"t":{"terms":{"field":"nope"}},"s":{"sum":{"field":"nope"}}}})"),
      R"({"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]},"s":{"value":0.0}})");
}

TEST(AggregationDslTest, RoundTripsThroughEsJson) {
  const char* body = R"({"aggs":{
    "t":{"terms":{"field":"k","size":3,"min_doc_count":0,"order":[{"m":"asc"}],"missing":"x",
                  "include":["a","b"]},"aggs":{"m":{"avg":{"field":"n"}}}},
    "d":{"date_histogram":{"field":"ts","fixed_interval":"90m","time_zone":"Europe/Paris",
         "offset":"+1h","extended_bounds":{"min":"now-1d","max":"now"},"format":"yyyy"}},
    "h":{"histogram":{"field":"n","interval":2.5,"offset":1,"keyed":true}},
    "r":{"date_range":{"field":"ts","ranges":[{"from":"now-1d","to":"now","key":"k"}]}},
    "f":{"filters":{"filters":{"a":{"term":{"k":"x"}}},"other_bucket_key":"rest"}},
    "one":{"filter":{"exists":{"field":"k"}}},
    "mi":{"missing":{"field":"k"}},
    "c":{"cardinality":{"field":"k","precision_threshold":100}},
    "p":{"percentiles":{"field":"n","percents":[10,90],"keyed":false,"tdigest":{"compression":200}}},
    "th":{"top_hits":{"size":2,"sort":[{"ts":"desc"}],"_source":{"includes":["k"]}}},
    "st":{"stats":{"field":"n","missing":0}}}})";
  auto a = parse_es_json(body);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_EQ(a->aggregations.size(), 11u);
  auto b = parse_search_request(to_es_json(*a));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(*a, *b) << json::serialize(to_es_json(*a));
}

TEST(CardinalityCounterTest, ExactBelowThresholdWithinBoundsAbove) {
  CardinalityCounter exact(3000);
  for (int i = 0; i < 3000; ++i) exact.add_hash(hash_int(i % 2500));
  EXPECT_TRUE(exact.exact());
  EXPECT_EQ(exact.estimate(), 2500u);
  for (uint64_t n : {5000u, 100000u, 1000000u}) {
    CardinalityCounter c(3000);
    for (uint64_t i = 0; i < n; ++i) c.add_hash(hash_bytes("user" + std::to_string(i)));
    double err = std::fabs(double(c.estimate()) - double(n)) / double(n);
    EXPECT_LT(err, 0.03) << n << " estimated as " << c.estimate();
  }
}

// Reserving for a segment's distinct values changes nothing in the answer: sized up
// front below the threshold, or straight to the sketch when they alone pass it.
TEST(CardinalityCounterTest, ReserveDistinctGivesTheSameEstimates) {
  for (uint64_t first : {0u, 500u, 2900u}) {
    for (uint64_t more : {10u, 2000u, 3001u, 50000u}) {
      CardinalityCounter plain(3000), reserved(3000);
      for (uint64_t i = 0; i < first; ++i) {
        plain.add_hash(hash_int(i));
        reserved.add_hash(hash_int(i));
      }
      reserved.reserve_distinct(more);
      for (uint64_t i = 0; i < more; ++i) {
        plain.add_hash(hash_int(first / 2 + i));  // overlaps the first values
        reserved.add_hash(hash_int(first / 2 + i));
      }
      EXPECT_EQ(plain.exact(), reserved.exact()) << first << " + " << more;
      EXPECT_EQ(plain.estimate(), reserved.estimate()) << first << " + " << more;
    }
  }
}

// Sums are compensated: a large value followed by many small ones keeps every unit,
// and the top-level, bucketed and per-doc paths agree to the last bit.
TEST(MetricAggregationTest, CompensatedSumsAgreeAcrossCollectionPaths) {
  auto idx =
      manual_index("sums", R"({"properties":{"v":{"type":"double"},"k":{"type":"keyword"}}})");
  ASSERT_NE(idx, nullptr);
  std::vector<BulkItem> batch;
  std::mt19937 rng(3);
  for (int i = 0; i < 20000; ++i) {
    BulkItem item;
    double v = i == 0 ? 1e16 : (i % 7 == 0 ? 0.1 : 1.0 + double(rng() % 100) / 1000.0);
    item.source = R"({"v":)" + to_json_text(json::value(v)) + R"(,"k":"k)" +
                  std::to_string(i % 3 == 0 ? 0 : 1 + i % 2) + R"("})";
    batch.push_back(std::move(item));
  }
  ASSERT_TRUE(idx->bulk(batch).ok());
  ASSERT_TRUE(idx->refresh().ok());
  auto run = [&](const std::string& aggs) {
    auto resp = idx->search(*parse_es_json(R"({"size":0,"aggs":)" + aggs + "}"));
    EXPECT_TRUE(resp.ok());
    return resp.ok() ? json::value(*resp->aggregations) : json::value();
  };
  // The exact sum, by long double over sorted magnitudes.
  std::vector<double> values;
  for (const auto& item : batch)
    values.push_back(json::parse(item.source).at("v").to_number<double>());
  std::sort(values.begin(), values.end());
  long double exact = 0;
  for (double v : values) exact += v;
  const double top = run(R"({"s":{"sum":{"field":"v"}}})").at("s").at("value").as_double();
  EXPECT_EQ(top, double(exact));
  // One bucket holding everything: the bucketed (block) path and the per-doc path
  // (under a filter) give the top-level bits.
  const json::value bucketed = run(
      R"({"all":{"filters":{"filters":{"x":{"match_all":{}}}},"aggs":{"s":{"sum":{"field":"v"}}}},
              "f":{"filter":{"match_all":{}},"aggs":{"s":{"sum":{"field":"v"}}}}})");
  EXPECT_EQ(bucketed.at("all").at("buckets").at("x").at("s").at("value").as_double(), top);
  EXPECT_EQ(bucketed.at("f").at("s").at("value").as_double(), top);
  // Per key: the terms (block) path equals each key filtered alone.
  const json::value by_key =
      run(R"({"k":{"terms":{"field":"k"},"aggs":{"s":{"sum":{"field":"v"}}}}})");
  for (const auto& b : by_key.at("k").at("buckets").as_array()) {
    const std::string key(b.at("key").as_string());
    const json::value alone = run(R"({"f":{"filter":{"term":{"k":")" + key +
                                  R"("}},"aggs":{"s":{"sum":{"field":"v"}}}}})");
    EXPECT_EQ(b.at("s").at("value").as_double(), alone.at("f").at("s").at("value").as_double())
        << key;
  }
}

TEST(TDigestTest, ExactForSmallSamplesAccurateForLargeOnes) {
  TDigest small;
  for (int i = 1; i <= 5; ++i) small.add(i * 10);
  EXPECT_DOUBLE_EQ(small.quantile(0.5), 30);
  EXPECT_DOUBLE_EQ(small.quantile(0.25), 20);
  EXPECT_DOUBLE_EQ(small.quantile(0.1), 14);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1000);
  std::vector<double> values;
  TDigest big;
  for (int i = 0; i < 200000; ++i) {
    double v = u(rng);
    values.push_back(v);
    big.add(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}) {
    double exact = values[static_cast<size_t>(q * double(values.size() - 1))];
    // Rank error below 0.5% of the sample (t-digest with compression 100).
    double rank =
        double(std::lower_bound(values.begin(), values.end(), big.quantile(q)) - values.begin()) /
        double(values.size());
    EXPECT_NEAR(rank, q, 0.005) << "q=" << q << " exact=" << exact << " got=" << big.quantile(q);
  }
}

}  // namespace
}  // namespace comptoir::engine
