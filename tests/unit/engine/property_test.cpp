// Property test: random documents (every field type, missing, null and multi-valued
// values, updates and deletes across several segments) and random requests (bool trees
// of every query type, sorts with missing first/last, paging, search_after); the
// engine's hits and totals must equal the brute-force evaluator's. Seeded: set
// COMPTOIR_SEED to replay a failure (the seed is printed).
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "brute_force.h"
#include "brute_force_aggs.h"
#include "engine/dsl/query_json.h"
#include "engine/index/index.h"
#include "engine/query/query_matcher.h"
#include "engine/schema/date_format.h"

namespace comptoir::engine::testing {

double BruteForce::date_ms(const json::value& v) {
  if (v.is_number()) return v.to_number<double>();
  return static_cast<double>(*parse_date(v.get_string()));
}

namespace {

const std::vector<std::string> kKeywords = {"alpha",      "beta", "Gamma", "delta",
                                            "alpha beta", "",     "Écho"};
const std::vector<std::string> kWords = {"Error",  "error",   "timeout", "Payment-Service",
                                         "user42", "foo.bar", "can't",   "10.5",
                                         "ÉCOLE",  "école",   "中文",    "retry"};
const std::vector<std::string> kTokens = {"error",  "timeout", "payment", "service",
                                          "user42", "foo.bar", "can't",   "10.5",
                                          "école",  "中",      "retry",   "nope"};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int percent) { return uniform(1, 100) <= percent; }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(uniform(0, int(v.size()) - 1))];
  }

  json::value maybe_multi(const std::function<json::value()>& one) {
    int r = uniform(0, 9);
    if (r == 0) return nullptr;
    if (r <= 2) {
      json::array a;
      int n = uniform(0, 3);
      for (int i = 0; i < n; ++i) a.push_back(chance(10) ? json::value(nullptr) : one());
      return a;
    }
    return one();
  }

  json::object doc() {
    json::object o;
    auto put = [&](const char* k, const std::function<json::value()>& one) {
      if (chance(80)) o[k] = maybe_multi(one);
    };
    put("kw", [&] { return json::value(pick(kKeywords)); });
    put("num", [&] { return json::value(uniform(-20, 20)); });
    put("dbl", [&] { return json::value(uniform(-20, 20) / 4.0); });
    put("ts", [&] {
      int64_t ms = 1704067200000 + int64_t(uniform(0, 10 * 24)) * 3600000 + uniform(0, 999);
      return chance(30) ? json::value(ms) : json::value(format_date_iso(ms));
    });
    put("flag", [&] { return json::value(chance(50)); });
    put("txt", [&] {
      std::string s;
      int n = uniform(0, 6);
      for (int i = 0; i < n; ++i) s += (i ? (chance(20) ? ", " : " ") : "") + pick(kWords);
      return json::value(s);
    });
    if (chance(50)) {
      json::object obj;
      if (chance(70)) obj["a"] = uniform(0, 5);
      if (chance(70)) obj["b"] = pick(kKeywords);
      o["obj"] = std::move(obj);
    }
    return o;
  }

  JsonScalar num_bound() { return JsonScalar{int64_t(uniform(-20, 20))}; }

  Query leaf() {
    switch (uniform(0, 16)) {
      case 0:
        return MatchAllQuery{};
      case 1:
        return TermQuery{"kw", pick(kKeywords)};
      case 2:
        return TermQuery{"num", int64_t(uniform(-20, 20))};
      case 3:
        return TermQuery{"flag", chance(50)};
      case 4:
        return TermQuery{chance(50) ? "txt" : "obj.b", pick(chance(50) ? kTokens : kKeywords)};
      case 5:
        if (chance(50)) return TermsQuery{"kw", {pick(kKeywords), pick(kKeywords)}};
        return TermsQuery{"obj.a", {int64_t(uniform(0, 5)), int64_t(uniform(0, 5))}};
      case 6:
      case 7: {
        RangeQuery r;
        const char* fields[] = {"num", "dbl", "ts", "kw", "obj.a"};
        r.field = fields[uniform(0, 4)];
        auto bound = [&]() -> JsonScalar {
          if (r.field == "ts") return int64_t(1704067200000 + int64_t(uniform(0, 240)) * 3600000);
          if (r.field == "kw") return pick(kKeywords);
          if (r.field == "dbl") return uniform(-20, 20) / 4.0;
          return num_bound();
        };
        if (chance(50)) (chance(50) ? r.gt : r.gte) = bound();
        if (chance(50)) (chance(50) ? r.lt : r.lte) = bound();
        return r;
      }
      case 8: {
        const char* fields[] = {"kw", "num", "dbl", "ts", "flag", "txt", "obj", "obj.a", "missing"};
        return ExistsQuery{fields[uniform(0, 8)]};
      }
      case 9: {
        PrefixQuery p;
        p.field = chance(50) ? "kw" : "txt";
        const std::string& src = p.field == "kw" ? pick(kKeywords) : pick(kTokens);
        p.value = src.substr(0, static_cast<size_t>(uniform(0, 3)));
        return p;
      }
      case 10: {
        WildcardQuery w;
        w.field = "kw";
        // `*literal*` patterns take the dictionary-scan path; case-insensitive ones
        // read the lowered dictionary (non-ASCII terms through the Unicode lowercase).
        const char* pats[] = {"*a*",   "?eta", "al*", "*",    "*beta", "G*a",
                              "d?l?a", "*AM*", "*é*", "*ÉC*", "*a b*", "*\\**"};
        w.value = pats[uniform(0, 11)];
        w.case_insensitive = chance(30);
        return w;
      }
      case 11:
      case 12: {
        MatchQuery m;
        m.field = "txt";
        m.query = pick(kWords) + (chance(50) ? " " + pick(kWords) : "");
        m.op = chance(50) ? Operator::kAnd : Operator::kOr;
        return m;
      }
      case 13: {
        MatchPhraseQuery p;
        p.field = "txt";
        p.query = pick(kWords) + " " + pick(kWords);
        return p;
      }
      case 14: {
        IdsQuery q;
        for (int i = 0; i < 3; ++i) q.values.push_back(std::to_string(uniform(0, 60)));
        return q;
      }
      case 15: {
        MatchQuery m;
        m.field = "kw";
        m.query = pick(kKeywords);
        return m;
      }
      default:
        return TermQuery{"txt.keyword", pick(kWords)};
    }
  }

  Query query(int depth) {
    if (depth == 0 || chance(50)) return leaf();
    BoolQuery b;
    for (auto* clauses : {&b.must, &b.filter, &b.should, &b.must_not}) {
      int n = uniform(0, 2);
      for (int i = 0; i < n; ++i) clauses->push_back(query(depth - 1));
    }
    if (!b.should.empty() && chance(30)) b.minimum_should_match = std::to_string(uniform(1, 2));
    return b;
  }

  // A random aggregation tree (as ES JSON) over the test fields.
  json::object aggs(int depth) {
    json::object out;
    int n = uniform(1, 2);
    for (int i = 0; i < n; ++i) {
      std::string name = "a" + std::to_string(depth) + std::to_string(i);
      json::object entry;
      bool bucket = depth > 0 && chance(60);
      if (bucket) {
        switch (uniform(0, 6)) {
          case 0:
          case 1: {
            const char* fields[] = {"kw", "num", "dbl", "flag", "obj.b", "ts"};
            json::object t{{"field", fields[uniform(0, 5)]}, {"size", uniform(1, 6)}};
            json::object sub = aggs(depth - 1);
            if (chance(30)) t["order"] = json::object{{"_key", chance(50) ? "asc" : "desc"}};
            if (chance(30)) {
              sub["ord"] = json::object{{"sum", json::object{{"field", "num"}}}};
              t["order"] = json::object{{"ord", chance(50) ? "asc" : "desc"}};
            }
            entry["terms"] = t;
            entry["aggs"] = sub;
            break;
          }
          case 2:
            entry["histogram"] = json::object{{"field", chance(50) ? "num" : "dbl"},
                                              {"interval", chance(50) ? 5 : 2.5}};
            entry["aggs"] = aggs(depth - 1);
            break;
          case 3: {
            json::object h{{"field", "ts"}};
            int which = uniform(0, 2);
            if (which == 0) h["calendar_interval"] = "day";
            if (which == 1) h["calendar_interval"] = "1h";
            if (which == 2) h["fixed_interval"] = "90m";
            if (chance(40)) h["time_zone"] = chance(50) ? "+02:00" : "-05:30";
            entry["date_histogram"] = h;
            if (chance(50)) entry["aggs"] = aggs(depth - 1);
            break;
          }
          case 4:
            entry["range"] =
                json::object{{"field", chance(50) ? "num" : "dbl"},
                             {"ranges", json::array{json::object{{"to", -5}},
                                                    json::object{{"from", -5}, {"to", 2.5}},
                                                    json::object{{"from", 2.5}}}}};
            entry["aggs"] = aggs(depth - 1);
            break;
          case 5:
            entry["filters"] = json::object{{"filters", json::object{{"x", to_es_json(query(2))},
                                                                     {"y", to_es_json(query(2))}}}};
            entry["aggs"] = aggs(depth - 1);
            break;
          default:
            entry["missing"] = json::object{{"field", chance(50) ? "num" : "kw"}};
            entry["aggs"] = aggs(depth - 1);
            break;
        }
      } else {
        const char* metrics[] = {"sum", "avg", "min", "max", "value_count", "stats"};
        switch (uniform(0, 3)) {
          case 0:
          case 1:
            entry[metrics[uniform(0, 5)]] = json::object{{"field", chance(50) ? "num" : "dbl"}};
            break;
          case 2:
            entry["cardinality"] = json::object{{"field", chance(50)   ? "kw"
                                                          : chance(50) ? "num"
                                                                       : "obj.b"}};
            break;
          default:
            entry["percentiles"] = json::object{{"field", chance(50) ? "num" : "dbl"},
                                                {"percents", json::array{0, 25, 50, 99.9, 100}}};
            break;
        }
      }
      out[name] = std::move(entry);
    }
    return out;
  }

  SearchRequest request() {
    SearchRequest r;
    r.query = query(3);
    int n = uniform(1, 2);
    const char* fields[] = {"num", "dbl", "ts", "kw", "txt.keyword", "obj.a", "flag"};
    for (int i = 0; i < n; ++i) {
      SortField f;
      f.field = fields[uniform(0, 6)];
      if (chance(60)) f.order = chance(50) ? SortOrder::kAsc : SortOrder::kDesc;
      if (chance(40)) f.missing = std::string(chance(50) ? "_first" : "_last");
      r.sort.push_back(f);
    }
    r.from = uniform(0, 4);
    r.size = uniform(0, 12);
    r.track_total_hits.up_to = INT64_MAX;
    return r;
  }

 private:
  std::mt19937 rng_;
};

std::map<std::string, BfType> kTypes = {{"kw", BfType::kKeyword}, {"num", BfType::kLong},
                                        {"dbl", BfType::kDouble}, {"ts", BfType::kDate},
                                        {"flag", BfType::kBool},  {"txt", BfType::kText},
                                        {"obj.a", BfType::kLong}, {"obj.b", BfType::kKeyword}};

BruteForce::Key to_key(const JsonScalar& v, const SortField& f) {
  if (const int64_t* i = std::get_if<int64_t>(&v)) {
    if (*i == INT64_MAX) return {0, INFINITY, ""};
    if (*i == INT64_MIN) return {0, -INFINITY, ""};
    return {0, double(*i), ""};
  }
  if (const double* d = std::get_if<double>(&v)) return {0, *d, ""};
  if (const std::string* s = std::get_if<std::string>(&v)) return {1, 0, *s};
  bool numeric = kTypes.count(f.field) && kTypes[f.field] != BfType::kKeyword;
  if (!numeric) return {2, 0, ""};
  bool high = f.missing_first() == (f.effective_order() == SortOrder::kDesc);
  return {0, high ? INFINITY : -INFINITY, ""};
}

// COMPTOIR_SEED, or a random seed (printed by the tests' SCOPED_TRACE).
uint32_t test_seed() {
  if (const char* env = std::getenv("COMPTOIR_SEED"))
    return static_cast<uint32_t>(std::strtoul(env, nullptr, 10));
  return std::random_device{}();
}

// The explicit part of the test mapping (txt and others come from dynamic mapping).
Result<Mapping> test_mapping() {
  return parse_mapping(json::parse(R"({"properties":{"kw":{"type":"keyword"},"num":{"type":"long"},
      "dbl":{"type":"double"},"ts":{"type":"date"},"flag":{"type":"boolean"},
      "obj":{"properties":{"a":{"type":"long"},"b":{"type":"keyword"}}}}})"));
}

// The smallest sub-query whose count differs between engine and oracle (for reports).
std::string smallest_diff(Index& index, const BruteForce& bf, const std::vector<BfDoc>& docs,
                          const Query& q) {
  auto count_bf = [&](const Query& x) {
    int64_t n = 0;
    for (const auto& d : docs) n += bf.matches(x, d);
    return n;
  };
  if (const auto* b = std::get_if<BoolQuery>(&q.node)) {
    for (const auto* clauses : {&b->must, &b->filter, &b->should, &b->must_not})
      for (const auto& c : *clauses)
        if (*index.count(c) != count_bf(c)) return smallest_diff(index, bf, docs, c);
  }
  return json::serialize(to_es_json(q)) + " engine=" + std::to_string(*index.count(q)) +
         " oracle=" + std::to_string(count_bf(q));
}

TEST(IndexPropertyTest, EngineEqualsBruteForce) {
  const uint32_t seed = test_seed();
  SCOPED_TRACE("COMPTOIR_SEED=" + std::to_string(seed));
  Generator gen(seed);
  BruteForce bf(kTypes);
  int checked = 0;
  for (int round = 0; round < 12; ++round) {
    auto mapping = test_mapping();
    ASSERT_TRUE(mapping.ok());
    IndexSettings settings;
    settings.refresh_interval = std::chrono::milliseconds(0);
    settings.merge_factor = 3;
    auto index = Index::create_in_memory("prop", *mapping, settings);
    ASSERT_TRUE(index.ok());
    std::vector<BfDoc> docs;
    int ops = gen.uniform(50, 250);
    std::vector<BulkItem> batch;
    auto apply_batch = [&] {
      if (batch.empty()) return;
      auto r = (*index)->bulk(batch);
      ASSERT_TRUE(r.ok());
      ASSERT_FALSE(r->errors) << "seed " << seed;
      batch.clear();
    };
    for (int i = 0; i < ops; ++i) {
      int id = gen.uniform(0, 60);
      std::string sid = std::to_string(id);
      auto it = std::find_if(docs.begin(), docs.end(), [&](const BfDoc& d) { return d.id == sid; });
      if (it != docs.end()) docs.erase(it);
      if (gen.chance(15)) {
        batch.push_back(BulkItem{BulkOp::kDelete, sid, ""});
      } else {
        json::object src = gen.doc();
        batch.push_back(BulkItem{BulkOp::kIndex, sid, json::serialize(src)});
        docs.push_back(BfDoc{sid, std::move(src)});
      }
      if (gen.chance(10)) apply_batch();
      if (gen.chance(3)) {
        apply_batch();
        ASSERT_TRUE((*index)->refresh().ok());
      }
      if (gen.chance(1)) {
        apply_batch();
        ASSERT_TRUE((*index)->refresh().ok());
        ASSERT_TRUE((*index)->merge(false).ok());
      }
    }
    apply_batch();
    ASSERT_TRUE((*index)->refresh().ok());
    // Merges reorder documents: rebuild the oracle's doc order from the engine's _doc order.
    {
      SearchRequest all;
      all.size = 10000;
      SortField by_doc;
      by_doc.field = "_doc";
      all.sort.push_back(by_doc);
      auto resp = (*index)->search(all);
      ASSERT_TRUE(resp.ok());
      ASSERT_EQ(resp->hits.size(), docs.size()) << "seed " << seed;
      std::vector<BfDoc> ordered;
      for (const auto& h : resp->hits) {
        auto it =
            std::find_if(docs.begin(), docs.end(), [&](const BfDoc& d) { return d.id == h.id; });
        ASSERT_NE(it, docs.end());
        ordered.push_back(*it);
      }
      docs = std::move(ordered);
    }
    for (int q = 0; q < 180; ++q) {
      SearchRequest req = gen.request();
      std::string body = json::serialize(to_es_json(req));
      auto resp = (*index)->search(req);
      ASSERT_TRUE(resp.ok()) << body << ": " << resp.error().message;
      auto [expected, total] = bf.search(docs, req, nullptr);
      std::vector<std::string> got;
      for (const auto& h : resp->hits) got.push_back(h.id);
      ASSERT_EQ(resp->total->value, total)
          << "seed " << seed << "\n"
          << body << "\nsmallest: " << smallest_diff(**index, bf, docs, *req.query);
      ASSERT_EQ(got, expected) << "seed " << seed << "\n" << body;
      auto count = (*index)->count(req.query);
      ASSERT_EQ(*count, total);
      ++checked;
      // The next page through search_after.
      if (!resp->hits.empty()) {
        SearchRequest next = req;
        next.from = 0;
        next.search_after = resp->hits.back().sort;
        std::vector<BruteForce::Key> after;
        for (size_t s = 0; s < req.sort.size(); ++s)
          after.push_back(to_key(next.search_after[s], req.sort[s]));
        auto page = (*index)->search(next);
        ASSERT_TRUE(page.ok()) << page.error().message;
        auto [exp2, total2] = bf.search(docs, next, &after);
        std::vector<std::string> got2;
        for (const auto& h : page->hits) got2.push_back(h.id);
        ASSERT_EQ(got2, exp2) << "seed " << seed << " search_after\n"
                              << json::serialize(to_es_json(next));
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 2000);
}

// Random aggregation trees over random queries: the engine's `aggregations` equal the
// brute-force evaluator's (exact: the samples are below the cardinality threshold and
// the percentiles' exact limit).
TEST(IndexPropertyTest, AggregationsEqualBruteForce) {
  const uint32_t seed = test_seed();
  SCOPED_TRACE("COMPTOIR_SEED=" + std::to_string(seed));
  Generator gen(seed);
  BruteForce bf(kTypes);
  BruteForceAggs oracle(bf, kTypes);
  int checked = 0;
  for (int round = 0; round < 8; ++round) {
    auto mapping = test_mapping();
    ASSERT_TRUE(mapping.ok());
    IndexSettings settings;
    settings.refresh_interval = std::chrono::milliseconds(0);
    auto index = Index::create_in_memory("aggs", *mapping, settings);
    ASSERT_TRUE(index.ok());
    std::vector<BfDoc> docs;
    std::vector<BulkItem> batch;
    int n = gen.uniform(20, 200);
    for (int i = 0; i < n; ++i) {
      json::object src = gen.doc();
      std::string id = std::to_string(i);
      batch.push_back(BulkItem{BulkOp::kIndex, id, json::serialize(src)});
      docs.push_back(BfDoc{id, std::move(src)});
      if (gen.chance(5)) {  // several segments
        ASSERT_TRUE((*index)->bulk(batch).ok());
        batch.clear();
        ASSERT_TRUE((*index)->refresh().ok());
      }
    }
    ASSERT_TRUE((*index)->bulk(batch).ok());
    ASSERT_TRUE((*index)->refresh().ok());
    for (int q = 0; q < 150; ++q) {
      json::object body{{"size", 0}, {"aggs", gen.aggs(gen.uniform(1, 2))}};
      Query query = gen.query(2);
      auto req = parse_search_request(body);  // the query stays typed: prefixes may cut UTF-8
      body["query"] = to_es_json(query);
      std::string text = json::serialize(body);
      ASSERT_TRUE(req.ok()) << text << ": " << req.error().message;
      req->query = query;
      auto resp = (*index)->search(*req);
      ASSERT_TRUE(resp.ok()) << text << ": " << resp.error().message;
      std::vector<const BfDoc*> matched;
      for (const auto& d : docs)
        if (bf.matches(query, d)) matched.push_back(&d);
      json::object expected = oracle.run(req->aggregations, matched);
      ASSERT_TRUE(resp->aggregations.has_value());
      std::string where;
      ASSERT_TRUE(json_near(json::value(*resp->aggregations), json::value(expected), where))
          << "seed " << seed << "\n"
          << text << "\n"
          << where << "\nengine: " << json::serialize(*resp->aggregations)
          << "\noracle: " << json::serialize(expected);
      ++checked;
    }
  }
  EXPECT_GE(checked, 1000);
}

}  // namespace
}  // namespace comptoir::engine::testing
