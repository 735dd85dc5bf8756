// Mapping: dynamic rules (ES-COMPAT §6), explicit mappings, JSON round trip, per-document
// type errors; date formats and date math.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "engine/dsl/dsl_error.h"
#include "engine/index/document_parser.h"
#include "engine/index/index.h"
#include "engine/schema/date_format.h"
#include "engine/schema/mapping.h"

namespace comptoir::engine {
namespace {

namespace json = boost::json;

std::string type_of(const Mapping& m, const std::string& f) {
  const FieldDef* d = m.find(f);
  return d ? std::string(field_type_name(d->type)) : "<none>";
}

TEST(MappingTest, DynamicRules) {
  Mapping m;
  DocumentParser p;
  auto doc = p.parse(R"({"msg":"Quick Fox","n":42,"x":1.5,"ok":true,"ts":"2024-01-15T10:00:00Z",
    "d2":"2015/09/02","user":{"name":"ann","geo":{"city":"Paris"}},"tags":["a","b"],"none":null,
    "empty":[],"mixed":[null,7],"notdate":"2024-13-45","num":"42"})",
                     "1", m);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(type_of(m, "msg"), "text");
  EXPECT_EQ(type_of(m, "msg.keyword"), "keyword");
  EXPECT_EQ(m.find("msg.keyword")->ignore_above.value_or(0), 256u);
  EXPECT_EQ(type_of(m, "n"), "long");
  EXPECT_EQ(type_of(m, "x"), "float");
  EXPECT_EQ(type_of(m, "ok"), "boolean");
  EXPECT_EQ(type_of(m, "ts"), "date");
  EXPECT_EQ(type_of(m, "d2"), "date");
  EXPECT_EQ(type_of(m, "user.name"), "text");
  EXPECT_EQ(type_of(m, "user.geo.city"), "text");
  EXPECT_TRUE(m.is_object("user"));
  EXPECT_TRUE(m.is_object("user.geo"));
  EXPECT_EQ(type_of(m, "tags"), "text");
  EXPECT_EQ(type_of(m, "none"), "<none>");
  EXPECT_EQ(type_of(m, "empty"), "<none>");
  EXPECT_EQ(type_of(m, "mixed"), "long");
  EXPECT_EQ(type_of(m, "notdate"), "text");
  EXPECT_EQ(type_of(m, "num"), "text");  // numeric_detection is off by default
}

TEST(MappingTest, ExplicitMappingWinsAndRoundTrips) {
  auto m = parse_mapping(json::parse(R"({"properties":{
     "@timestamp":{"type":"date"},"Level":{"type":"keyword"},
     "Message":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
     "Duration":{"type":"long"},"IP":{"type":"ip"},
     "geo":{"properties":{"lat":{"type":"double"}}}}})"));
  ASSERT_TRUE(m.ok()) << m.error().message;
  DocumentParser p;
  auto doc = p.parse(R"({"Level":"ERROR","Duration":"125","geo":{"lat":"1.5"}})", "1", *m);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ(type_of(*m, "Level"), "keyword");
  EXPECT_EQ(type_of(*m, "Duration"), "long");  // "125" coerced
  json::value j = to_es_json(*m);
  auto back = parse_mapping(j);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == *m);
  EXPECT_EQ(j.at("properties").at("geo").at("properties").at("lat").at("type"), "double");
  EXPECT_EQ(j.at("properties").at("Message").at("fields").at("keyword").at("ignore_above"), 256);
}

// The parser caches the mapping's answers per path: a changed, copied or other mapping
// is never answered from the cache of the previous one.
TEST(MappingTest, ParserLookupsFollowTheMappingTheyCameFrom) {
  auto longs = parse_mapping(json::parse(R"({"properties":{"x":{"type":"long"}}})"));
  auto keywords = parse_mapping(json::parse(R"({"properties":{"x":{"type":"keyword"}}})"));
  ASSERT_TRUE(longs.ok() && keywords.ok());
  DocumentParser p;
  auto kinds = [&](Mapping& m, const std::string& src) {
    auto doc = p.parse(src, "1", m);
    EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().message);
    std::string out;
    if (!doc.ok()) return out;
    for (const ParsedField& f : (*doc)->fields())
      out += f.name + ":" + std::string(field_type_name(f.type)) + " ";
    return out;
  };
  EXPECT_EQ(kinds(*longs, R"({"x":5})"), "x:long ");
  EXPECT_EQ(kinds(*keywords, R"({"x":5})"), "x:keyword ");
  EXPECT_EQ(kinds(*longs, R"({"x":5})"), "x:long ");
  // A field added by one document is known to the next.
  EXPECT_EQ(kinds(*longs, R"({"x":5,"y":"a"})"), "x:long y:text y.keyword:keyword ");
  EXPECT_EQ(kinds(*longs, R"({"y":"b"})"), "y:text y.keyword:keyword ");
  // An object path learnt meanwhile: a scalar there is then an error.
  EXPECT_EQ(kinds(*longs, R"({"o":{"k":1}})"), "o.k:long ");
  EXPECT_FALSE(p.parse(R"({"o":3})", "2", *longs).ok());
  // A copy (new field pointers) and a replaced mapping.
  Mapping copy = *longs;
  EXPECT_EQ(kinds(copy, R"({"x":1,"y":"c"})"), "x:long y:text y.keyword:keyword ");
  *longs = *keywords;
  EXPECT_EQ(kinds(*longs, R"({"x":5})"), "x:keyword ");
}

// Each field has one entry per document, holding all its values in order, however it is
// reached: repeated keys, arrays, a multi-field also named by a dotted key, a field seen
// before and after the parser's lookup caches start over in the middle of a document
// (more distinct paths than they hold), and from a padded source parsed in place.
TEST(MappingTest, EachFieldHasOneEntryHoldingAllItsValues) {
  Mapping m;
  DocumentParser p;
  auto entries = [&](std::string_view src, size_t readable_past_end = 0) {
    auto doc = p.parse(src, "1", m, readable_past_end);
    EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().message);
    std::map<std::string, std::string> out;
    if (!doc.ok()) return out;
    for (const ParsedField& f : (*doc)->fields()) {
      EXPECT_TRUE(out.emplace(f.name, "").second) << "two entries for " << f.name;
      std::string& values = out[f.name];
      for (std::string_view v : f.strings) values += std::string(v) + ",";
      for (int64_t v : f.ints) values += std::to_string(v) + ",";
    }
    return out;
  };
  using Entries = std::map<std::string, std::string>;
  const std::string first = R"({"a":"x","n":1,"t":["p","q"]})";
  EXPECT_EQ(
      entries(first),
      (Entries{
          {"a", "x,"}, {"a.keyword", "x,"}, {"n", "1,"}, {"t", "p,q,"}, {"t.keyword", "p,q,"}}));
  // Known fields now: by their ordinals.
  EXPECT_EQ(entries(R"({"n":2,"a":"y","n":3,"t":"r","a.keyword":"z","a":"w"})"),
            (Entries{{"a", "y,w,"},
                     {"a.keyword", "y,z,w,"},
                     {"n", "2,3,"},
                     {"t", "r,"},
                     {"t.keyword", "r,"}}));
  // A source with its padding readable gives the same entries.
  std::string padded = R"({"n":4,"a":"v","n":5})";
  const size_t size = padded.size();
  padded.resize(size + DocumentParser::kPadding, ' ');
  EXPECT_EQ(entries(std::string_view(padded).substr(0, size), DocumentParser::kPadding),
            (Entries{{"a", "v,"}, {"a.keyword", "v,"}, {"n", "4,5,"}}));
  // A malformed source parsed in place is an error, as when copied, and the next
  // document parses.
  std::string broken = R"({"n":4,"a":)";
  const size_t broken_size = broken.size();
  broken.resize(broken_size + DocumentParser::kPadding, '}');
  auto bad =
      p.parse(std::string_view(broken).substr(0, broken_size), "1", m, DocumentParser::kPadding);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("document_parsing_exception"), std::string::npos);
  EXPECT_EQ(entries(R"({"n":9})"), (Entries{{"n", "9,"}}));
  // 5,000 paths: the lookup caches start over in the middle of the document.
  std::string wide;
  for (int i = 0; i < 5000; ++i)
    wide += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  ASSERT_EQ(entries("{" + wide + R"("n":6})").size(), 5001u);  // the k* fields are mapped now
  auto both = entries(R"({"n":7,"a":"u",)" + wide + R"("n":8,"a":"s","k3":9})");
  EXPECT_EQ(both.size(), 5003u);
  EXPECT_EQ(both["n"], "7,8,");
  EXPECT_EQ(both["a"], "u,s,");
  EXPECT_EQ(both["a.keyword"], "u,s,");
  EXPECT_EQ(both["k3"], "3,9,");
  EXPECT_EQ(both["k4999"], "4999,");
  // And the next document is back on ordinals, with nothing left over.
  EXPECT_EQ(entries(R"({"n":10,"a":"r"})"),
            (Entries{{"a", "r,"}, {"a.keyword", "r,"}, {"n", "10,"}}));
}

TEST(MappingTest, TypeMismatchIsPerDocumentError) {
  Mapping m;
  DocumentParser p;
  ASSERT_TRUE(
      p.parse(R"({"age":30,"when":"2024-01-01T00:00:00Z","obj":{"a":1},"flag":true})", "1", m)
          .ok());
  struct Bad {
    std::string doc;
    std::string part;
  };
  for (const Bad& b : std::vector<Bad>{
           {R"({"age":"x"})", "failed to parse field [age] of type [long] in document with id '2'"},
           {R"({"when":"yesterday"})", "failed to parse field [when] of type [date]"},
           {R"({"obj":5})", "tried to parse field [obj] as object, but found a concrete value"},
           {R"({"age":{"x":1}})", "failed to parse field [age] of type [long]"},
           {R"({"flag":"maybe"})", "of type [boolean]"},
           {R"({"obj":{"a":"text"}})", "failed to parse field [obj.a] of type [long]"},
           {R"([1,2])", "not an object"},
           {R"({"broken":)", "failed to parse"},
           {R"({"_id":"x"})", "metadata field"},
       }) {
    size_t before = m.fields().size();
    auto r = p.parse(b.doc, "2", m);
    ASSERT_FALSE(r.ok()) << b.doc;
    EXPECT_EQ(es_error_parts(r.error()).type, "document_parsing_exception") << b.doc;
    EXPECT_NE(r.error().message.find(b.part), std::string::npos) << r.error().message;
    EXPECT_EQ(m.fields().size(), before) << "a failed document must not change the mapping";
  }
  // A failed doc with a new field leaves no trace in the mapping.
  auto r = p.parse(R"({"brand_new":"x","age":"bad"})", "3", m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(m.find("brand_new"), nullptr);
}

TEST(MappingTest, IgnoreAboveAndCoercion) {
  auto m = parse_mapping(json::parse(
      R"({"properties":{"k":{"type":"keyword","ignore_above":5},"i":{"type":"integer"},"f":{"type":"float"}}})"));
  ASSERT_TRUE(m.ok());
  DocumentParser p;
  // ignore_above counts characters: "ééééé" (10 bytes) is kept, "éééééé" is not.
  auto d = p.parse(R"({"k":["short","toolongvalue","ééééé","éééééé","abcdé"],"i":1.9,"f":0.1})",
                   "1", *m);
  ASSERT_TRUE(d.ok()) << d.error().message;
  for (const auto& f : (*d)->fields()) {
    if (f.name == "k") {
      EXPECT_EQ(f.strings, (std::vector<std::string_view>{"short", "ééééé", "abcdé"}));
    } else if (f.name == "i") {
      EXPECT_EQ(f.ints, std::vector<int64_t>{1});
    } else if (f.name == "f") {
      EXPECT_EQ(f.doubles, std::vector<double>{double(0.1f)});
    }
  }
  EXPECT_FALSE(p.parse(R"({"i":3000000000})", "2", *m).ok());  // out of integer range
}

// A number beyond a float's range in a float field (dynamic numbers are floats) is a
// per-document error, as in Elasticsearch; the index keeps working.
TEST(MappingTest, NonFiniteFloatsAreRejected) {
  IndexSettings settings;
  settings.refresh_interval = std::chrono::milliseconds(0);
  auto idx = Index::create_in_memory("floats", Mapping{}, settings);
  ASSERT_TRUE(idx.ok());
  auto bad = (*idx)->index_doc(R"({"big":1E300})", "1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("supports only finite values, but got [Infinity]"),
            std::string::npos)
      << bad.error().message;
  EXPECT_EQ((*idx)->mapping()->find("big"), nullptr);
  EXPECT_FALSE((*idx)->index_doc(R"({"big":1.5,"neg":-1E300})", "2").ok());
  ASSERT_TRUE((*idx)->index_doc(R"({"big":1.5})", "3").ok());
  ASSERT_TRUE((*idx)->refresh().ok());
  EXPECT_EQ(*(*idx)->count(std::nullopt), 1);
}

// The ISO form of an instant (used to print dates and to find them in stored sources)
// agrees with the general formatter whatever the order of the days asked for (it keeps
// the last day's date part).
TEST(MappingTest, IsoDatesAgreeWithTheGeneralFormatter) {
  std::mt19937_64 rng(5);
  std::vector<int64_t> instants = {
      0, -1, 86'399'999, 86'400'000, 951'782'400'000, 253'402'300'799'999, -62'135'596'800'000};
  for (int i = 0; i < 2000; ++i) {
    const int64_t base = static_cast<int64_t>(rng() % 400'000'000'000'000ull) - 62'000'000'000'000;
    instants.push_back(base);
    instants.push_back(base + static_cast<int64_t>(rng() % 3'600'000));  // often the same day
  }
  for (int64_t ms : instants) {
    EXPECT_EQ(format_date_iso(ms), format_date(ms, "", "")) << ms;
    std::string appended = "x";
    append_date_iso(ms, appended);
    EXPECT_EQ(appended, "x" + format_date_iso(ms)) << ms;
  }
}

TEST(MappingTest, DatesAndDateMath) {
  auto ms = [](std::string_view s, std::string_view fmt = kDefaultDateFormat,
               std::string_view tz = "", bool up = false) {
    auto r = parse_date(s, fmt, tz, up);
    return r.ok() ? *r : -1;
  };
  EXPECT_EQ(ms("2024-01-01T00:00:00Z"), 1704067200000);
  EXPECT_EQ(ms("2024-01-01"), 1704067200000);
  EXPECT_EQ(ms("2024-01-01T01:00:00+01:00"), 1704067200000);
  EXPECT_EQ(ms("2024-01-01T00:00:00.123456Z"), 1704067200123);
  EXPECT_EQ(ms("1704067200000"), 1704067200000);
  EXPECT_EQ(ms("01/02/2024", "dd/MM/yyyy"), 1706745600000);
  EXPECT_EQ(ms("2024-01-01", kDefaultDateFormat, "+01:00"), 1704067200000 - 3600000);
  EXPECT_EQ(ms("2024-07-01", kDefaultDateFormat, "Europe/Paris"), 1719792000000 - 7200000);  // CEST
  EXPECT_EQ(ms("2024-01-01", kDefaultDateFormat, "", true), 1704067200000 + 86400000 - 1);
  EXPECT_EQ(ms("2024-02-30"), -1);
  EXPECT_EQ(ms("garbage"), -1);
  // The rounding table of ES-COMPAT §4 for 2014-11-18||/M.
  const int64_t now = 1704067200000;
  auto math = [&](std::string_view e, bool up, std::string_view tz = "") {
    auto r = parse_date_math(e, now, kDefaultDateFormat, tz, up);
    return r.ok() ? format_date_iso(*r) : "error: " + r.error().message;
  };
  EXPECT_EQ(math("2014-11-18||/M", true), "2014-11-30T23:59:59.999Z");   // lte; gt is +1 ms
  EXPECT_EQ(math("2014-11-18||/M", false), "2014-11-01T00:00:00.000Z");  // gte; lt is -1 ms
  EXPECT_EQ(math("now-1d/d", false), "2023-12-31T00:00:00.000Z");
  EXPECT_EQ(math("now-1d/d", true), "2023-12-31T23:59:59.999Z");
  EXPECT_EQ(math("now+1M", false), "2024-02-01T00:00:00.000Z");
  EXPECT_EQ(math("now-1h", false), "2023-12-31T23:00:00.000Z");
  EXPECT_EQ(math("now/d", false, "+01:00"), "2023-12-31T23:00:00.000Z");
  EXPECT_EQ(math("now/w", false), "2024-01-01T00:00:00.000Z");  // a Monday
  EXPECT_EQ(math("2024-01-31||+1M", false), "2024-02-29T00:00:00.000Z");
  EXPECT_NE(math("now-1x", false).find("error"), std::string::npos);
  EXPECT_TRUE(looks_like_date("2024-01-15T10:00:00Z"));
  EXPECT_TRUE(looks_like_date("2024-01-15"));
  EXPECT_FALSE(looks_like_date("2024"));
  EXPECT_FALSE(looks_like_date("2024-01-15 10:00:00"));  // not strict_date_optional_time
  EXPECT_FALSE(looks_like_date("hello world"));
}

}  // namespace
}  // namespace comptoir::engine
