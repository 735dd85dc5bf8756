// Router matching: literals, parameters, literal-over-parameter priority, 404 vs
// 405 with the Allow list, HEAD via GET, percent-decoded parameters.
#include "http/router.h"

#include <gtest/gtest.h>

namespace comptoir::http {
namespace {

using boost::beast::http::verb;

Handler named(std::string name) {
  return [name](Request&) {
    Response r;
    r.body = name;
    return r;
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(verb::get, "/", named("root"));
    router.add(verb::get, "/health", named("health"));
    router.add(verb::get, "/api/cache/stats", named("cache_stats"));
    router.add(verb::get, "/api/cache/<key>", named("cache_get"));
    router.add(verb::delete_, "/api/cache/<key>", named("cache_delete"));
    router.add(verb::post, "/api/cache", named("cache_post"));
    router.add(verb::get, "/api/products/<id>", named("product_get"));
    router.add(verb::put, "/api/products/<id>", named("product_put"));
  }

  std::string call(verb method, std::string_view path) {
    auto lookup = router.find(method, path);
    if (lookup.outcome == Router::Outcome::kNotFound) return "404";
    if (lookup.outcome == Router::Outcome::kMethodNotAllowed) return "405";
    RawRequest raw;
    Request req(raw, "id");
    return (*lookup.handler)(req).body;
  }

  Router router;
};

struct RouteCase {
  verb method;
  const char* path;
  const char* expected;
};

TEST_F(RouterTest, Table) {
  const RouteCase cases[] = {
      {verb::get, "/", "root"},
      {verb::get, "/health", "health"},
      {verb::head, "/health", "health"},
      {verb::get, "/health/", "404"},
      {verb::get, "/healthz", "404"},
      {verb::get, "", "404"},
      {verb::get, "health", "404"},
      {verb::get, "/api/cache/stats", "cache_stats"},
      {verb::get, "/api/cache/user:123", "cache_get"},
      {verb::delete_, "/api/cache/user:123", "cache_delete"},
      {verb::delete_, "/api/cache/stats", "405"},
      {verb::get, "/api/cache/", "404"},
      {verb::get, "/api/cache", "405"},
      {verb::post, "/api/cache", "cache_post"},
      {verb::get, "/api/cache/a/b", "404"},
      {verb::put, "/api/products/42", "product_put"},
      {verb::post, "/api/products/42", "405"},
      {verb::get, "/api/nothing", "404"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(call(c.method, c.path), c.expected)
        << boost::beast::http::to_string(c.method) << " " << c.path;
  }
}

TEST_F(RouterTest, AllowListsTheMethodsOfThePattern) {
  auto lookup = router.find(verb::post, "/api/cache/k");
  EXPECT_EQ(lookup.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(lookup.allow, "GET, DELETE, HEAD, OPTIONS");
  lookup = router.find(verb::get, "/api/cache");
  EXPECT_EQ(lookup.allow, "POST, OPTIONS");
}

TEST_F(RouterTest, ParametersArePercentDecoded) {
  auto lookup = router.find(verb::get, "/api/cache/user%3A123%20x");
  ASSERT_EQ(lookup.outcome, Router::Outcome::kFound);
  ASSERT_EQ(lookup.params.size(), 1u);
  EXPECT_EQ(lookup.params[0].first, "key");
  EXPECT_EQ(lookup.params[0].second, "user:123 x");
}

}  // namespace
}  // namespace comptoir::http
