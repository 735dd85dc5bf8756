// EsTransport against scripted local servers: retries with back-off on 503, giving
// up as Unavailable, no retry on a client error, failover past a dead node, fast
// failure when every node is down, credentials, and a URL path prefix.
#include "backends/search/es_transport.h"

#include <gtest/gtest.h>

#include <chrono>

#include "fake_http_server.h"

namespace comptoir {
namespace {

using testing::FakeHttpServer;
using Clock = std::chrono::steady_clock;

// Nothing listens on port 1 of the loopback: connections are refused at once.
constexpr const char* kDeadNode = "http://127.0.0.1:1";

EsTransportOptions options_for(std::string hosts) {
  EsTransportOptions o;
  o.hosts = std::move(hosts);
  o.backoff = std::chrono::milliseconds(10);
  o.connect_timeout = std::chrono::milliseconds(500);
  o.request_timeout = std::chrono::milliseconds(2000);
  return o;
}

std::unique_ptr<EsTransport> transport_for(EsTransportOptions options) {
  auto t = EsTransport::create(std::move(options));
  EXPECT_TRUE(t.ok()) << t.error().message;
  return std::move(t.value());
}

TEST(EsTransportTest, RetriesOverloadedAnswersThenSucceeds) {
  FakeHttpServer server({{503, R"({"error":"busy"})"}, {429, "{}"}, {502, ""}},
                        {200, R"({"ok":true})"});
  auto transport = transport_for(options_for(server.url()));
  auto response = transport->perform({.method = "GET", .path = "/"});
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"ok":true})");
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST(EsTransportTest, GivesUpAsUnavailableAfterTheRetries) {
  FakeHttpServer server({}, {503, R"({"error":"still busy"})"});
  auto options = options_for(server.url());
  options.max_retries = 2;
  auto transport = transport_for(options);
  auto response = transport->perform({.method = "GET", .path = "/_cat/indices"});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("503"), std::string::npos) << response.error().message;
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(EsTransportTest, ClientErrorsAreAnswersNotRetries) {
  FakeHttpServer server({}, {400, R"({"error":{"type":"parsing_exception","reason":"x"}})"});
  auto transport = transport_for(options_for(server.url()));
  auto response = transport->perform({.method = "POST", .path = "/i/_search", .body = "{}"});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(EsTransportTest, FailsOverToTheNextNode) {
  FakeHttpServer server;
  auto transport = transport_for(options_for(std::string(kDeadNode) + "," + server.url()));
  for (int i = 0; i < 6; ++i) {
    auto response = transport->perform({.method = "GET", .path = "/"});
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->node, server.url());
  }
  EXPECT_EQ(server.requests().size(), 6u);
}

TEST(EsTransportTest, UnreachableClusterIsUnavailableQuickly) {
  auto transport = transport_for(options_for(kDeadNode));
  auto started = Clock::now();
  auto first = transport->perform({.method = "GET", .path = "/"});
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(first.error().message.find("127.0.0.1:1"), std::string::npos) << first.error().message;
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
  // Known to be down: one attempt, no back-off.
  started = Clock::now();
  auto second = transport->perform({.method = "GET", .path = "/"});
  ASSERT_FALSE(second.ok());
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(200));
}

TEST(EsTransportTest, RecoversAsSoonAsTheNodeAnswers) {
  uint16_t port = 0;
  {
    FakeHttpServer picks_a_port;
    port = picks_a_port.port();
  }
  auto transport = transport_for(options_for("http://127.0.0.1:" + std::to_string(port)));
  ASSERT_FALSE(transport->perform({.method = "GET", .path = "/"}).ok());
  ASSERT_FALSE(transport->perform({.method = "GET", .path = "/"}).ok());
  FakeHttpServer back({}, {}, port);
  auto response = transport->perform({.method = "GET", .path = "/"});
  EXPECT_TRUE(response.ok()) << response.error().message;
}

TEST(EsTransportTest, SendsBasicAuthFromTheUrl) {
  FakeHttpServer server;
  const std::string url = server.url();
  auto transport = transport_for(
      options_for("http://elastic:p%40ss@" + url.substr(std::string("http://").size())));
  ASSERT_TRUE(transport->perform({.method = "GET", .path = "/"}).ok());
  ASSERT_EQ(server.requests().size(), 1u);
  // base64("elastic:p@ss")
  EXPECT_NE(server.requests()[0].find("Authorization: Basic ZWxhc3RpYzpwQHNz"), std::string::npos)
      << server.requests()[0];
  EXPECT_EQ(transport->describe_nodes().find("p%40ss"), std::string::npos);
}

TEST(EsTransportTest, SendsTheApiKey) {
  FakeHttpServer server;
  auto options = options_for(server.url());
  options.api_key = "a2V5OnNlY3JldA==";
  auto transport = transport_for(options);
  ASSERT_TRUE(transport->perform({.method = "GET", .path = "/"}).ok());
  EXPECT_NE(server.requests()[0].find("Authorization: ApiKey a2V5OnNlY3JldA=="), std::string::npos)
      << server.requests()[0];
}

TEST(EsTransportTest, KeepsTheUrlPathPrefixAndSendsTheBody) {
  FakeHttpServer server;
  auto transport = transport_for(options_for(server.url() + "/es/"));
  ASSERT_TRUE(
      transport->perform({.method = "PUT", .path = "/logs", .body = R"({"mappings":{}})"}).ok());
  const std::string request = server.requests().at(0);
  EXPECT_TRUE(request.starts_with("PUT /es/logs HTTP/1.1\r\n")) << request;
  EXPECT_TRUE(request.ends_with("\r\n\r\n{\"mappings\":{}}")) << request;
  EXPECT_NE(request.find("Content-Type: application/json"), std::string::npos);
}

TEST(EsTransportTest, RejectsAMalformedHostList) {
  EXPECT_FALSE(EsTransport::create(options_for("")).ok());
  EXPECT_FALSE(EsTransport::create(options_for("ftp://a:21")).ok());
  EXPECT_FALSE(EsTransport::create(options_for("http://a:9200, ,http://")).ok());
}

TEST(EsTransportTest, PathSegmentsKeepPatternsAndCommas) {
  EXPECT_EQ(es_path_segment("ecommerce-logs-*,ecommerce-sales"),
            "ecommerce-logs-*,ecommerce-sales");
  EXPECT_EQ(es_path_segment("a b/#?"), "a%20b%2F%23%3F");
}

}  // namespace
}  // namespace comptoir
