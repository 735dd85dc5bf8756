// json_scan: members found in place, and values shown as text exactly as Boost.JSON
// parsing then to_json_text() show them, one case per line.
#include "util/json_scan.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "util/json_text.h"

namespace comptoir {
namespace {

using Members = std::vector<std::pair<std::string, std::string>>;

std::optional<Members> members(std::string_view text) {
  Members out;
  std::string scratch;
  const bool ok = for_each_json_member(text, scratch, [&](std::string_view k, std::string_view v) {
    out.emplace_back(std::string(k), std::string(v));
  });
  if (!ok) return std::nullopt;
  return out;
}

TEST(JsonScanTest, MembersAreFoundWhereTheyLie) {
  EXPECT_EQ(members(R"({"a":1,"b":"x"})"), (Members{{"a", "1"}, {"b", "\"x\""}}));
  EXPECT_EQ(members(" { \"a\" :\t1 ,\n\"b\" : [ 1, {\"c\": \"]}\"} ] } \r\n"),
            (Members{{"a", "1"}, {"b", "[ 1, {\"c\": \"]}\"} ]"}}));
  EXPECT_EQ(members("{}"), Members{});
  EXPECT_EQ(members(" {  } "), Members{});
  EXPECT_EQ(members(R"({"M\u0065ssage":"m","a\"b":"\\\"","":null})"),
            (Members{{"Message", "\"m\""}, {"a\"b", R"("\\\"")"}, {"", "null"}}));
  EXPECT_EQ(members(R"({"a":1,"a":2})"), (Members{{"a", "1"}, {"a", "2"}}));
  EXPECT_EQ(members(R"({"o":{"p":{"q":[]}},"n":-1.5e3})"),
            (Members{{"o", R"({"p":{"q":[]}})"}, {"n", "-1.5e3"}}));
}

TEST(JsonScanTest, WhatIsNotAnObjectIsRefused) {
  for (std::string_view text :
       {"", "[]", "1", "\"a\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1", "{\"a\":1,}", "{\"a\":1} x",
        "{a:1}", "{\"a\":\"x}", "{\"a\":[1,2}", "{\"\\ud800\":1}"}) {
    EXPECT_EQ(members(text), std::nullopt) << text;
  }
}

TEST(JsonScanTest, FindMemberKeepsTheLastOfARepeatedKey) {
  EXPECT_EQ(find_json_member(R"({"a":1,"b":2,"a":3})", "a"), "3");
  EXPECT_EQ(find_json_member(R"({"a":1})", "b"), "");
  EXPECT_EQ(find_json_member(R"([1])", "a"), std::nullopt);
}

struct TextCase {
  std::string_view raw;
  std::optional<std::string_view> text;  // nullopt: null
};

TEST(JsonScanTest, ValuesShowAsTheParsedTreeShowsThem) {
  const TextCase cases[] = {
      {R"("plain")", "plain"},
      {R"("")", ""},
      {R"("caf\u00e9 \u00C9")", "café É"},
      {R"("caf\u00e9")", "café"},
      {R"("say \"hi\"")", "say \"hi\""},
      {R"("a\\b\/c")", "a\\b/c"},
      {R"("\b\f\n\r\t")", "\b\f\n\r\t"},
      {R"("\u20ac \ud83d\ude00 😀")", "€ 😀 😀"},
      {R"("\u0041")", "A"},
      {"null", std::nullopt},
      {"true", "true"},
      {"false", "false"},
      {"0", "0"},
      {"-0", "0"},
      {"42", "42"},
      {"-42", "-42"},
      {"123456789012345678", "123456789012345678"},
      {"1234567890123456789", "1234567890123456789"},
      {"18446744073709551615", "18446744073709551615"},
      {"184467440737095516150", "1.844674407370955e+20"},  // as Boost.JSON 1.81 reads it
      {"1.5", "1.5"},
      {"1.0", "1.0"},
      {"1e2", "100.0"},
      {"-0.0", "-0.0"},
      {"0.1", "0.1"},
      {"[1, \"a\" , null,{\"b\" : 2.50}]", R"([1,"a",null,{"b":2.5}])"},
      {R"({"x":{"y":"\u00e9"},"x":1})", R"({"x":1})"},
      {"{}", "{}"},
  };
  for (const auto& c : cases) {
    std::string scratch;
    std::optional<std::string_view> text;
    ASSERT_TRUE(json_value_text(c.raw, scratch, text)) << c.raw;
    EXPECT_EQ(text, c.text) << c.raw;
    // The reference: Boost.JSON's tree, a string as is and anything else as its text.
    const boost::json::value v = boost::json::parse(c.raw);
    if (v.is_null()) {
      EXPECT_EQ(text, std::nullopt) << c.raw;
    } else if (v.is_string()) {
      EXPECT_EQ(*text, std::string_view(v.get_string())) << c.raw;
    } else {
      EXPECT_EQ(*text, to_json_text(v)) << c.raw;
    }
  }
}

TEST(JsonScanTest, ValuesBoostJsonRejectsAreUnreadable) {
  for (std::string_view raw :
       {R"("\ud800")", R"("\udc00x")", R"("\ud800\u0041")", R"("\x")", R"("\u12")", "\"a\x01b\"",
        R"("a)", R"("a"b")", "nul", "01", "-", "[1,", ""}) {
    std::string scratch;
    std::optional<std::string_view> text;
    EXPECT_FALSE(json_value_text(raw, scratch, text)) << raw;
    boost::system::error_code ec;
    (void)boost::json::parse(raw, ec);
    EXPECT_TRUE(ec) << raw;
  }
}

}  // namespace
}  // namespace comptoir
