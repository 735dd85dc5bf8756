// Tests for text log layouts, continuation lines and unparsed lines.
#include "ingest/text_log_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest_test_support.h"

namespace comptoir::ingest {
namespace {

using testing::parse;
using testing::str;

struct LineCase {
  const char* name;
  const char* line;
  const char* layout;
  const char* timestamp;
  const char* level;    // "" = absent
  const char* service;  // "" = absent
  const char* message;
};

class TextLogLayouts : public ::testing::TestWithParam<LineCase> {};

TEST_P(TextLogLayouts, ParsesTheLine) {
  const LineCase& c = GetParam();
  auto p = parse(std::string(c.line) + "\n", "one.log");
  ASSERT_TRUE(p->summary.ok()) << p->summary.error().message;
  ASSERT_EQ(p->size(), 1u);
  const auto& d = p->doc(0);
  EXPECT_EQ(str(d, "log_format"), c.layout);
  EXPECT_EQ(str(d, "@timestamp"), c.timestamp);
  EXPECT_EQ(str(d, "Level"), c.level);
  EXPECT_EQ(str(d, "Service"), c.service);
  EXPECT_EQ(str(d, "Message"), c.message);
  EXPECT_EQ(p->summary->unparsed_lines, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    TextLogTable, TextLogLayouts,
    ::testing::Values(
        LineCase{"platform", "[2025-12-23T10:30:00] [ERROR] [payment-service] Payment failed",
                 "platform", "2025-12-23T10:30:00.000Z", "ERROR", "payment-service",
                 "Payment failed"},
        LineCase{"platform_warn", "[2025-12-23 10:30:00.250] [warn] [cart] low stock", "platform",
                 "2025-12-23T10:30:00.250Z", "WARNING", "cart", "low stock"},
        LineCase{"app_comma_millis",
                 "2025-12-23 10:30:00,123 ERROR [payment-service] Payment failed user=user123",
                 "app", "2025-12-23T10:30:00.123Z", "ERROR", "payment-service",
                 "Payment failed user=user123"},
        LineCase{"app_bracket_level",
                 "2025-12-23T10:30:00Z [ERROR] payment-service: Payment failed", "app",
                 "2025-12-23T10:30:00.000Z", "ERROR", "payment-service", "Payment failed"},
        LineCase{"app_offset", "2025-12-23T10:30:00+01:00 FATAL db: down", "app",
                 "2025-12-23T09:30:00.000Z", "CRITICAL", "db", "down"},
        LineCase{"python_logging", "2025-12-23 10:30:00,001 - shop.api - WARNING - slow call",
                 "app", "2025-12-23T10:30:00.001Z", "WARNING", "shop.api", "slow call"},
        LineCase{"log4j_zookeeper",
                 "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:"
                 "FastLeaderElection@774] - Notification time out: 3200",
                 "log4j", "2015-07-29T17:41:44.747Z", "INFO", "FastLeaderElection",
                 "Notification time out: 3200"},
        LineCase{"syslog_3164",
                 "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 1.2.3.4",
                 "syslog_rfc3164", "2025-12-10T06:55:46.000Z", "", "sshd",
                 "Invalid user webmaster from 1.2.3.4"},
        LineCase{"syslog_3164_pri",
                 "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick", "syslog_rfc3164",
                 "2025-10-11T22:14:15.000Z", "CRITICAL", "su", "'su root' failed for lonvick"},
        LineCase{"syslog_3164_tag_with_space", "Jun 19 04:09:11 combo syslogd 1.4.1: restart.",
                 "syslog_rfc3164", "2025-06-19T04:09:11.000Z", "", "syslogd 1.4.1", "restart."},
        LineCase{"syslog_5424",
                 "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                 "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event",
                 "syslog_rfc5424", "2003-10-11T22:14:15.003Z", "INFO", "evntslog",
                 "An application event"},
        LineCase{"syslog_5424_no_sd", "<11>1 2025-12-23T10:30:00Z host app 123 - - disk failure",
                 "syslog_rfc5424", "2025-12-23T10:30:00.000Z", "ERROR", "app", "disk failure"},
        LineCase{"apache_combined",
                 "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /presentations/x.png "
                 "HTTP/1.1\" 200 203023 \"http://semicomplete.com/\" \"Mozilla/5.0\"",
                 "access_log", "2015-05-17T10:05:03.000Z", "INFO", "", "/presentations/x.png"},
        LineCase{"nginx_404",
                 "93.180.71.3 - - [17/May/2015:08:05:32 +0000] \"GET /downloads/product_1 "
                 "HTTP/1.1\" 404 0 \"-\" \"Debian APT-HTTP/1.3\"",
                 "access_log", "2015-05-17T08:05:32.000Z", "WARNING", "", "/downloads/product_1"},
        LineCase{"common_500",
                 "10.0.0.1 - bob [23/Dec/2025:10:30:00 +0100] \"POST /pay HTTP/1.0\" 503 -",
                 "access_log", "2025-12-23T09:30:00.000Z", "ERROR", "", "/pay"},
        LineCase{"apache_error", "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/x",
                 "apache_error", "2005-12-04T04:47:44.000Z", "INFO", "",
                 "workerEnv.init() ok /etc/x"},
        LineCase{
            "apache_error_client",
            "[Sun Dec 04 05:15:09 2005] [error] [client 222.166.160.184] Directory index forbidden",
            "apache_error", "2005-12-04T05:15:09.000Z", "ERROR", "",
            "[client 222.166.160.184] Directory index forbidden"},
        LineCase{
            "hdfs",
            "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating",
            "hdfs", "2008-11-09T20:36:15.000Z", "INFO", "dfs.DataNode$PacketResponder",
            "PacketResponder 1 terminating"},
        LineCase{"spark",
                 "17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered",
                 "log4j_short", "2017-06-09T20:10:40.000Z", "INFO",
                 "executor.CoarseGrainedExecutorBackend", "Registered"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TextLogFields, AccessLogDetails) {
  auto p = parse(
      "10.1.2.3 - alice [23/Dec/2025:10:30:00 +0000] \"GET /api/x?q=1 HTTP/1.1\" 200 512 \"-\" "
      "\"curl/8\" 0.250\n"
      "10.1.2.3 - - [23/Dec/2025:10:30:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\" 1500\n"
      "10.1.2.3 - - [23/Dec/2025:10:30:02 +0000] \"\\x16\\x03\\x01\" 400 0 \"-\" \"-\" rt=0.004\n",
      "access.log");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 3u);
  const auto& d = p->doc(0);
  EXPECT_EQ(str(d, "IP"), "10.1.2.3");
  EXPECT_EQ(str(d, "User"), "alice");
  EXPECT_EQ(str(d, "method"), "GET");
  EXPECT_EQ(str(d, "path"), "/api/x?q=1");
  EXPECT_EQ(d.at("status").as_int64(), 200);
  EXPECT_EQ(d.at("bytes").as_int64(), 512);
  EXPECT_EQ(str(d, "user_agent"), "curl/8");
  EXPECT_FALSE(d.contains("referrer"));
  EXPECT_EQ(d.at("Duration").as_int64(), 250);        // seconds with a fraction
  EXPECT_EQ(p->doc(1).at("Duration").as_int64(), 2);  // Apache %D microseconds
  EXPECT_EQ(str(p->doc(2), "Message"), "\\x16\\x03\\x01");
  EXPECT_EQ(p->doc(2).at("Duration").as_int64(), 4);
  EXPECT_EQ(str(p->doc(2), "Level"), "WARNING");
}

TEST(TextLogFields, KeyValuePairsGiveCanonicalFields) {
  auto p = parse(
      "2025-12-23 10:30:00,123 ERROR [payment-service] Payment failed user=user123 ip=10.0.0.9 "
      "duration_ms=87 order=\"A 1\"\n",
      "kv.log");
  ASSERT_TRUE(p->summary.ok());
  const auto& d = p->doc(0);
  EXPECT_EQ(str(d, "User"), "user123");
  EXPECT_EQ(str(d, "user"), "user123");
  EXPECT_EQ(str(d, "IP"), "10.0.0.9");
  EXPECT_EQ(d.at("Duration").as_int64(), 87);
  EXPECT_EQ(str(d, "order"), "A 1");
}

TEST(TextLogContinuation, StackTracesJoinThePreviousEvent) {
  auto p = parse(
      "2025-12-23 10:30:00,123 ERROR [api] Request failed\n"
      "java.lang.IllegalStateException: bad state\n"
      "\tat com.shop.Api.handle(Api.java:42)\n"
      "\tat com.shop.Server.run(Server.java:7)\n"
      "Caused by: java.io.IOException: reset\n"
      "\t... 3 more\n"
      "2025-12-23 10:30:01,000 INFO [api] recovered\n"
      "    indented detail\n",
      "trace.log");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ(str(p->doc(0), "Message"),
            "Request failed\njava.lang.IllegalStateException: bad state\n"
            "\tat com.shop.Api.handle(Api.java:42)\n\tat com.shop.Server.run(Server.java:7)\n"
            "Caused by: java.io.IOException: reset\n\t... 3 more");
  EXPECT_EQ(str(p->doc(1), "Message"), "recovered\n    indented detail");
  EXPECT_EQ(p->summary->unparsed_lines, 0u);
}

TEST(TextLogUnparsed, UnknownLinesAreKeptAndCounted) {
  auto p = parse(
      "hello there\n"
      "    indented but nothing before it\n"
      "[2025-12-23T10:30:00] [ERROR] [svc] known\n"
      "just text after an event\n",
      "mixed.log");
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 4u);  // one document per line: nothing to continue before line 3
  EXPECT_EQ(p->summary->unparsed_lines, 3u);
  EXPECT_EQ(str(p->doc(0), "Message"), "hello there");
  EXPECT_EQ(str(p->doc(0), "@timestamp"), "2025-12-23T12:00:00.000Z");
  EXPECT_FALSE(p->doc(0).contains("Level"));
  EXPECT_EQ(str(p->doc(0), "log_format"), "unparsed");
  EXPECT_EQ(str(p->doc(1), "Message"), "    indented but nothing before it");
  EXPECT_EQ(str(p->doc(3), "Message"), "just text after an event");
}

TEST(TextLogHostile, MixedLineEndingsAndLongLines) {
  IngestOptions small;
  small.max_field_bytes = 100;
  const std::string long_line = "[2025-12-23T10:30:00] [INFO] [svc] " + std::string(200, 'z');
  auto p = parse(
      "[2025-12-23T10:30:00] [INFO] [svc] a\r\n[2025-12-23T10:30:01] [INFO] [svc] b\r"
      "[2025-12-23T10:30:02] [INFO] [svc] c\n" +
          long_line + "\n[2025-12-23T10:30:03] [INFO] [svc] d",
      "crlf.log", small);
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ(str(p->doc(0), "Message"), "a");
  EXPECT_EQ(str(p->doc(1), "Message"), "b");
  EXPECT_EQ(str(p->doc(2), "Message"), "c");
  EXPECT_EQ(str(p->doc(3), "Message"), "d");
  ASSERT_EQ(p->summary->rejected, 1u);
  EXPECT_EQ(p->summary->errors[0].line, 4u);
}

TEST(TextLogDaily, EventsGoToTheirDaysIndex) {
  auto p =
      parse("[2025-12-23T23:59:59.999Z] [INFO] [s] late\n[2025-12-24T00:00:00] [INFO] [s] early\n",
            "days.log");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->sink.entries[0].index, "ecommerce-logs-2025.12.23");
  EXPECT_EQ(p->sink.entries[1].index, "ecommerce-logs-2025.12.24");
  EXPECT_EQ(p->summary->indices.at("ecommerce-logs-2025.12.24"), 1u);
  EXPECT_EQ(p->summary->text_patterns.at("platform"), 2u);
}

}  // namespace
}  // namespace comptoir::ingest
