// SegmentBuilder's term dictionaries come out in byte order (unsigned bytes, a prefix
// before its extensions) for every run size its sort meets: small runs and radix-sorted
// large ones, values sharing whole 8-byte chunks (deeper rounds), empty and non-ASCII
// values; every value is then found by its term.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/index/document_parser.h"
#include "engine/index/segment_builder.h"
#include "engine/index/segment_reader.h"

namespace comptoir::engine {
namespace {

// A keyword value: one of a few shared prefixes (whole 8-byte chunks among them), then
// up to 13 pieces among ASCII letters and digits, DEL, two- and three-byte UTF-8 and NUL
// (a value and itself followed by NULs share their 8-byte chunks: only the length tells).
std::string value_of(std::mt19937& rng, uint32_t d) {
  static const char* const kPrefixes[] = {"",      "Request ",           "Request 12-",
                                          "10.0.", "\xc3\xa9t\xc3\xa9 ", "zz"};
  static const std::string kPieces[] = {
      "0", "7", "a", "k", "z", "A", "\x7f", "\xc3\xa9", "\xe2\x82\xac", std::string(1, '\0')};
  std::string v = kPrefixes[rng() % 6];
  const uint32_t pieces = rng() % 14;
  for (uint32_t k = 0; k < pieces; ++k) v += kPieces[rng() % 10];
  if (d % 97 == 0) v.clear();  // some documents hold the empty value
  return v;
}

TEST(SegmentBuilderTest, TermDictionariesAreInByteOrder) {
  std::mt19937 rng(7);
  Mapping mapping;
  FieldDef k_def;
  k_def.name = "k";
  k_def.type = FieldType::kKeyword;
  ASSERT_TRUE(mapping.add(k_def).ok());
  DocumentParser parser;
  SegmentBuilder builder;
  std::set<std::string> values;
  std::vector<std::string> sources, ids;
  constexpr uint32_t kDocs = 20'000;
  for (uint32_t d = 0; d < kDocs; ++d) {
    const std::string v = value_of(rng, d);
    values.insert(v);
    std::string json = R"({"k":")";
    for (char c : v) {
      if (c == '\0') {
        json += "\\u0000";
      } else {
        json += c;
      }
    }
    sources.push_back(json + R"("})");
    ids.push_back(std::to_string(d));
  }
  for (uint32_t d = 0; d < kDocs; ++d) {
    auto parsed = parser.parse(sources[d], ids[d], mapping);
    ASSERT_TRUE(parsed.ok()) << sources[d];
    builder.add(**parsed);
  }
  auto reader = SegmentReader::open(SegmentData::from_string(builder.finish()));
  ASSERT_TRUE(reader.ok());
  const FieldReader* k = (*reader)->field("k");
  ASSERT_NE(k, nullptr);
  ASSERT_EQ(k->term_count(), values.size());
  uint32_t i = 0;
  for (const std::string& v : values) {  // std::set<std::string>: unsigned byte order
    ASSERT_EQ(k->term(i), v) << "term " << i;
    ASSERT_EQ(k->find(v), std::optional<uint32_t>(i));
    ++i;
  }
}

// Tables sized from the segment before (term_counts()) change nothing in what is built:
// the next segments, with fewer, as many and more terms than expected, come out byte for
// byte as from builders that start empty.
TEST(SegmentBuilderTest, ExpectedTermCountsChangeNoByte) {
  Mapping mapping;
  FieldDef k_def;
  k_def.name = "k";
  k_def.type = FieldType::kKeyword;
  FieldDef m_def;
  m_def.name = "m";
  m_def.type = FieldType::kText;
  ASSERT_TRUE(mapping.add(k_def).ok());
  ASSERT_TRUE(mapping.add(m_def).ok());
  DocumentParser parser;
  auto fill = [&](SegmentBuilder& b, uint32_t docs, uint32_t salt) {
    for (uint32_t d = 0; d < docs; ++d) {
      const std::string source = R"({"k":"v)" + std::to_string(d * 7 % (docs / 2 + 1) + salt) +
                                 R"(","m":"word)" + std::to_string(d % 300 + salt) + " w" +
                                 std::to_string(d) + R"("})";
      const std::string id = std::to_string(d);
      auto parsed = parser.parse(source, id, mapping);
      ASSERT_TRUE(parsed.ok()) << source;
      b.add(**parsed);
    }
  };
  SegmentBuilder hinted;
  fill(hinted, 5000, 0);
  const SegmentBuilder::TermCounts counts = hinted.term_counts();
  EXPECT_EQ(counts.at("k"), 2501u);
  EXPECT_EQ(counts.at("m"), 5000u + 300u);  // w0..w4999 and word0..word299
  (void)hinted.finish();
  for (uint32_t docs : {100u, 5000u, 20000u}) {
    SegmentBuilder plain, fresh_hinted(counts);
    fill(plain, docs, docs);
    fill(hinted, docs, docs);
    fill(fresh_hinted, docs, docs);
    const std::string expected = plain.finish();
    EXPECT_EQ(hinted.finish(), expected) << docs << " documents, builder reused";
    EXPECT_EQ(fresh_hinted.finish(), expected) << docs << " documents, builder made with counts";
  }
}

}  // namespace
}  // namespace comptoir::engine
