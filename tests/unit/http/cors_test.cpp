// CORS: any-origin and listed-origin policies, preflight header echo.
#include "http/cors.h"

#include <gtest/gtest.h>

namespace comptoir::http {
namespace {

std::string header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

TEST(CorsTest, CoversOnlyApiPaths) {
  EXPECT_TRUE(CorsPolicy::covers("/api/search"));
  EXPECT_FALSE(CorsPolicy::covers("/health"));
  EXPECT_FALSE(CorsPolicy::covers("/apix"));
}

TEST(CorsTest, AnyOriginAnswersStar) {
  CorsPolicy cors({"*"});
  RawRequest raw{boost::beast::http::verb::get, "/api/x", 11};
  raw.set(boost::beast::http::field::origin, "https://shop.example");
  Request req(raw, "id");
  Response res;
  cors.decorate(req, res);
  EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(header(res, "Vary"), "<absent>");
}

TEST(CorsTest, ListedOriginsAreEchoedOthersGetNothing) {
  CorsPolicy cors({"https://a.example", "https://b.example"});
  RawRequest raw{boost::beast::http::verb::get, "/api/x", 11};
  raw.set(boost::beast::http::field::origin, "https://b.example");
  Response ok;
  cors.decorate(Request(raw, "id"), ok);
  EXPECT_EQ(header(ok, "Access-Control-Allow-Origin"), "https://b.example");
  EXPECT_EQ(header(ok, "Vary"), "Origin");

  raw.set(boost::beast::http::field::origin, "https://evil.example");
  Response no;
  cors.decorate(Request(raw, "id"), no);
  EXPECT_EQ(header(no, "Access-Control-Allow-Origin"), "<absent>");
}

TEST(CorsTest, PreflightEchoesOnlyAllowedHeaders) {
  CorsPolicy cors({"*"});
  RawRequest raw{boost::beast::http::verb::options, "/api/search", 11};
  raw.set(boost::beast::http::field::origin, "https://shop.example");
  raw.set("Access-Control-Request-Method", "POST");
  raw.set("Access-Control-Request-Headers", "Content-Type, X-Evil ,authorization");
  Request req(raw, "id");
  EXPECT_TRUE(CorsPolicy::is_preflight(req));
  Response res;
  cors.decorate_preflight(req, res);
  EXPECT_EQ(header(res, "Access-Control-Allow-Methods"), "GET, POST, PUT, DELETE, OPTIONS");
  EXPECT_EQ(header(res, "Access-Control-Allow-Headers"), "content-type, authorization");
}

}  // namespace
}  // namespace comptoir::http
