// Tests for the documents' JSON text: byte for byte what to_json_text writes.
#include "ingest/document_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include <boost/json.hpp>

#include <fmt/format.h>

#include "util/json_text.h"

namespace comptoir::ingest {
namespace {

namespace json = boost::json;

std::string members_text(const json::object& doc) {
  TextBuffer out;
  out.push_back('{');
  append_json_members(out, doc);
  out.push_back('}');
  return std::string(out.view());
}

TEST(IngestDocumentJson, SameBytesAsToJsonText) {
  std::string every_ascii;
  for (int c = 0; c < 128; ++c) every_ascii.push_back(static_cast<char>(c));
  const json::object doc{
      {"plain", "Payment failed"},
      {"ascii", every_ascii},
      {"utf8", "caf\xC3\xA9 \xE2\x82\xAC"},
      {"quote\"key\\", "\x01\x1F\x7F"},
      {"int", -42},
      {"uint", std::numeric_limits<uint64_t>::max()},
      {"integral double", 12.0},
      {"double", 799.99},
      {"big double", 1e300},
      {"nan", std::numeric_limits<double>::quiet_NaN()},
      {"bool", true},
      {"null", nullptr},
      {"array", json::array{1, "two", 3.5, json::array{}, json::object{{"k", "v"}}}},
      {"empty", ""}};
  EXPECT_EQ(members_text(doc), to_json_text(doc));
  EXPECT_EQ(members_text(json::object{}), "{}");
}

TEST(IngestDocumentJson, EscapesControlCharacters) {
  TextBuffer out;
  append_json_string(out, std::string_view("a\"b\\c\nd\x01", 8));
  EXPECT_EQ(out.view(), "\"a\\\"b\\\\c\\nd\\u0001\"");
}

// Escapes are found 16 bytes at a time, the last block overlapping the one before:
// every length and every position of an escaped byte.
TEST(IngestDocumentJson, StringsAsToJsonTextWritesThem) {
  std::mt19937 rng(5);
  const char special[] = "\"\\\n\x01\x1f\x7f\xc3\xa9 ";
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const size_t length = rng() % 70;
    for (size_t k = 0; k < length; ++k) {
      s.push_back(rng() % 8 != 0 ? static_cast<char>('a' + rng() % 26)
                                 : special[rng() % (sizeof(special) - 1)]);
    }
    TextBuffer out;
    append_json_string(out, s);
    ASSERT_EQ(out.view(), to_json_text(json::string(s))) << s;
  }
}

// Integral doubles, short decimals (written from their digits) and the rest (fmt's
// shortest form): the bytes to_json_text writes.
TEST(IngestDocumentJson, DoublesAsToJsonTextWritesThem) {
  std::mt19937_64 rng(7);
  auto check = [](double d) {
    TextBuffer out;
    append_json_double(out, d);
    ASSERT_EQ(out.view(), to_json_text(json::value(d))) << fmt::format("{:.17g}", d);
  };
  for (int round = 0; round < 200000; ++round) {
    // A decimal as a file writes it: up to 17 digits, up to 6 after the point.
    const int digits = 1 + static_cast<int>(rng() % 17);
    const int fraction = static_cast<int>(rng() % 7);
    std::string text = std::to_string(rng() % static_cast<uint64_t>(std::pow(10.0, digits)));
    if (fraction > 0) {
      while (static_cast<int>(text.size()) <= fraction) text.insert(0, "0");
      text.insert(text.size() - static_cast<size_t>(fraction), ".");
    }
    const double d = std::strtod(text.c_str(), nullptr);
    check(rng() % 2 == 0 ? d : -d);
    // Any bit pattern.
    double any = 0;
    const uint64_t bits = rng();
    std::memcpy(&any, &bits, sizeof(any));
    check(any);
    // A revenue: quantity × price rounded to cents.
    check(std::round(static_cast<double>(rng() % 100) * static_cast<double>(rng() % 100000) /
                     100.0 * 100.0) /
          100.0);
  }
  for (double d : {0.1, 0.05, -0.05, 1e-4, 1.5e-4, 0.00015, 999999999999999.9, 99999999999.9999,
                   1e15 + 0.5, -0.0, 5e-324, 2.675, 1.005, 1e300}) {
    check(d);
  }
}

}  // namespace
}  // namespace comptoir::ingest
