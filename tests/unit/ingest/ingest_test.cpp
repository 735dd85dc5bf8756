// Tests for parse_file as a whole: encoding checks, format detection, options,
// and the sink contract.
#include "ingest/ingest.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "ingest/format.h"
#include "ingest/text_encoding.h"
#include "ingest_test_support.h"

namespace comptoir::ingest {
namespace {

using testing::parse;
using testing::str;

TEST(IngestEncoding, BomIsDropped) {
  auto p = parse("\xEF\xBB\xBFlevel,message\nerror,x\n", "bom.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(str(p->doc(0), "level"), "error");  // the header's first name is clean
}

struct BadBytesCase {
  const char* name;
  std::string bytes;
  const char* expected;  // a substring of the error message
};

class IngestBadBytes : public ::testing::TestWithParam<BadBytesCase> {};

TEST_P(IngestBadBytes, AreAClearError) {
  auto p = parse(GetParam().bytes, "bad.log");
  ASSERT_FALSE(p->summary.ok());
  EXPECT_EQ(p->summary.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(p->summary.error().message.find(GetParam().expected), std::string::npos)
      << p->summary.error().message;
  EXPECT_EQ(p->size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    IngestEncodingTable, IngestBadBytes,
    ::testing::Values(
        BadBytesCase{"latin1", "ok line\nsecond caf\xE9 line\n",
                     "invalid UTF-8 at line 2, column 11 (byte offset 18): byte 0xE9"},
        BadBytesCase{"after_bom",
                     "\xEF\xBB\xBF"
                     "a\xC0\xAF",
                     "line 1, column 5 (byte offset 4)"},
        BadBytesCase{"surrogate", "x\r\ny\xED\xA0\x80", "line 2, column 2 (byte offset 4)"},
        BadBytesCase{"truncated", "abc\xE2\x82", "byte offset 3"},
        BadBytesCase{"too_big", "\xF4\x90\x80\x80", "byte offset 0"},
        BadBytesCase{"nul_byte", std::string("a,b\n1,\0\n", 8), "NUL byte at line 2, column 3"},
        BadBytesCase{"utf16", "\xFF\xFEh\0i\0", "UTF-16"},
        BadBytesCase{"empty", "", "the file is empty"},
        BadBytesCase{"blank", "\xEF\xBB\xBF \r\n\n", "no data"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(IngestEncoding, PositionsCountEveryLineEnding) {
  const auto pos = position_of("a\r\nb\rc\nd", 7);
  EXPECT_EQ(pos.line, 4u);
  EXPECT_EQ(pos.column, 1u);
}

struct DetectCase {
  const char* filename;
  const char* text;
  Format expected;
};

class IngestDetect : public ::testing::TestWithParam<DetectCase> {};

TEST_P(IngestDetect, FromExtensionAndContent) {
  EXPECT_EQ(detect_format(GetParam().filename, GetParam().text), GetParam().expected)
      << GetParam().filename << ": " << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    IngestDetectTable, IngestDetect,
    ::testing::Values(
        DetectCase{"a.csv", "x,y\n1,2\n", Format::kCsv},
        DetectCase{"a.CSV", "x;y\n1;2\n", Format::kCsv},
        DetectCase{"a.json", "[{\"a\":1}]", Format::kJson},
        DetectCase{"a.json", "{\"a\":1}\n{\"a\":2}\n", Format::kNdjson},
        DetectCase{"a.json", "{\n  \"a\": 1\n}\n", Format::kJson},
        DetectCase{"a.jsonl", "{\"a\":1}", Format::kNdjson},
        DetectCase{"a.ndjson", "{\"a\":1}\n", Format::kNdjson},
        DetectCase{"a.txt", "[{\"a\":1}]", Format::kJson},
        DetectCase{"a.csv", "  [ {\"a\":1} ]", Format::kJson},
        DetectCase{"a.txt", "time,level,message\n2025-12-23,INFO,x\n", Format::kCsv},
        DetectCase{"a.log", "[2025-12-23T10:30:00] [ERROR] [svc] a, b, c\n", Format::kText},
        DetectCase{"a.txt", "[Sun Dec 04 04:47:44 2005] [notice] x\n", Format::kText},
        DetectCase{"a.log", "Dec 10 06:55:46 LabSZ sshd[24200]: a, b\n", Format::kText},
        DetectCase{"a.txt", "just some words\nand more\n", Format::kText},
        DetectCase{"noext", "a|b|c\n1|2|3\n", Format::kCsv}));

TEST(IngestFormat, NamesAndExtensions) {
  EXPECT_EQ(format_name(Format::kNdjson), "ndjson");
  EXPECT_EQ(format_from_name("jsonl"), Format::kNdjson);
  EXPECT_FALSE(format_from_name("xml").has_value());
  EXPECT_EQ(file_extension("dir/Sales.2010.CSV"), "csv");
  EXPECT_EQ(file_extension(".hidden"), "");
  EXPECT_TRUE(is_supported_extension("jsonl"));
  EXPECT_FALSE(is_supported_extension("exe"));
}

TEST(IngestOptionsTest, ForcedFormatAndTimeZone) {
  IngestOptions o;
  o.format = Format::kText;
  o.time_zone = "America/New_York";
  auto p = parse("2025-12-23 10:30:00,000 INFO [a] b\n", "x.csv", o);
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->format, Format::kText);
  EXPECT_EQ(str(p->doc(0), "@timestamp"), "2025-12-23T15:30:00.000Z");

  IngestOptions bad;
  bad.time_zone = "Nowhere/Land";
  auto e = parse("a\n", "x.log", bad);
  ASSERT_FALSE(e->summary.ok());
  EXPECT_NE(e->summary.error().message.find("unknown time zone"), std::string::npos);
}

// A sink that refuses the third document: parsing stops with its error.
class FailingSink : public DocumentSink {
 public:
  Status on_document(const Destination&, std::string_view) override {
    if (++seen == 3) return Error::unavailable("index is down");
    return {};
  }
  int seen = 0;
};

TEST(IngestSink, AnErrorFromTheSinkStopsParsing) {
  FailingSink sink;
  IngestOptions o;
  o.source_file = "s.log";
  auto r = parse_file("a\nb\nc\nd\ne\n", o, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(sink.seen, 3);
}

TEST(IngestSink, EveryDocumentHasSourceAndTimestamp) {
  auto p = parse("{\"x\":1}\n{\"y\":\"z\"}\n", "s.ndjson");
  ASSERT_TRUE(p->summary.ok());
  for (const auto& e : p->sink.entries) {
    EXPECT_EQ(str(e.document, "source_file"), "s.ndjson");
    EXPECT_EQ(str(e.document, "source_format"), "ndjson");
    EXPECT_EQ(str(e.document, "@timestamp").size(), 24u);
    EXPECT_EQ(e.kind, DocumentKind::kLogEvent);
  }
  EXPECT_EQ(p->summary->indices.at("ecommerce-logs-2025.12.23"), 2u);
}

// Random ASCII mutations of one sample per format (quotes, brackets, delimiters,
// line breaks, truncation): parse_file always returns, and every document or
// rejection is accounted for.
TEST(IngestHostile, RandomMutationsNeverCrash) {
  const std::pair<const char*, std::string> samples[] = {
      {"m.csv",
       "time,level,message\n2025-12-23 10:30:00,INFO,\"a, \"\"b\"\"\"\n2025-12-23,WARN,c\n"},
      {"m.json", "[{\"a\":{\"b\":[1,{\"c\":\"d\"}]},\"time\":1766485800}]"},
      {"m.ndjson", "{\"a\":1}\n{\"b\":[{\"c\":2}]}\n"},
      {"m.log",
       "[2025-12-23T10:30:00] [ERROR] [svc] x\n\tat y\n<34>Oct 11 22:14:15 h su: z\n"
       "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"\n"},
  };
  const char kAlphabet[] = "\"[]{},;|\t\r\n:=- 0aZ\\/";
  std::mt19937 rng(12345);
  for (const auto& [name, sample] : samples) {
    for (int round = 0; round < 400; ++round) {
      std::string text = sample;
      const int edits = 1 + static_cast<int>(rng() % 6);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        const size_t at = rng() % text.size();
        switch (rng() % 4) {
          case 0:
            text[at] = kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
            break;
          case 1:
            text.insert(at, 1, kAlphabet[rng() % (sizeof(kAlphabet) - 1)]);
            break;
          case 2:
            text.erase(at, 1 + rng() % 4);
            break;
          default:
            text.resize(at);
            break;
        }
      }
      auto p = parse(text, name);
      if (!p->summary.ok()) continue;  // a clear file-level error is fine
      EXPECT_EQ(p->summary->documents, p->size()) << name << ": " << text;
      EXPECT_EQ(p->summary->rejected, p->sink.rejections.size()) << name << ": " << text;
      for (const auto& e : p->sink.entries) EXPECT_EQ(str(e.document, "@timestamp").size(), 24u);
    }
  }
}

// The original fields a canonical field copies are named in the summary (so they need
// not be indexed twice); names that are canonical themselves, and fields that only make
// up part of a canonical value (event, page), are not.
TEST(IngestCarriedFields, NamedForLogsAndSales) {
  auto csv = parse(
      "Time,level,Service,msg,user_id,client_ip,latency_ms,extra\n"
      "2025-12-23T10:30:00Z,WARN,cart,Payment failed,u1,10.0.0.1,12,x\n",
      "logs.csv");
  ASSERT_TRUE(csv->summary.ok());
  EXPECT_EQ(csv->summary->carried_fields,
            (std::set<std::string, std::less<>>{"Time", "level", "msg", "user_id", "client_ip",
                                                "latency_ms"}));
  EXPECT_EQ(str(csv->doc(0), "level"), "WARN");  // kept in the document
  EXPECT_EQ(str(csv->doc(0), "Level"), "WARNING");

  auto events =
      parse(R"({"timestamp":"2025-12-23T10:30:00Z","event":"login","user":"u1","page":"/"})"
            "\n",
            "events.ndjson");
  ASSERT_TRUE(events->summary.ok());
  EXPECT_EQ(events->summary->carried_fields,
            (std::set<std::string, std::less<>>{"timestamp", "user"}));

  auto sales = parse(
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
      "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom\n",
      "retail.csv");
  ASSERT_TRUE(sales->summary.ok());
  EXPECT_EQ(
      sales->summary->carried_fields,
      (std::set<std::string, std::less<>>{"InvoiceNo", "Description", "Quantity", "InvoiceDate",
                                          "UnitPrice", "CustomerID", "Country"}));
}

}  // namespace
}  // namespace comptoir::ingest
