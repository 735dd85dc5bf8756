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

}  // namespace
}  // namespace comptoir::engine
