// Standard analyzer: table of tricky inputs with the tokens Elasticsearch's standard
// analyzer produces (UAX #29 + lowercase, max 255), run through both the ASCII fast
// path and the ICU path; plus a seeded fuzz test that the two paths agree.
#include "engine/analysis/standard_analyzer.h"

#include <gtest/gtest.h>

#include <random>

namespace comptoir::engine {
namespace {

struct AnalyzerCase {
  std::string input;
  std::vector<std::string> tokens;
};

std::vector<std::string> run_ascii(const std::string& s) {
  TokenBuffer b;
  StandardAnalyzer::analyze_ascii(s, b);
  return b.to_vector();
}
std::vector<std::string> run_icu(const std::string& s) {
  TokenBuffer b;
  StandardAnalyzer::analyze_icu(s, b);
  return b.to_vector();
}

TEST(AnalyzerTest, TableBothPaths) {
  const std::vector<AnalyzerCase> cases = {
      // The example of the ES reference (standard analyzer page).
      {"The 2 QUICK Brown-Foxes jumped over the lazy dog's bone.",
       {"the", "2", "quick", "brown", "foxes", "jumped", "over", "the", "lazy", "dog's", "bone"}},
      {"payment-service", {"payment", "service"}},
      {"user123", {"user123"}},
      {"foo.bar", {"foo.bar"}},
      {"can't", {"can't"}},
      {"10.5", {"10.5"}},
      {"ERROR:", {"error"}},
      {"ERROR: disk full", {"error", "disk", "full"}},
      {"john.doe@example.com", {"john.doe", "example.com"}},
      {"https://www.example.com/path?q=1&x=2",
       {"https", "www.example.com", "path", "q", "1", "x", "2"}},
      {"[2025-12-23T10:30:00] [ERROR] [payment-service] Payment failed",
       {"2025", "12", "23t10", "30", "00", "error", "payment", "service", "payment", "failed"}},
      {"a:b level:error", {"a:b", "level:error"}},  // ':' is MidLetter in UAX #29
      {"3:30", {"3", "30"}},
      {"1,000.50 1;2", {"1,000.50", "1;2"}},
      {"a,b a;b", {"a", "b", "a", "b"}},
      {"192.168.1.1", {"192.168.1.1"}},
      {"v1.2 1a.b a.1 1.a", {"v1.2", "1a.b", "a", "1", "1", "a"}},
      {"a..b foo. .bar", {"a", "b", "foo", "bar"}},
      {"x_1 _a a_ __ _", {"x_1", "_a", "a_"}},
      {"'quoted' \"dq\"", {"quoted", "dq"}},
      {"O'Neil's", {"o'neil's"}},
      {"  ,,, !!! ", {}},
      {"", {}},
      {"Hello\tWorld\nNEW-line", {"hello", "world", "new", "line"}},
      {"GET /api/v1/users?id=42 HTTP/1.1 200",
       {"get", "api", "v1", "users", "id", "42", "http", "1.1", "200"}},
      {"Duration=125ms", {"duration", "125ms"}},
      // Accented, German, Turkish dotted I (simple case mapping like Java).
      {"Café Crème ÉCOLE naïve", {"café", "crème", "école", "naïve"}},
      {"Straße İstanbul", {"straße", "istanbul"}},
      // CJK: one token per ideograph / hiragana, katakana runs whole.
      {"中文测试", {"中", "文", "测", "试"}},
      {"日本語のテキスト", {"日", "本", "語", "の", "テキスト"}},
      {"abc中文def", {"abc", "中", "文", "def"}},
      {"한국어 텍스트", {"한국어", "텍스트"}},
      {"ภาษาไทย ok", {"ภาษาไทย", "ok"}},
      {"fullwidth：ｘ café@mail.fr", {"fullwidth：ｘ", "café", "mail.fr"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("input: " + c.input);
    EXPECT_EQ(run_icu(c.input), c.tokens) << "icu path";
    if (StandardAnalyzer::is_ascii(c.input)) {
      EXPECT_EQ(run_ascii(c.input), c.tokens) << "ascii path";
    }
    EXPECT_EQ(StandardAnalyzer::tokens(c.input), c.tokens);
  }
}

TEST(AnalyzerTest, LongTokensSplitAt255) {
  std::string s(300, 'A');
  std::vector<std::string> expected = {std::string(255, 'a'), std::string(45, 'a')};
  EXPECT_EQ(run_ascii(s), expected);
  EXPECT_EQ(run_icu(s), expected);
  std::string e;
  for (int i = 0; i < 256; ++i) e += "é";
  auto toks = run_icu(e);
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(toks[1], "é");
}

TEST(AnalyzerTest, AsciiAndIcuPathsAgreeOnRandomInput) {
  const uint32_t seed = std::random_device{}();
  std::mt19937 rng(seed);
  const std::string alphabet = "aZb09_:.',;@-/ \t!?#()[]\"=+xyQ";
  for (int n = 0; n < 3000; ++n) {
    std::string s;
    size_t len = rng() % 24;
    for (size_t i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
    ASSERT_EQ(run_ascii(s), run_icu(s)) << "seed " << seed << " input [" << s << "]";
  }
}

TEST(AnalyzerTest, InvalidUtf8NeverCrashes) {
  std::string bad = "ok \xff\xfe bad \xc3";
  auto toks = StandardAnalyzer::tokens(bad);
  ASSERT_GE(toks.size(), 2u);
  EXPECT_EQ(toks[0], "ok");
  EXPECT_EQ(toks[1], "bad");
}

TEST(AnalyzerTest, Lowercase) {
  EXPECT_EQ(lowercase("ERROR"), "error");
  EXPECT_EQ(lowercase("ÉCOLE"), "école");
}

}  // namespace
}  // namespace comptoir::engine
