// Tests for JSON and NDJSON files: shapes, flattening, rejections, depth limits.
#include "ingest/json_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest_test_support.h"

namespace comptoir::ingest {
namespace {

using testing::parse;
using testing::str;

TEST(JsonLogShapes, ArrayOfObjects) {
  auto p = parse(
      R"([{"timestamp":"2025-12-23T10:30:00Z","level":"warn","service":"api","message":"slow"},
                     {"@timestamp":1766485800123,"Level":"ERROR","msg":"boom","user_id":42}])",
      "a.json");
  ASSERT_TRUE(p->summary.ok()) << p->summary.error().message;
  EXPECT_EQ(p->summary->format, Format::kJson);
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ(str(p->doc(0), "Level"), "WARNING");
  EXPECT_EQ(str(p->doc(0), "Service"), "api");
  EXPECT_EQ(str(p->doc(0), "Message"), "slow");
  EXPECT_EQ(str(p->doc(1), "@timestamp"), "2025-12-23T10:30:00.123Z");
  EXPECT_EQ(str(p->doc(1), "Message"), "boom");
  EXPECT_EQ(str(p->doc(1), "User"), "42");
  EXPECT_EQ(p->doc(1).at("user_id").as_int64(), 42);  // original kept with its type
  EXPECT_EQ(str(p->doc(1), "source_format"), "json");
}

TEST(JsonLogShapes, ObjectHoldingOneArray) {
  auto p = parse(R"({"count": 2, "logs": [{"msg":"a"},{"msg":"b"}]})", "wrapped.json");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ(str(p->doc(1), "Message"), "b");
}

TEST(JsonLogShapes, SingleObjectIsOneDocument) {
  auto p = parse(R"({"message":"alone","tags":["a","b"]})", "one.json");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(p->doc(0).at("tags").as_array().size(), 2u);
}

TEST(JsonLogShapes, NdjsonWithNestedObjectsFlattened) {
  auto p = parse(
      "{\"time\":\"2025-12-23 "
      "10:30:00,5\",\"log\":{\"level\":\"info\"},\"http\":{\"req\":{\"ms\":12}},"
      "\"peers\":[{\"id\":1,\"x\":{\"y\":2}}]}\n"
      "\n"
      "{\"event\":\"purchase\",\"user\":\"u7\",\"page\":\"/cart\"}\r\n",
      "x.ndjson");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->format, Format::kNdjson);
  ASSERT_EQ(p->size(), 2u);
  const auto& d = p->doc(0);
  EXPECT_EQ(str(d, "log.level"), "info");
  EXPECT_EQ(str(d, "Level"), "INFO");  // log.level is a level spelling
  EXPECT_EQ(d.at("http.req.ms").as_int64(), 12);
  EXPECT_EQ(d.at("peers").as_array()[0].as_object().at("x.y").as_int64(), 2);
  EXPECT_EQ(str(d, "@timestamp"), "2025-12-23T10:30:00.500Z");
  EXPECT_EQ(str(p->doc(1), "Message"), "purchase - User: u7 - Page: /cart");
  EXPECT_EQ(str(p->doc(1), "source_format"), "ndjson");
  EXPECT_EQ(p->summary->blank_lines, 1u);
}

TEST(JsonLogShapes, NdjsonDetectedWithoutExtension) {
  auto p = parse("{\"a\":1}\n{\"a\":2}\n", "upload.txt");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->format, Format::kNdjson);
  EXPECT_EQ(p->size(), 2u);
}

TEST(JsonLogRejections, NdjsonBadLinesAreCounted) {
  auto p =
      parse("{\"a\":1}\n[1,2]\n{\"a\":\n42\n{\"time\":\"not a time\"}\n{\"a\":3}\n", "r.jsonl");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->documents, 3u);
  EXPECT_EQ(p->summary->rejected, 3u);
  EXPECT_EQ(p->summary->timestamps_defaulted, 1u);
  ASSERT_EQ(p->summary->errors.size(), 3u);
  EXPECT_EQ(p->summary->errors[0].line, 2u);
  EXPECT_EQ(p->summary->errors[0].reason, "line is not a JSON object");
  EXPECT_EQ(p->summary->errors[1].line, 3u);
  EXPECT_NE(p->summary->errors[1].reason.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(p->summary->errors[2].line, 4u);
}

TEST(JsonLogRejections, ArrayElementsThatAreNotObjects) {
  auto p = parse(R"([{"a":1}, 2, "x", {"a":2}])", "mixed.json");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->documents, 2u);
  EXPECT_EQ(p->summary->rejected, 2u);
  EXPECT_EQ(p->summary->errors[0].reason, "array element 2 is not a JSON object");
}

// A rejected array element names the line where it starts, as NDJSON lines do.
TEST(JsonLogRejections, ArrayElementsNameTheLineWhereTheyStart) {
  auto p = parse(
      "[\n"
      "  {\"a\": 1},\n"
      "  2,\n"
      "  {\"a\": \"[{\\\"}]\", \"b\": {\"c\": [1, {}]}}, \"x\",\n"
      "  [1,\r\n"
      "   2],\r"
      "  null]",
      "lines.json");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->documents, 2u);
  ASSERT_EQ(p->summary->rejected, 4u);
  const auto& e = p->summary->errors;
  EXPECT_EQ(e[0].reason, "array element 2 is not a JSON object");
  EXPECT_EQ(e[0].line, 3u);
  EXPECT_EQ(e[1].reason, "array element 4 is not a JSON object");
  EXPECT_EQ(e[1].line, 4u);
  EXPECT_EQ(e[2].line, 5u);  // CRLF is one line break
  EXPECT_EQ(e[3].line, 7u);  // so is a lone CR
}

TEST(JsonLogRejections, ElementsOfTheArrayAnObjectHoldsNameTheirLine) {
  auto p = parse(
      "{\"meta\": {\"note\": \"a [ b\", \"n\": [1, 2]},\n"
      " \"count\": 2, \"tags\": [\"x\", \"y\"],\n"
      " \"records\": [\n"
      "   {\"a\": 1},\n"
      "   \"oops\"\n"
      " ]}",
      "wrapped.json");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->documents, 1u);
  ASSERT_EQ(p->summary->rejected, 1u);
  EXPECT_EQ(p->summary->errors[0].reason, "array element 2 is not a JSON object");
  EXPECT_EQ(p->summary->errors[0].line, 5u);
}

TEST(JsonLogRejections, SalesElementsRejectedOnNormalisationNameTheirLine) {
  auto p = parse(
      "[{\"timestamp\":\"2025-12-23 10:30:00\",\"order_id\":\"O1\",\"quantity\":3,"
      "\"unit_price\":1.5},\n"
      "\n"
      " {\"timestamp\":\"2025-12-23 10:31:00\",\"order_id\":\"O2\",\"quantity\":\"x\","
      "\"unit_price\":1}]",
      "orders.json");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->kind, DocumentKind::kSalesLine);
  EXPECT_EQ(p->summary->documents, 1u);
  ASSERT_EQ(p->summary->rejected, 1u);
  EXPECT_EQ(p->summary->errors[0].line, 3u);
  EXPECT_EQ(p->summary->errors[0].reason.rfind("array element 2: ", 0), 0u)
      << p->summary->errors[0].reason;
}

TEST(JsonLogHostile, InvalidJsonFileNamesThePlace) {
  auto p = parse("[{\"a\":1},\n {\"a\": tru}]", "bad.json");
  ASSERT_FALSE(p->summary.ok());
  EXPECT_EQ(p->summary.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(p->summary.error().message.find("not valid JSON: line 2"), std::string::npos)
      << p->summary.error().message;
}

TEST(JsonLogHostile, DeepNestingIsBounded) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto file = parse("{\"a\":" + deep + "}", "deep.json");
  ASSERT_FALSE(file->summary.ok());
  EXPECT_NE(file->summary.error().message.find("deeper than 64"), std::string::npos)
      << file->summary.error().message;

  std::string nested = "{\"a\":1}\n";
  for (int i = 0; i < 70; ++i) nested += "{\"k\":";
  nested += "1" + std::string(70, '}') + "\n{\"a\":2}\n";
  auto lines = parse(nested, "deep.ndjson");
  ASSERT_TRUE(lines->summary.ok());
  EXPECT_EQ(lines->summary->documents, 2u);
  ASSERT_EQ(lines->summary->rejected, 1u);
  EXPECT_EQ(lines->summary->errors[0].line, 2u);
  EXPECT_NE(lines->summary->errors[0].reason.find("deeper than 64"), std::string::npos);

  IngestOptions shallow;
  shallow.max_json_depth = 3;
  auto limited = parse(R"({"a":{"b":{"c":{"d":1}}}})", "l.json", shallow);
  ASSERT_FALSE(limited->summary.ok());
}

// Objects whose arrays overflow the record's arena on every line: the arena is
// made anew for each object (a reused monotonic_resource kept doubling its blocks
// and ran out of memory after a few dozen such lines).
TEST(JsonLogHostile, LargeArraysOnEveryLine) {
  std::string array = "[0";
  for (int i = 1; i < 10000; ++i) array += "," + std::to_string(i);
  array += "]";
  std::string text;
  for (int line = 0; line < 64; ++line) text += "{\"message\":\"x\",\"a\":" + array + "}\n";
  auto p = parse(text, "arrays.ndjson");
  ASSERT_TRUE(p->summary.ok()) << p->summary.error().message;
  ASSERT_EQ(p->size(), 64u);
  EXPECT_EQ(p->doc(63).at("a").as_array().size(), 10000u);
}

TEST(JsonLogHostile, ScalarRootIsAnError) {
  auto p = parse("42", "n.json");
  ASSERT_FALSE(p->summary.ok());
  EXPECT_NE(p->summary.error().message.find("single value"), std::string::npos);
}

TEST(JsonLogHostile, EscapedNulInAStringIsKept) {
  // "\u0000" is valid JSON text; the raw file holds no NUL byte.
  auto p = parse(R"({"message":"a\u0000b"})", "nul.json");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(str(p->doc(0), "Message"), std::string("a\0b", 3));
}

}  // namespace
}  // namespace comptoir::ingest
