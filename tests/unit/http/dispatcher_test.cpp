// Dispatcher: JSON 404/405 with request id and Allow, OPTIONS 204, a throwing
// handler becomes a 500 carrying the request id, CORS only on /api/*.
#include "http/dispatcher.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace comptoir::http {
namespace {

using boost::beast::http::verb;

std::string header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : dispatcher(router, CorsPolicy({"*"})) {
    router.add(verb::get, "/api/ok", [](Request&) { return json_response(200, {{"ok", true}}); });
    router.add(verb::get, "/api/boom",
               [](Request&) -> Response { throw std::runtime_error("boom"); });
    router.add(verb::get, "/plain", [](Request&) { return json_response(200, nullptr); });
  }
  Response run(verb method, std::string target) {
    raw = RawRequest{method, target, 11};
    raw.set(boost::beast::http::field::origin, "https://x.example");
    Request req(raw, "req-1");
    return dispatcher.dispatch(req);
  }
  Router router;
  Dispatcher dispatcher;
  RawRequest raw;
};

TEST_F(DispatcherTest, ErrorsAreJsonWithRequestId) {
  for (auto [method, target, status] :
       {std::tuple{verb::get, "/nope", 404u}, std::tuple{verb::post, "/api/ok", 405u},
        std::tuple{verb::get, "/api/boom", 500u}}) {
    Response res = run(method, target);
    EXPECT_EQ(res.status, status) << target;
    auto body = boost::json::parse(res.body).as_object();
    EXPECT_EQ(body.at("status").as_int64(), status);
    EXPECT_EQ(body.at("request_id").as_string(), "req-1");
    EXPECT_FALSE(body.at("error").as_string().empty());
  }
  EXPECT_EQ(header(run(verb::post, "/api/ok"), "Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(DispatcherTest, OptionsIs204WithAllow) {
  Response res = run(verb::options, "/plain");
  EXPECT_EQ(res.status, 204u);
  EXPECT_EQ(header(res, "Allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(run(verb::options, "/missing").status, 404u);
}

TEST_F(DispatcherTest, CorsOnlyOnApi) {
  EXPECT_EQ(header(run(verb::get, "/api/ok"), "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(header(run(verb::get, "/plain"), "Access-Control-Allow-Origin"), "<absent>");
  EXPECT_EQ(header(run(verb::get, "/api/boom"), "Access-Control-Allow-Origin"), "*");
}

}  // namespace
}  // namespace comptoir::http
