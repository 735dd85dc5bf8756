// Term frequencies in segments: packed two bits per doc with exceptions for the larger
// ones, they read back as indexed (clamped at 255) for every posting form (inline, array,
// roaring), by doc and by position, and again after a merge that drops documents.
#include <gtest/gtest.h>

#include <string>

#include "engine/index/document_parser.h"
#include "engine/index/segment_builder.h"
#include "engine/index/segment_merger.h"
#include "engine/index/segment_reader.h"

namespace comptoir::engine {
namespace {

// Doc d of a segment: "w" repeated freq_of(d) times, and "rare" in doc 3 only.
uint32_t freq_of(uint32_t d) {
  return d % 7 == 0 ? 1 + d * 3 % 300 : 1 + d % 4;
}

std::shared_ptr<const SegmentReader> build(uint32_t docs) {
  Mapping mapping;
  DocumentParser parser;
  SegmentBuilder builder;
  for (uint32_t d = 0; d < docs; ++d) {
    std::string text;
    for (uint32_t k = 0; k < freq_of(d); ++k) text += "w ";
    if (d == 3) text += "rare rare rare rare rare";
    const std::string source = R"({"t":")" + text + R"("})";
    const std::string id = std::to_string(d);  // viewed by the parsed document
    auto parsed = parser.parse(source, id, mapping);
    EXPECT_TRUE(parsed.ok());
    builder.add(**parsed);
  }
  auto r = SegmentReader::open(SegmentData::from_string(builder.finish()));
  EXPECT_TRUE(r.ok());
  return *r;
}

void expect_freqs(const SegmentReader& r, const std::vector<uint32_t>& original_doc) {
  const FieldReader* f = r.field("t");
  ASSERT_NE(f, nullptr);
  auto w = f->find("w");
  ASSERT_TRUE(w.has_value());
  Postings p = f->postings(*w);
  ASSERT_EQ(p.docs.cardinality(), original_doc.size());
  size_t i = 0;
  p.docs.for_each([&](uint32_t doc) {
    const uint32_t want = std::min<uint32_t>(255, freq_of(original_doc[doc]));
    EXPECT_EQ(p.freq_at(i++), want) << doc;
    EXPECT_EQ(p.freq(doc), want) << doc;
  });
  auto rare = f->find("rare");
  ASSERT_TRUE(rare.has_value());
  Postings one = f->postings(*rare);
  EXPECT_EQ(one.freq_at(0), 5u);
}

TEST(PostingsFreqsTest, PackedFrequenciesReadBackInEveryForm) {
  for (uint32_t docs : {1u, 12u, 16u, 17u, 5000u}) {  // inline, array, roaring
    auto r = build(docs);
    std::vector<uint32_t> ids(docs);
    for (uint32_t d = 0; d < docs; ++d) ids[d] = d;
    if (docs > 3) expect_freqs(*r, ids);
  }
}

TEST(PostingsFreqsTest, MergedFrequenciesFollowTheirDocs) {
  auto a = build(3000), b = build(40), c = build(12);  // roaring, roaring, listed
  auto deleted = std::make_shared<Bitmap>();
  for (uint32_t d = 0; d < 3000; d += 5) deleted->add(d);
  auto bytes = merge_segments(
      {{a, deleted}, {b, std::make_shared<Bitmap>()}, {c, std::make_shared<Bitmap>()}});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  auto merged = SegmentReader::open(SegmentData::from_string(*bytes));
  ASSERT_TRUE(merged.ok());
  std::vector<uint32_t> ids;
  for (uint32_t d = 0; d < 3000; ++d)
    if (!deleted->contains(d)) ids.push_back(d);
  for (uint32_t d = 0; d < 40; ++d) ids.push_back(d);
  for (uint32_t d = 0; d < 12; ++d) ids.push_back(d);
  const FieldReader* f = (*merged)->field("t");
  ASSERT_NE(f, nullptr);
  Postings p = f->postings(*f->find("w"));
  ASSERT_EQ(p.docs.cardinality(), ids.size());
  size_t i = 0;
  p.docs.for_each([&](uint32_t doc) {
    EXPECT_EQ(p.freq_at(i++), std::min<uint32_t>(255, freq_of(ids[doc]))) << doc;
  });
  // "rare": once per input segment (an inline posting each), 5 times in doc 3.
  Postings rare = f->postings(*f->find("rare"));
  ASSERT_EQ(rare.docs.cardinality(), 3u);  // doc 3 of each (not among the deleted)
  rare.docs.for_each([&](uint32_t doc) { EXPECT_EQ(rare.freq(doc), 5u) << doc; });
}

// The exception list of packed frequencies: a code 3 finds its frequency, and one the
// list lacks is a corruption, not a wrong score.
TEST(PostingsFreqsTest, PackedExceptionsAreFoundOrReported) {
  // Five docs, frequencies 1, 4, 2, 9, 3: codes 0, 3, 1, 3 | 2, then n = 2, indices 1 and
  // 3, frequencies 4 and 9.
  std::string packed;
  packed.push_back(static_cast<char>(0 | 3 << 2 | 1 << 4 | 3 << 6));
  packed.push_back(static_cast<char>(2));
  auto put32 = [&packed](uint32_t v) { packed.append(reinterpret_cast<const char*>(&v), 4); };
  put32(2);
  put32(1);
  put32(3);
  packed.push_back(4);
  packed.push_back(9);
  const auto* codes = reinterpret_cast<const uint8_t*>(packed.data());
  const uint32_t want[] = {1, 4, 2, 9, 3};
  for (size_t i = 0; i < 5; ++i)
    EXPECT_EQ(Postings::packed_freq(codes, i, [] { return 5; }), want[i]) << i;
  packed[2 + 4 + 4] = 2;  // the list now names doc 2 where doc 3 was: doc 3's is missing
  EXPECT_THROW(Postings::packed_freq(codes, 3, [] { return 5; }), SegmentCorruption);
}

}  // namespace
}  // namespace comptoir::engine
