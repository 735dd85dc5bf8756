// API input helpers: UTF-8 checking (table-driven), typed query parameters.
#include "api/input.h"

#include <gtest/gtest.h>

namespace comptoir::api {
namespace {

TEST(ApiInputTest, CleanUtf8) {
  EXPECT_TRUE(is_clean_utf8("plain ascii\twith tab"));
  EXPECT_TRUE(is_clean_utf8("café 東京 🚀"));
  EXPECT_FALSE(is_clean_utf8("\xff"));
  EXPECT_FALSE(is_clean_utf8("\xc3"));                  // truncated
  EXPECT_FALSE(is_clean_utf8("\xc0\xaf"));              // overlong '/'
  EXPECT_FALSE(is_clean_utf8("\xed\xa0\x80"));          // surrogate
  EXPECT_FALSE(is_clean_utf8("\xf4\x90\x80\x80"));      // beyond U+10FFFF
  EXPECT_FALSE(is_clean_utf8(std::string("a\0b", 3)));  // control
  EXPECT_FALSE(is_clean_utf8("line\nbreak"));
  EXPECT_FALSE(is_clean_utf8("del\x7f"));
}

TEST(ApiInputTest, QueryParameters) {
  http::RawRequest raw{boost::beast::http::verb::get,
                       "/x?page=3&size=abc&price=12.5&bad=1e999&empty=", 11};
  http::Request req(raw, "id");
  EXPECT_EQ(*uint_param(req, "page", 1, 1, 10), 3u);
  EXPECT_EQ(*uint_param(req, "absent", 7, 1, 10), 7u);
  EXPECT_FALSE(uint_param(req, "size", 1, 1, 10).ok());
  EXPECT_FALSE(uint_param(req, "page", 1, 4, 10).ok());
  EXPECT_EQ(**number_param(req, "price"), 12.5);
  EXPECT_FALSE(number_param(req, "bad").ok());
  EXPECT_FALSE(number_param(req, "empty").ok());
  EXPECT_FALSE(text_param(req, "empty")->has_value());
  auto err = uint_param(req, "size", 1, 1, 10);
  ASSERT_EQ(err.error().fields.size(), 1u);
  EXPECT_EQ(err.error().fields[0].field, "size");
}

}  // namespace
}  // namespace comptoir::api
