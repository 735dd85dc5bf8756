// Tests for the RFC 4180 reader, delimiter sniffing and CSV → documents.
#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "ingest/byte_scan.h"
#include "ingest/typed_value.h"
#include "ingest_test_support.h"

namespace comptoir::ingest {
namespace {

using testing::parse;
using testing::str;
namespace json = boost::json;

std::vector<std::vector<std::string>> read_all(std::string_view text, char delim = ',',
                                               std::vector<std::string>* errors = nullptr) {
  CsvReader reader(text, delim);
  CsvRecord rec;
  std::vector<std::vector<std::string>> rows;
  for (;;) {
    const auto st = reader.next(rec);
    if (st == CsvReader::Status::kEnd) break;
    if (st == CsvReader::Status::kError) {
      if (errors) errors->push_back(std::to_string(rec.line) + ": " + reader.error());
      continue;
    }
    rows.emplace_back(rec.fields.begin(), rec.fields.end());
  }
  return rows;
}

using Rows = std::vector<std::vector<std::string>>;

struct ReaderCase {
  const char* name;
  std::string text;
  Rows expected;
};

class CsvReaderTable : public ::testing::TestWithParam<ReaderCase> {};

TEST_P(CsvReaderTable, Tokenizes) {
  EXPECT_EQ(read_all(GetParam().text), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    CsvRfc4180, CsvReaderTable,
    ::testing::Values(
        ReaderCase{"plain", "a,b\n1,2\n", {{"a", "b"}, {"1", "2"}}},
        ReaderCase{"no_final_newline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
        ReaderCase{"crlf", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
        ReaderCase{"lone_cr", "a,b\r1,2\r", {{"a", "b"}, {"1", "2"}}},
        ReaderCase{"mixed_endings", "a\r\nb\nc\rd", {{"a"}, {"b"}, {"c"}, {"d"}}},
        ReaderCase{"quoted_delimiter", "\"a,b\",c\n", {{"a,b", "c"}}},
        ReaderCase{"doubled_quotes", "\"say \"\"hi\"\"\",x\n", {{"say \"hi\"", "x"}}},
        ReaderCase{
            "embedded_newline", "\"line1\nline2\",x\r\ny,z\n", {{"line1\nline2", "x"}, {"y", "z"}}},
        ReaderCase{"embedded_crlf", "\"a\r\nb\",c\n", {{"a\r\nb", "c"}}},
        ReaderCase{"empty_fields", ",,\n", {{"", "", ""}}},
        ReaderCase{"empty_quoted", "\"\",x\n", {{"", "x"}}},
        ReaderCase{"quote_inside_unquoted", "ab\"c,d\n", {{"ab\"c", "d"}}},
        ReaderCase{"text_after_closing_quote", "\"ab\"cd,e\n", {{"abcd", "e"}}},
        ReaderCase{"blank_line", "a\n\nb\n", {{"a"}, {""}, {"b"}}},
        ReaderCase{"formula_kept", "=SUM(A1:A9),+1,-2,@x\n", {{"=SUM(A1:A9)", "+1", "-2", "@x"}}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CsvReader, LineNumbersCountEmbeddedNewlines) {
  CsvReader reader("h\n\"a\nb\nc\"\nnext\n", ',');
  CsvRecord rec;
  ASSERT_EQ(reader.next(rec), CsvReader::Status::kRecord);
  EXPECT_EQ(rec.line, 1u);
  ASSERT_EQ(reader.next(rec), CsvReader::Status::kRecord);
  EXPECT_EQ(rec.line, 2u);
  ASSERT_EQ(reader.next(rec), CsvReader::Status::kRecord);
  EXPECT_EQ(rec.line, 5u);
  EXPECT_EQ(rec.fields[0], "next");
}

TEST(CsvReader, UnterminatedQuoteCostsOneRowOnly) {
  std::vector<std::string> errors;
  const auto rows = read_all("a,b\n1,\"oops\n2,3\n4,5\n", ',', &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("2: unterminated quoted field"), std::string::npos) << errors[0];
  EXPECT_EQ(rows, (Rows{{"a", "b"}, {"2", "3"}, {"4", "5"}}));
}

struct SniffCase {
  std::string text;
  char expected;
};

class CsvSniff : public ::testing::TestWithParam<SniffCase> {};

TEST_P(CsvSniff, PicksTheDelimiter) {
  EXPECT_EQ(sniff_csv_delimiter(GetParam().text), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    CsvDelimiters, CsvSniff,
    ::testing::Values(SniffCase{"a,b,c\n1,2,3\n", ','}, SniffCase{"a;b;c\n1,5;2;3\n", ';'},
                      SniffCase{"a\tb\n1\t2\n", '\t'}, SniffCase{"a|b|c\n1|2|3\n", '|'},
                      SniffCase{"\"x;y\",b\n\"1;2\",3\n", ','}, SniffCase{"single\n1\n", ','},
                      SniffCase{"name;note\nbob;\"a,b,c,d\"\n", ';'}));

TEST(CsvTypedValues, ClassifiesCells) {
  EXPECT_EQ(classify_value(""), ValueKind::kEmpty);
  EXPECT_EQ(classify_value("42"), ValueKind::kInteger);
  EXPECT_EQ(classify_value("-42"), ValueKind::kInteger);
  EXPECT_EQ(classify_value("0"), ValueKind::kInteger);
  EXPECT_EQ(classify_value("007"), ValueKind::kText);
  EXPECT_EQ(classify_value("3.14"), ValueKind::kDecimal);
  EXPECT_EQ(classify_value("1e5"), ValueKind::kDecimal);
  EXPECT_EQ(classify_value("1."), ValueKind::kText);
  EXPECT_EQ(classify_value("TRUE"), ValueKind::kBoolean);
  EXPECT_EQ(classify_value("false"), ValueKind::kBoolean);
  EXPECT_EQ(classify_value("yes"), ValueKind::kText);
  EXPECT_EQ(classify_value("=1+1"), ValueKind::kText);
  EXPECT_EQ(classify_value("12345678901234567890"), ValueKind::kText);
  EXPECT_EQ(widen(ValueKind::kInteger, ValueKind::kDecimal), ValueKind::kDecimal);
  EXPECT_EQ(widen(ValueKind::kInteger, ValueKind::kBoolean), ValueKind::kText);
  EXPECT_EQ(widen(ValueKind::kEmpty, ValueKind::kBoolean), ValueKind::kBoolean);
}

// Short decimals are read with one division (Clinger's fast path), the others with
// std::from_chars: the same double either way.
TEST(CsvTypedValues, DecimalsReadAsFromCharsReadsThem) {
  auto reference = [](std::string_view text) -> std::optional<double> {
    std::string_view s = trim(text);
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    if (s.empty() || !((s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '.')) {
      return std::nullopt;
    }
    double v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  };
  std::mt19937_64 rng(3);
  const char alphabet[] = "0123456789.-+ e";
  for (int round = 0; round < 200000; ++round) {
    std::string text;
    const size_t length = 1 + rng() % 20;
    for (size_t k = 0; k < length; ++k) {
      text.push_back(alphabet[rng() % (rng() % 4 == 0 ? sizeof(alphabet) - 1 : 11)]);
    }
    const auto want = reference(text);
    const auto got = parse_decimal(text);
    ASSERT_EQ(got.has_value(), want.has_value()) << text;
    if (want) {
      ASSERT_EQ(std::memcmp(&*got, &*want, sizeof(double)), 0) << text;  // -0.0 too
    }
  }
}

// Where each field ends, from the 64-byte block masks, against a plain scan: every
// starting position of texts of every length around the block size.
TEST(CsvStopFinder, FindsWhatAScanFinds) {
  std::mt19937 rng(9);
  for (size_t length = 0; length < 300; ++length) {
    std::string text;
    for (size_t k = 0; k < length; ++k) {
      const unsigned r = rng() % 10;
      text.push_back(r == 0 ? ';' : r == 1 ? '\n' : r == 2 ? '\r' : static_cast<char>('a' + r));
    }
    StopFinder stops(text, ';', '\n', '\r');
    for (size_t pos = 0; pos <= length; ++pos) {
      size_t want = pos;
      while (want < length && text[want] != ';' && text[want] != '\n' && text[want] != '\r') {
        ++want;
      }
      ASSERT_EQ(stops.next(pos), want) << "length " << length << ", from " << pos;
    }
  }
}

TEST(CsvDocuments, ApplicationLogShapeWithTypedValues) {
  auto p = parse(
      "Timestamp,Level,Service,Message,User,Duration,ok,ratio,code\n"
      "2025-12-23 10:30:00,warn,payment-service,Payment slow,user123,250,true,0.5,007\n"
      "2025-12-23T11:00:00Z,ERROR,payment-service,\"Failed, twice\",user9,,false,1,012\n",
      "app.csv");
  ASSERT_TRUE(p->summary.ok()) << p->summary.error().message;
  EXPECT_EQ(p->summary->format, Format::kCsv);
  ASSERT_EQ(p->size(), 2u);
  const auto& d = p->doc(0);
  EXPECT_EQ(str(d, "@timestamp"), "2025-12-23T10:30:00.000Z");
  EXPECT_EQ(str(d, "Level"), "WARNING");
  EXPECT_EQ(str(d, "Service"), "payment-service");
  EXPECT_EQ(str(d, "Message"), "Payment slow");
  EXPECT_EQ(str(d, "User"), "user123");
  EXPECT_EQ(d.at("Duration").as_int64(), 250);
  EXPECT_EQ(d.at("ok").as_bool(), true);
  EXPECT_EQ(d.at("ratio").as_double(), 0.5);  // column of 0.5 and 1 → decimals
  EXPECT_EQ(p->doc(1).at("ratio").as_double(), 1.0);
  EXPECT_EQ(str(d, "code"), "007");
  EXPECT_EQ(str(d, "Timestamp"), "2025-12-23 10:30:00");  // the original is kept
  EXPECT_EQ(str(d, "source_file"), "app.csv");
  EXPECT_EQ(str(d, "source_format"), "csv");
  EXPECT_FALSE(p->doc(1).contains("Duration"));  // empty = absent
  EXPECT_EQ(str(p->doc(1), "Message"), "Failed, twice");
  EXPECT_EQ(p->sink.entries[0].index, "ecommerce-logs-2025.12.23");
}

TEST(CsvDocuments, HeaderMatchedCaseInsensitivelyWithFallbackSpellings) {
  auto p = parse(
      "TIME;SEVERITY;App;MSG;USERNAME;client_ip\n"
      "2025-12-23 10:30:00;fatal;shop;boom;alice;10.0.0.1\n"
      "2025-12-23 10:31:00;notice;shop;ok;bob;not-an-ip\n",
      "sys.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ(str(p->doc(0), "Level"), "CRITICAL");
  EXPECT_EQ(str(p->doc(0), "Service"), "shop");
  EXPECT_EQ(str(p->doc(0), "Message"), "boom");
  EXPECT_EQ(str(p->doc(0), "User"), "alice");
  EXPECT_EQ(str(p->doc(0), "IP"), "10.0.0.1");
  EXPECT_EQ(str(p->doc(1), "Level"), "INFO");
  EXPECT_FALSE(p->doc(1).contains("IP"));  // not an address: only the original stays
  EXPECT_EQ(str(p->doc(1), "client_ip"), "not-an-ip");
}

TEST(CsvDocuments, UserEventShape) {
  auto p = parse("timestamp,event,user,page\n2025-12-23T10:30:00Z,login,u1,/home\n", "ev.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(str(p->doc(0), "Level"), "INFO");
  EXPECT_EQ(str(p->doc(0), "Service"), "login");
  EXPECT_EQ(str(p->doc(0), "Message"), "login - User: u1 - Page: /home");
  EXPECT_EQ(str(p->doc(0), "User"), "u1");
}

// A row of the user-event shape with its event cell empty (it used to crash).
TEST(CsvDocuments, UserEventShapeWithoutAnEvent) {
  auto p = parse("event,user,page\n,u2,/cart\n", "ev.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(str(p->doc(0), "Level"), "INFO");
  EXPECT_FALSE(p->doc(0).contains("Service"));
  EXPECT_EQ(str(p->doc(0), "Message"), " - User: u2 - Page: /cart");
}

TEST(CsvDocuments, SystemLogShape) {
  auto p = parse("date,level,source,message\n2025-12-23,warning,kernel,disk 91% full\n", "s.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(str(p->doc(0), "Service"), "kernel");
  EXPECT_EQ(str(p->doc(0), "Level"), "WARNING");
  EXPECT_EQ(str(p->doc(0), "@timestamp"), "2025-12-23T00:00:00.000Z");
}

TEST(CsvDocuments, NoTimeColumnUsesTheIngestTime) {
  auto p = parse("level,message\nerror,x\n", "n.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(str(p->doc(0), "@timestamp"), "2025-12-23T12:00:00.000Z");
}

TEST(CsvRejections, RaggedRowsAndQuotes) {
  auto p = parse(
      "time,level,message\n"
      "2025-12-23 10:30:00,INFO,ok\n"
      "2025-12-23 10:30:01,INFO,too,many,fields\n"
      "2025-12-23 10:30:02,INFO,trailing empty,,\n"
      "2025-12-23 10:30:03,INFO\n"
      "2025-12-23 10:30:04,INFO,\"never closed\n"
      "2025-12-23 10:30:05,INFO,after\n",
      "r.csv");
  ASSERT_TRUE(p->summary.ok());
  const auto& s = *p->summary;
  EXPECT_EQ(s.documents, 4u);  // ok, trailing empty, short row, after
  EXPECT_EQ(s.rejected, 2u);
  ASSERT_EQ(s.errors.size(), 2u);
  EXPECT_EQ(s.errors[0].line, 3u);
  EXPECT_EQ(s.errors[0].reason, "row has 5 fields, the header has 3");
  EXPECT_EQ(s.errors[1].line, 6u);
  EXPECT_NE(s.errors[1].reason.find("unterminated quoted field"), std::string::npos);
  EXPECT_EQ(p->sink.rejections.size(), 2u);
  EXPECT_EQ(str(p->doc(3), "Message"), "after");
}

TEST(CsvDocuments, UnreadableLogTimesKeepTheRowAtTheIngestTime) {
  auto p = parse("time,message\nyesterday,x\n2025-12-23T10:00:00Z,y\n", "t.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ(p->summary->timestamps_defaulted, 1u);
  EXPECT_EQ(str(p->doc(0), "@timestamp"), "2025-12-23T12:00:00.000Z");
  EXPECT_EQ(str(p->doc(0), "time"), "yesterday");
}

TEST(CsvDocuments, SeparateDateAndTimeColumnsAreCombined) {
  auto p = parse("Date,Time,Level,Content\n2015-07-29,\"17:41:44,747\",INFO,hello\n", "z.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(str(p->doc(0), "@timestamp"), "2015-07-29T17:41:44.747Z");
  EXPECT_EQ(str(p->doc(0), "Message"), "hello");
}

TEST(CsvRejections, ErrorListIsBoundedButCountIsNot) {
  std::string text = "a,b\n";
  for (int i = 0; i < 50; ++i) text += "1,2,3\n";
  auto p = parse(text, "many.csv");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->rejected, 50u);
  EXPECT_EQ(p->summary->errors.size(), 20u);
  EXPECT_EQ(p->sink.rejections.size(), 50u);
}

TEST(CsvHostile, MegabyteFieldsAndFormulas) {
  const std::string big(1000 * 1000, 'x');
  const std::string huge(2 * 1024 * 1024, 'y');
  auto p = parse("message,formula\n\"" + big + "\",=HYPERLINK(\"http://evil\")\n" + huge + ",x\n",
                 "big.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(str(p->doc(0), "Message").size(), big.size());
  EXPECT_EQ(str(p->doc(0), "formula"), "=HYPERLINK(\"http://evil\")");
  ASSERT_EQ(p->summary->rejected, 1u);
  EXPECT_EQ(p->summary->errors[0].line, 3u);
  EXPECT_NE(p->summary->errors[0].reason.find("over the limit"), std::string::npos);
}

TEST(CsvHostile, DuplicateAndEmptyHeaderNames) {
  auto p = parse("a,a,,b\n1,2,3,4\n", "dup.csv");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(p->doc(0).at("a").as_int64(), 1);
  EXPECT_EQ(p->doc(0).at("a_2").as_int64(), 2);
  EXPECT_EQ(p->doc(0).at("column_3").as_int64(), 3);
}

TEST(CsvHostile, UnterminatedQuoteInHeaderIsAnError) {
  auto p = parse("\"a,b\n1,2\n", "h.csv");
  ASSERT_FALSE(p->summary.ok());
  EXPECT_NE(p->summary.error().message.find("CSV header"), std::string::npos);
}

TEST(CsvHostile, MixedTypesInAColumnBecomeText) {
  auto p = parse("id,n\n1,1\nA2,2\n", "m.csv");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(str(p->doc(0), "id"), "1");
  EXPECT_EQ(str(p->doc(1), "id"), "A2");
  EXPECT_EQ(p->doc(1).at("n").as_int64(), 2);
}

}  // namespace
}  // namespace comptoir::ingest
