// Request: path/query split, query parameters, percent-decoding, headers.
#include "http/request.h"

#include <gtest/gtest.h>

namespace comptoir::http {
namespace {

TEST(RequestTest, SplitsPathAndQuery) {
  RawRequest raw{boost::beast::http::verb::get,
                 "/api/products?category=Home%20%26%20Garden&q=a+b&flag&x=1&x=2", 11};
  raw.set("X-Custom", "v");
  Request req(raw, "rid");
  EXPECT_EQ(req.path(), "/api/products");
  EXPECT_EQ(req.query_param("category"), "Home & Garden");
  EXPECT_EQ(req.query_param("q"), "a b");
  EXPECT_EQ(req.query_param("flag"), "");
  EXPECT_EQ(req.query_param("x"), "1");
  EXPECT_EQ(req.query_param("missing"), std::nullopt);
  EXPECT_EQ(req.header("x-custom"), "v");
  EXPECT_EQ(req.header("absent"), "");
  EXPECT_EQ(req.request_id(), "rid");
}

TEST(RequestTest, PercentDecodeKeepsMalformedEscapes) {
  EXPECT_EQ(percent_decode("%41%4a%4A", false), "AJJ");
  EXPECT_EQ(percent_decode("100%", false), "100%");
  EXPECT_EQ(percent_decode("%zz%4", false), "%zz%4");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("%00", false), std::string(1, '\0'));
}

}  // namespace
}  // namespace comptoir::http
