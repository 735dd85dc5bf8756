// Tests for the documents' JSON text: byte for byte what to_json_text writes.
#include "ingest/document_json.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include <boost/json.hpp>

#include "util/json_text.h"

namespace comptoir::ingest {
namespace {

namespace json = boost::json;

std::string members_text(const json::object& doc) {
  std::string out = "{";
  append_json_members(out, doc);
  out.push_back('}');
  return out;
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
  std::string out;
  append_json_string(out, std::string_view("a\"b\\c\nd\x01", 8));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001\"");
}

}  // namespace
}  // namespace comptoir::ingest
