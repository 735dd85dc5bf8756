// DSL: every query type and request option parsed from ES JSON, written back in the
// canonical form and parsed again to the same typed request (table-driven); typed
// errors for bad input; query_string / simple_query_string trees.
#include <gtest/gtest.h>

#include "engine/dsl/dsl_error.h"
#include "engine/dsl/query_json.h"
#include "engine/dsl/query_string_parser.h"
#include "engine/dsl/search_request.h"
#include "engine/dsl/search_response.h"

namespace comptoir::engine {
namespace {

namespace json = boost::json;

struct RoundTripCase {
  std::string input;
  std::string canonical;  // to_es_json(parse(input)); "" = same as input
};

TEST(DslTest, RoundTripTable) {
  const std::vector<RoundTripCase> cases = {
      {R"({})", R"({})"},
      {R"({"query":{"match_all":{}}})", ""},
      {R"({"query":{"match_all":{"boost":2.0}}})", ""},
      {R"({"query":{"match_none":{}}})", ""},
      {R"({"query":{"match":{"Message":"payment failed"}}})",
       R"({"query":{"match":{"Message":{"query":"payment failed"}}}})"},
      {R"({"query":{"match":{"Message":{"query":"payment failed","operator":"AND","minimum_should_match":2}}}})",
       R"({"query":{"match":{"Message":{"query":"payment failed","operator":"and","minimum_should_match":"2"}}}})"},
      {R"({"query":{"match":{"n":42}}})", R"({"query":{"match":{"n":{"query":42}}}})"},
      {R"({"query":{"match_phrase":{"Message":{"query":"card declined","slop":1}}}})", ""},
      {R"({"query":{"multi_match":{"query":"timeout","fields":["Message","Service^2"]}}})",
       R"({"query":{"multi_match":{"query":"timeout","fields":["Message","Service^2"],"type":"best_fields"}}})"},
      {R"({"query":{"term":{"Level":"ERROR"}}})",
       R"({"query":{"term":{"Level":{"value":"ERROR"}}}})"},
      {R"({"query":{"term":{"Level":{"value":"error","case_insensitive":true,"boost":1.5}}}})", ""},
      {R"({"query":{"term":{"Duration":125}}})",
       R"({"query":{"term":{"Duration":{"value":125}}}})"},
      {R"({"query":{"terms":{"Level":["ERROR","WARNING"]}}})", ""},
      {R"({"query":{"range":{"@timestamp":{"gte":"now-1d/d","lt":"now/d","time_zone":"+01:00"}}}})",
       ""},
      {R"({"query":{"range":{"price":{"gt":10,"lte":20.5}}}})", ""},
      {R"({"query":{"range":{"d":{"gte":"01/02/2024","format":"dd/MM/yyyy"}}}})", ""},
      {R"({"query":{"range":{"n":{"from":1,"to":5,"include_upper":false}}}})",
       R"({"query":{"range":{"n":{"gte":1,"lt":5}}}})"},
      {R"({"query":{"exists":{"field":"User"}}})", ""},
      {R"({"query":{"prefix":{"Service":"pay"}}})",
       R"({"query":{"prefix":{"Service":{"value":"pay"}}}})"},
      {R"({"query":{"wildcard":{"Service":{"wildcard":"*ment*"}}}})",
       R"({"query":{"wildcard":{"Service":{"value":"*ment*"}}}})"},
      {R"({"query":{"query_string":{"query":"Level:ERROR AND Service:(payment OR auth) AND x","default_operator":"AND"}}})",
       R"({"query":{"query_string":{"query":"Level:ERROR AND Service:(payment OR auth) AND x","default_operator":"and"}}})"},
      {R"({"query":{"query_string":{"query":"x","fields":["a","b^3"],"default_field":"c"}}})", ""},
      {R"({"query":{"simple_query_string":{"query":"foo -bar","fields":["Message"]}}})", ""},
      {R"({"query":{"ids":{"values":["1","2"]}}})", ""},
      {R"({"query":{"bool":{"must":{"match":{"Message":"x"}},"filter":[{"term":{"Level":"ERROR"}}],"should":[],"must_not":[{"exists":{"field":"User"}}],"minimum_should_match":"1"}}})",
       R"({"query":{"bool":{"must":[{"match":{"Message":{"query":"x"}}}],"filter":[{"term":{"Level":{"value":"ERROR"}}}],"must_not":[{"exists":{"field":"User"}}],"minimum_should_match":"1"}}})"},
      {R"({"query":{"dis_max":{"queries":[{"match_all":{}}],"tie_breaker":0.5}}})", ""},
      {R"({"from":20,"size":5})", ""},
      {R"({"sort":["_score",{"@timestamp":"desc"},{"price":{"order":"asc","missing":"_first"}}]})",
       R"({"sort":[{"_score":{}},{"@timestamp":{"order":"desc"}},{"price":{"order":"asc","missing":"_first"}}]})"},
      {R"({"sort":[{"@timestamp":{"order":"desc"}},{"id.keyword":{"order":"asc"}}],"search_after":[1700000000000,"a1"]})",
       ""},
      {R"({"_source":false})", ""},
      {R"({"_source":"Level"})", R"({"_source":{"includes":["Level"],"excludes":[]}})"},
      {R"({"_source":{"includes":["a.*"],"excludes":["a.secret"]}})", ""},
      {R"({"track_total_hits":true})", ""},
      {R"({"track_total_hits":false})", ""},
      {R"({"track_total_hits":100})", ""},
      {R"({"track_scores":true,"sort":[{"n":{"order":"asc"}}]})",
       R"({"sort":[{"n":{"order":"asc"}}],"track_scores":true})"},
      {R"({"aggs":{"levels":{"terms":{"field":"Level"}}}})", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("input: " + c.input);
    auto r1 = parse_es_json(c.input);
    ASSERT_TRUE(r1.ok()) << r1.error().message;
    json::value j1 = to_es_json(*r1);
    EXPECT_EQ(j1, json::parse(c.canonical.empty() ? c.input : c.canonical)) << json::serialize(j1);
    auto r2 = parse_search_request(j1);
    ASSERT_TRUE(r2.ok()) << r2.error().message;
    EXPECT_EQ(json::serialize(to_es_json(*r2)), json::serialize(j1));
    EXPECT_TRUE(*r1 == *r2);
  }
}

struct ErrorCase {
  std::string input;
  std::string type;
  std::string reason_part;
};

TEST(DslTest, TypedErrors) {
  const std::vector<ErrorCase> cases = {
      {R"({"query":{"matc":{"a":"b"}}})", "parsing_exception", "unknown query [matc]"},
      {R"({"query":{"match":{"a":{"query":"b","foo":1}}}})", "parsing_exception",
       "[match] query does not support [foo]"},
      {R"({"query":{"term":{"a":"b","c":"d"}}})", "parsing_exception", "multiple fields"},
      {R"({"query":{"match_all":{},"term":{"a":"b"}}})", "parsing_exception", "malformed query"},
      {R"({"from":10000,"size":10})", "search_phase_execution_exception",
       "Result window is too large, from + size must be less than or equal to: [10000] but was "
       "[10010]"},
      {R"({"size":-1})", "illegal_argument_exception", "[size] parameter cannot be negative"},
      {R"({"from":5,"search_after":[1],"sort":["n"]})", "illegal_argument_exception",
       "search_after"},
      {R"({"search_after":[1,2],"sort":["n"]})", "illegal_argument_exception",
       "search_after has 2"},
      {R"({"query":{"query_string":{"query":"heart("}}})", "query_shard_exception",
       "Failed to parse query [heart(]"},
      {R"({"query":{"query_string":{"query":"a AND"}}})", "query_shard_exception",
       "Failed to parse"},
      {R"({"query":{"query_string":{"query":"\"unterminated"}}})", "query_shard_exception",
       "Failed"},
      {R"({"query":{"query_string":{"query":"[1 TO"}}})", "query_shard_exception", "Failed"},
      {R"({"query":{"query_string":{"query":"*ab","allow_leading_wildcard":false}}})",
       "query_shard_exception", "Leading wildcard"},
      {R"({"unknown":1})", "parsing_exception", "Unknown key"},
      {R"({"sort":[{"a":"sideways"}]})", "parsing_exception", "order"},
      {R"({"query":{"range":{"a":{"gt":1,"bogus":2}}}})", "parsing_exception",
       "[range] query does not support [bogus]"},
      {R"({"query":{"exists":{}}})", "parsing_exception", "[field]"},
      {R"(not json)", "parsing_exception", "failed to parse"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("input: " + c.input);
    auto r = parse_es_json(c.input);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    auto parts = es_error_parts(r.error());
    EXPECT_EQ(parts.type, c.type) << r.error().message;
    EXPECT_NE(parts.reason.find(c.reason_part), std::string::npos) << parts.reason;
  }
}

std::string qs(const std::string& text, Operator op = Operator::kOr) {
  QueryStringQuery q;
  q.query = text;
  q.default_field = "f";
  q.default_operator = op;
  auto r = parse_query_string(q);
  if (!r) return "ERROR " + r.error().message;
  return json::serialize(to_es_json(*r));
}

TEST(DslTest, QueryStringTrees) {
  EXPECT_EQ(qs("a"), R"({"match":{"f":{"query":"a","lenient":true}}})");
  EXPECT_EQ(qs("Level:ERROR"), R"({"match":{"Level":{"query":"ERROR","lenient":true}}})");
  EXPECT_EQ(
      qs("a AND b"),
      R"({"bool":{"must":[{"match":{"f":{"query":"a","lenient":true}}},{"match":{"f":{"query":"b","lenient":true}}}]}})");
  EXPECT_EQ(
      qs("a b"),
      R"({"bool":{"should":[{"match":{"f":{"query":"a","lenient":true}}},{"match":{"f":{"query":"b","lenient":true}}}]}})");
  EXPECT_EQ(
      qs("a -b"),
      R"({"bool":{"should":[{"match":{"f":{"query":"a","lenient":true}}}],"must_not":[{"match":{"f":{"query":"b","lenient":true}}}]}})");
  EXPECT_EQ(
      qs("NOT b"),
      R"({"bool":{"must":[{"match_all":{}}],"must_not":[{"match":{"f":{"query":"b","lenient":true}}}]}})");
  EXPECT_EQ(qs("\"card declined\"~2"),
            R"({"match_phrase":{"f":{"query":"card declined","slop":2}}})");
  EXPECT_EQ(qs("pay*"), R"({"prefix":{"f":{"value":"pay"}}})");
  EXPECT_EQ(qs("qu?ck"), R"({"wildcard":{"f":{"value":"qu?ck"}}})");
  EXPECT_EQ(qs("n:[1 TO 5}"), R"({"range":{"n":{"gte":"1","lt":"5"}}})");
  EXPECT_EQ(qs("n:[10 TO *]"), R"({"range":{"n":{"gte":"10"}}})");
  EXPECT_EQ(qs("age:>=10"), R"({"range":{"age":{"gte":"10"}}})");
  EXPECT_EQ(qs("_exists_:User"), R"({"exists":{"field":"User"}})");
  EXPECT_EQ(qs("User:*"), R"({"exists":{"field":"User"}})");
  EXPECT_EQ(json::parse(qs("a^2")),
            json::parse(R"({"match":{"f":{"query":"a","lenient":true,"boost":2.0}}})"));
  EXPECT_EQ(qs("a\\:b"), R"({"match":{"f":{"query":"a:b","lenient":true}}})");
  EXPECT_EQ(qs("   "), R"({"match_none":{}})");
  EXPECT_EQ(qs("payment-service"), R"({"match":{"f":{"query":"payment-service","lenient":true}}})");
  EXPECT_EQ(
      qs("a and b"),  // lowercase "and" is a term
      R"({"bool":{"should":[{"match":{"f":{"query":"a","lenient":true}}},{"match":{"f":{"query":"and","lenient":true}}},{"match":{"f":{"query":"b","lenient":true}}}]}})");
  // default_operator AND: `a OR b` makes both optional, `c` required.
  EXPECT_EQ(
      qs("a OR b c", Operator::kAnd),
      R"({"bool":{"must":[{"match":{"f":{"query":"c","operator":"and","lenient":true}}}],"should":[{"match":{"f":{"query":"a","operator":"and","lenient":true}}},{"match":{"f":{"query":"b","operator":"and","lenient":true}}}]}})");
  EXPECT_EQ(
      qs("(a OR b) AND c"),
      R"({"bool":{"must":[{"bool":{"should":[{"match":{"f":{"query":"a","lenient":true}}},{"match":{"f":{"query":"b","lenient":true}}}]}},{"match":{"f":{"query":"c","lenient":true}}}]}})");
}

TEST(DslTest, SimpleQueryStringNeverFails) {
  for (std::string text :
       {"foo -bar", "\"unterminated", "((a)", "a | b + c", ")(", "-", "foo~2 bar*", ""}) {
    SimpleQueryStringQuery q;
    q.query = text;
    q.fields = {"f"};
    Query out = parse_simple_query_string(q);
    (void)out;
  }
  SimpleQueryStringQuery q;
  q.query = "foo -bar";
  q.fields = {"f"};
  EXPECT_EQ(
      json::serialize(to_es_json(parse_simple_query_string(q))),
      R"({"bool":{"should":[{"match":{"f":{"query":"foo","lenient":true}}},{"bool":{"should":[{"match_all":{}}],"must_not":[{"match":{"f":{"query":"bar","lenient":true}}}]}}]}})");
}

TEST(DslTest, SourceFiltering) {
  json::value src = json::parse(R"({"a":{"b":1,"c":2,"secret":3},"d":[{"e":1,"f":2}],"g":"x"})");
  SourceFilter f;
  f.includes = {"a.*", "d.e"};
  f.excludes = {"a.secret"};
  EXPECT_EQ(json::serialize(filter_source(src, f)), R"({"a":{"b":1,"c":2},"d":[{"e":1}]})");
  SourceFilter g;
  g.includes = {"a"};
  EXPECT_EQ(json::serialize(filter_source(src, g)), R"({"a":{"b":1,"c":2,"secret":3}})");
  SourceFilter h;
  h.excludes = {"a", "d"};
  EXPECT_EQ(json::serialize(filter_source(src, h)), R"({"g":"x"})");
}

TEST(DslTest, ResponseShapeRoundTrip) {
  SearchResponse r;
  r.took_ms = 3;
  r.total = TotalHits{2, false};
  SearchHit h;
  h.index = "logs";
  h.id = "a1";
  h.source = json::parse(R"({"level":"ERROR"})");
  h.sort = {int64_t{1700000000000}, std::string("a1")};
  r.hits.push_back(h);
  std::string expected =
      R"({"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},)"
      R"("hits":{"total":{"value":2,"relation":"eq"},"max_score":null,"hits":[{"_index":"logs","_id":"a1",)"
      R"("_score":null,"_source":{"level":"ERROR"},"sort":[1700000000000,"a1"]}]}})";
  EXPECT_EQ(json::serialize(to_es_json(r)), expected);
  auto back = parse_search_response(json::parse(expected));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == r);
}

}  // namespace
}  // namespace comptoir::engine
