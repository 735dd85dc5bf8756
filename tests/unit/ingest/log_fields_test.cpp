// Tests for the canonical log fields' value rules: level words and their
// normalisation, IP addresses (a dotted quad is read without inet_pton).
#include "ingest/log_fields.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace comptoir::ingest {
namespace {

struct LevelCase {
  std::string written;
  std::string normalised;
  bool text_log_level;  // a text-log layout takes it for a line's level
};

class LogFieldsLevels : public ::testing::TestWithParam<LevelCase> {};

TEST_P(LogFieldsLevels, NormaliseAndRecognise) {
  const LevelCase& c = GetParam();
  EXPECT_EQ(normalize_level(c.written), c.normalised) << c.written;
  const auto word = level_word(c.written);
  EXPECT_EQ(word.has_value() && word->text_log_level, c.text_log_level) << c.written;
}

INSTANTIATE_TEST_SUITE_P(
    LogFieldsLevelTable, LogFieldsLevels,
    ::testing::Values(LevelCase{"warn", "WARNING", true}, LevelCase{"Warning", "WARNING", true},
                      LevelCase{" Info ", "INFO", false}, LevelCase{"info", "INFO", true},
                      LevelCase{"NOTICE", "INFO", true}, LevelCase{"information", "INFO", false},
                      LevelCase{"Informational", "INFO", false}, LevelCase{"err", "ERROR", true},
                      LevelCase{"severe", "ERROR", true}, LevelCase{"fatal", "CRITICAL", true},
                      LevelCase{"crit", "CRITICAL", true}, LevelCase{"EMERGENCY", "CRITICAL", true},
                      LevelCase{"alert", "CRITICAL", true}, LevelCase{"panic", "CRITICAL", false},
                      LevelCase{"trace", "TRACE", true}, LevelCase{"debug", "DEBUG", true},
                      LevelCase{"0", "CRITICAL", false}, LevelCase{"3", "ERROR", false},
                      LevelCase{"4", "WARNING", false}, LevelCase{"7", "DEBUG", false},
                      LevelCase{"8", "8", false}, LevelCase{"custom", "CUSTOM", false},
                      LevelCase{"", "", false}, LevelCase{"inf", "INF", false},
                      LevelCase{"warnings", "WARNINGS", false},
                      LevelCase{"caf\xC3\xA9", "CAF\xC3\xA9", false},
                      LevelCase{std::string("IN\0O", 4), std::string("IN\0O", 4), false}));

// is_ip_address against inet_pton on the same text (read as a C string).
TEST(LogFieldsIp, SameAnswerAsInetPton) {
  auto reference = [](const std::string& text) {
    if (text.empty() || text.size() > 45) return false;
    unsigned char addr[16];
    return inet_pton(AF_INET, text.c_str(), addr) == 1 ||
           inet_pton(AF_INET6, text.c_str(), addr) == 1;
  };
  std::mt19937 rng(17);
  const char alphabet[] = "0123456789....::abf";
  for (int round = 0; round < 200000; ++round) {
    std::string text;
    const size_t length = rng() % 18;
    for (size_t k = 0; k < length; ++k) {
      text.push_back(rng() % 50 == 0 ? '\0' : alphabet[rng() % (sizeof(alphabet) - 1)]);
    }
    ASSERT_EQ(is_ip_address(text), reference(text)) << text;
  }
  for (const std::string& text : std::initializer_list<std::string>{
           "10.0.0.1", "255.255.255.255", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3",
           "::1", "2001:db8::1", " 10.0.0.1", std::string("1.2.3.4\0junk", 12)}) {
    EXPECT_EQ(is_ip_address(text), reference(text)) << text;
  }
}

}  // namespace
}  // namespace comptoir::ingest
