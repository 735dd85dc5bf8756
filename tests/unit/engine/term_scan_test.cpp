// Term scans: `*literal*` dictionary scans and case-insensitive scans select exactly
// the terms the per-term definition (lowercase, then wildcard_match) selects, on a
// dictionary with upper case, non-ASCII, prefix-sharing and boundary-spanning terms.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "engine/analysis/standard_analyzer.h"
#include "engine/index/index.h"
#include "engine/query/term_scan.h"

namespace comptoir::engine {
namespace {

namespace json = boost::json;

class TermScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IndexSettings settings;
    settings.refresh_interval = std::chrono::milliseconds(0);
    auto m = parse_mapping(json::parse(R"({"properties":{"kw":{"type":"keyword"}}})"));
    ASSERT_TRUE(m.ok());
    auto idx = Index::create_in_memory("terms", *m, settings);
    ASSERT_TRUE(idx.ok());
    index_ = std::move(*idx);
    int n = 0;
    for (const std::string& v : terms_) {
      json::object doc{{"kw", v}};
      ASSERT_TRUE(index_->index_doc(json::serialize(doc), std::to_string(n++)).ok());
    }
    ASSERT_TRUE(index_->refresh().ok());
    snapshot_ = index_->snapshot();
    ASSERT_EQ(snapshot_->segments.size(), 1u);
    field_ = snapshot_->segments[0].reader->field("kw");
    ASSERT_NE(field_, nullptr);
  }

  // The per-term definition.
  std::set<std::string> expected(const std::string& pattern, bool ci) const {
    std::set<std::string> out;
    const std::string p = ci ? lowercase(pattern) : pattern;
    for (uint32_t t = 0; t < field_->term_count(); ++t) {
      const std::string term(field_->term(t));
      if (wildcard_match(p, ci ? lowercase(term) : term)) out.insert(term);
    }
    return out;
  }
  std::set<std::string> scanned(const std::string& pattern, bool ci) const {
    std::set<std::string> out;
    size_t visits = 0;
    for_each_wildcard_term(*field_, WildcardPattern(ci ? lowercase(pattern) : pattern), ci,
                           [&](uint32_t t) {
                             ++visits;
                             out.insert(std::string(field_->term(t)));
                           });
    EXPECT_EQ(visits, out.size()) << pattern << ": a term visited twice";
    return out;
  }

  std::vector<std::string> terms_ = {"timeout",
                                     "Timeout",
                                     "TIMEOUT after 30s",
                                     "connection timeout",
                                     "time",
                                     "out",
                                     "outtime",
                                     "ÉCOLE",
                                     "école",
                                     "Écho",
                                     "ab",
                                     "abab",
                                     "ba",
                                     "a*b",
                                     "a\\b",
                                     "payment",
                                     "PAYMENT",
                                     "pay",
                                     "ment",
                                     "中文 text",
                                     "İstanbul",
                                     "ISTANBUL",
                                     "x",
                                     "xx",
                                     "xxx"};
  std::unique_ptr<Index> index_;
  SnapshotPtr snapshot_;
  const FieldReader* field_ = nullptr;
};

TEST_F(TermScanTest, ContainedLiteralEqualsPerTermMatching) {
  for (const std::string p :
       {"*time*", "*out*", "*TIME*", "*é*", "*É*", "*cole*", "*ab*", "*ba*", "*bab*", "*\\**",
        "*\\\\*", "*a*", "*中*", "*xx*", "*stan*", "*i̇*", "*pay*", "*nope*", "*x*"}) {
    for (bool ci : {false, true}) {
      EXPECT_EQ(scanned(p, ci), expected(p, ci)) << p << (ci ? " (case-insensitive)" : "");
    }
  }
}

TEST_F(TermScanTest, OtherPatternsEqualPerTermMatching) {
  for (const std::string p :
       {"*", "time*", "*out", "t?me*", "?", "*a*b*", "pay", "É*", "x?x", "**", "\\*", "TIME*"}) {
    for (bool ci : {false, true}) {
      EXPECT_EQ(scanned(p, ci), expected(p, ci)) << p << (ci ? " (case-insensitive)" : "");
    }
  }
}

TEST_F(TermScanTest, MatchSpanningTwoTermsIsNotAHit) {
  // "ab" + "abab" are adjacent in the dictionary: "bab" must only come from "abab".
  EXPECT_EQ(scanned("*bab*", false), (std::set<std::string>{"abab"}));
  // "x" "xx" "xxx": every x-run is its own term.
  EXPECT_EQ(scanned("*xxx*", false), (std::set<std::string>{"xxx"}));
}

TEST_F(TermScanTest, CaseInsensitivePrefixAndEquality) {
  std::set<std::string> prefixed, equal;
  for_each_prefix_term_ci(*field_, "time",
                          [&](uint32_t t) { prefixed.insert(std::string(field_->term(t))); });
  for_each_equal_term_ci(*field_, "école",
                         [&](uint32_t t) { equal.insert(std::string(field_->term(t))); });
  EXPECT_EQ(prefixed, (std::set<std::string>{"timeout", "Timeout", "TIMEOUT after 30s", "time"}));
  EXPECT_EQ(equal, (std::set<std::string>{"ÉCOLE", "école"}));
}

TEST(WildcardPatternTest, RecognisesContainedLiterals) {
  EXPECT_EQ(WildcardPattern("*abc*").contained_literal(), std::optional<std::string>("abc"));
  EXPECT_EQ(WildcardPattern("*a\\*c*").contained_literal(), std::optional<std::string>("a*c"));
  EXPECT_EQ(WildcardPattern("*a?c*").contained_literal(), std::nullopt);
  EXPECT_EQ(WildcardPattern("*a*c*").contained_literal(), std::nullopt);
  EXPECT_EQ(WildcardPattern("**").contained_literal(), std::nullopt);
  EXPECT_EQ(WildcardPattern("*a\\*").contained_literal(), std::nullopt);  // ends with `\*`
  EXPECT_EQ(WildcardPattern("abc*").contained_literal(), std::nullopt);
  EXPECT_EQ(WildcardPattern("ab\\*c*d").literal_prefix(), "ab*c");
}

}  // namespace
}  // namespace comptoir::engine
