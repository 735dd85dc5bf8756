// ExportRow: cells read from the stored source text are the cells read from the parsed
// source, on chosen documents and on random ones (escapes, nested objects, repeated
// keys, missing fields, numbers, booleans, null).
#include "core/export_row.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace comptoir {
namespace {

ExportColumn log_column(LogField field) {
  return {ExportColumn::Kind::kLogField, field, "", ""};
}

ExportColumn source_column(std::string name) {
  return {ExportColumn::Kind::kSourceField, LogField::kTimestamp, std::move(name), ""};
}

std::vector<ExportColumn> columns() {
  std::vector<ExportColumn> out = {log_column(LogField::kTimestamp), log_column(LogField::kLevel),
                                   log_column(LogField::kService), log_column(LogField::kMessage),
                                   log_column(LogField::kUser)};
  out.push_back({ExportColumn::Kind::kId, LogField::kTimestamp, "", ""});
  out.push_back({ExportColumn::Kind::kIndex, LogField::kTimestamp, "", ""});
  for (const char* name : {"a", "a.b", "a.b.c", "http.status", "x", "Message", "a.", ".a", "a..b"})
    out.push_back(source_column(name));
  return out;
}

engine::SearchHit text_hit(std::string text) {
  engine::SearchHit hit;
  hit.index = "ecommerce-logs-2026.01.02";
  hit.id = "AaITAugLmBeqWYZBHj_A";
  hit.source_text = std::move(text);
  return hit;
}

engine::SearchHit tree_hit(const std::string& text) {
  engine::SearchHit hit = text_hit("");
  hit.source_text.reset();
  hit.source = boost::json::parse(text);
  return hit;
}

std::vector<std::string> cells_of(ExportRow& row, const engine::SearchHit& hit) {
  const Status read = row.read(hit);
  EXPECT_TRUE(read.ok());
  return {row.cells().begin(), row.cells().end()};
}

// The cells of both paths for `text`.
void expect_same_cells(const std::string& text) {
  ExportRow from_text(columns()), from_tree(columns());
  EXPECT_EQ(cells_of(from_text, text_hit(text)), cells_of(from_tree, tree_hit(text))) << text;
}

TEST(ExportRowTest, ReadsTheFieldsOfASourceText) {
  ExportRow row(columns());
  const std::vector<std::string> cells = cells_of(
      row, text_hit(R"({"@timestamp":"2026-01-02T03:04:05Z","level":"WARN","Level":null,)"
                    R"("source":"caf\u00e9","Message":"say \"hi\", ok","msg":"no","User":42,)"
                    R"("a":{"b":{"c":true},"b":{"c":[1, 2.50]}},"http":{"status":null},)"
                    R"("x":1e2,"a.":"dot"})"));
  EXPECT_EQ(cells,
            (std::vector<std::string>{"2026-01-02T03:04:05Z", "WARN", "café", "say \"hi\", ok",
                                      "42", "AaITAugLmBeqWYZBHj_A", "ecommerce-logs-2026.01.02",
                                      R"({"b":{"c":[1,2.5]}})", R"({"c":[1,2.5]})", "[1,2.5]", "",
                                      "100.0", "say \"hi\", ok", "dot", "", ""}));
}

TEST(ExportRowTest, ChosenDocumentsReadAsTheirParsedTrees) {
  for (const std::string text : {
           R"({})",
           R"({"Timestamp":"t","timestamp":"u","@timestamp":null})",
           R"({"Level":"A","Level":"B","severity":"C"})",
           R"({"Level":{"x":1},"Service":[1,"a"],"Message":false,"User":-0})",
           R"( { "Mess\u0061ge" : "escaped key" , "\u0055ser":"\ud83d\ude00" } )",
           R"({"a.b":"whole name first","a":{"b":"by path"}})",
           R"({"a":{"b":null},"a.b.c":null})",
           R"({"a":"not an object","http":{"status":200,"status":"twice"}})",
           R"({"a":{"":{"b":"empty part"}},"":{"a":"empty first part"}})",
           R"({"a":{"b":{"c":"\n\r\t\\\/"}}})",
           R"({"Message":"=1+2","User":"@x","msg":"-"})",
           R"({"x":123456789012345678901,"Duration":0.30000000000000004})",
       }) {
    expect_same_cells(text);
  }
}

TEST(ExportRowTest, AnUnreadableTextIsReadWithTheParser) {
  // A value the scan cannot decode is read through Boost.JSON, which rejects a lone
  // surrogate as it did when the engine parsed every hit.
  ExportRow row(columns());
  const Status bad = row.read(text_hit(R"({"Message":"\ud800"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kCorruption);
  EXPECT_EQ(bad.error().message, "stored _source is not JSON for [AaITAugLmBeqWYZBHj_A]");
}

// Random valid JSON text with the escapes, spacing and number forms stored sources have.
class RandomSource {
 public:
  explicit RandomSource(uint32_t seed) : rng_(seed) {}

  std::string object(int depth) {
    std::string out = "{" + space();
    const int n = pick(depth == 0 ? 10 : 4);
    for (int i = 0; i < n; ++i) {
      if (i > 0) out += "," + space();
      out += key() + space() + ":" + space() + value(depth + 1) + space();
    }
    return out + "}";
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string space() {
    static const char* const kSpaces[] = {"", "", "", " ", "\n  ", "\t", "\r\n"};
    return kSpaces[pick(7)];
  }

  std::string key() {
    static const char* const kKeys[] = {
        "\"@timestamp\"", "\"timestamp\"", "\"Timestamp\"", "\"Level\"",
        "\"level\"",      "\"severity\"",  "\"Service\"",   "\"service\"",
        "\"source\"",     "\"Message\"",   "\"message\"",   "\"msg\"",
        "\"User\"",       "\"user\"",      "\"a\"",         "\"b\"",
        "\"c\"",          "\"a.b\"",       "\"x\"",         "\"http\"",
        "\"status\"",     "\"\"",          "\"a.\"",        "\"M\\u0065ssage\"",
        "\"\\u0055ser\""};
    return kKeys[pick(25)];
  }

  std::string string() {
    static const char* const kPieces[] = {"plain",
                                          " ",
                                          ",",
                                          "\\\"",
                                          "\\\\",
                                          "\\/",
                                          "\\n",
                                          "\\r",
                                          "\\t",
                                          "\\b",
                                          "\\f",
                                          "\\u00e9",
                                          "\\u00C9",
                                          "\\u20ac",
                                          "\\u0000",
                                          "é",
                                          "€",
                                          "😀",
                                          "\\ud83d\\ude00",
                                          "=",
                                          "+",
                                          "-",
                                          "@",
                                          "'",
                                          "2026-01-02T03:04:05.678Z",
                                          "user42",
                                          "ERROR"};
    std::string out = "\"";
    const int n = pick(6);
    for (int i = 0; i < n; ++i) out += kPieces[pick(27)];
    return out + "\"";
  }

  std::string value(int depth) {
    static const char* const kScalars[] = {"null",
                                           "true",
                                           "false",
                                           "0",
                                           "-0",
                                           "7",
                                           "-42",
                                           "1.5",
                                           "1.0",
                                           "-0.0",
                                           "1e3",
                                           "1E+2",
                                           "2.50",
                                           "0.1",
                                           "123456789012345678",
                                           "1234567890123456789",
                                           "12345678901234567890",
                                           "123456789012345678901234",
                                           "3.14159",
                                           "-1e-7"};
    const int kind = pick(depth < 3 ? 10 : 8);
    if (kind < 5) return string();
    if (kind < 8) return kScalars[pick(20)];
    if (kind == 8) return object(depth);
    std::string out = "[" + space();
    const int n = pick(4);
    for (int i = 0; i < n; ++i) {
      if (i > 0) out += "," + space();
      out += value(depth + 1);
    }
    return out + space() + "]";
  }

  std::mt19937 rng_;
};

TEST(ExportRowTest, RandomDocumentsReadAsTheirParsedTrees) {
  RandomSource random(20260102);
  for (int i = 0; i < 20000; ++i) expect_same_cells(random.object(0));
}

}  // namespace
}  // namespace comptoir
