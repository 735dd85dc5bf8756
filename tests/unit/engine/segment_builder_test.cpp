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
#include "engine/index/segment_writer.h"

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
    const std::string expected = plain.finish().str();
    EXPECT_EQ(hinted.finish().str(), expected) << docs << " documents, builder reused";
    EXPECT_EQ(fresh_hinted.finish().str(), expected)
        << docs << " documents, builder made with counts";
  }
}

// Everything a reader sees of a segment, field by field, as text.
std::string dump(const SegmentReader& r) {
  std::string out = "docs " + std::to_string(r.doc_count()) + "\n";
  for (const auto& [name, f] : r.fields()) {
    out += "field " + name + " " + f.type_name + " with " + std::to_string(f.docs_with_field) +
           " sum_ttf " + std::to_string(f.sum_ttf) + " sum_df " + std::to_string(f.sum_df) + "\n";
    for (uint32_t t = 0; t < f.term_count(); ++t) {
      out += " term " + std::string(f.term(t)) + " df " + std::to_string(f.doc_freq(t)) + ":";
      f.for_each_posting(t, [&](uint32_t doc, uint32_t freq) {
        out += " " + std::to_string(doc) + "x" + std::to_string(freq);
      });
      out += "\n";
    }
    out += " exists";
    f.exists().for_each([&](uint32_t doc) { out += " " + std::to_string(doc); });
    out += "\n";
    for (uint32_t d = 0; d < r.doc_count(); ++d) {
      out += " doc " + std::to_string(d) + " norm " + std::to_string(f.norm(d)) + " values";
      auto add = [&](auto v) { out += " " + std::to_string(v); };
      if (f.kind == StorageKind::kKeyword) f.values<uint32_t>(d, add);
      if (f.kind == StorageKind::kInt64) f.values<int64_t>(d, add);
      if (f.kind == StorageKind::kDouble) f.values<double>(d, add);
      out += "\n";
    }
  }
  for (uint32_t d = 0; d < r.doc_count(); ++d) {
    auto doc = r.stored(d);
    out += doc.ok() ? " stored " + doc->id + " " + doc->source + "\n" : " stored error\n";
  }
  return out;
}

// A refresh the caller waits for writes some term fields on a second thread, into a part
// appended to the segment with its offsets moved: the segment reads exactly as one
// written on one thread (terms, postings and frequencies, norms, existence, doc values,
// stored documents), with plain and with block-compressed dictionaries.
TEST(SegmentBuilderTest, TermFieldsWrittenOnTwoThreadsReadAsOnOne) {
  Mapping mapping;
  DocumentParser parser;
  std::mt19937 rng(17);
  std::vector<std::string> sources;
  for (uint32_t d = 0; d < 6000; ++d) {
    std::string words;
    for (uint32_t w = 0; w < 1 + rng() % 12; ++w) words += " w" + std::to_string(rng() % 700);
    sources.push_back(R"({"msg":")" + words + R"(","level":"L)" + std::to_string(rng() % 5) +
                      R"(","user":"u)" + std::to_string(d) + "-" + std::to_string(rng()) +
                      R"(","tags":["t)" + std::to_string(rng() % 40) + R"(","t)" +
                      std::to_string(rng() % 40) + R"("],"n":)" + std::to_string(rng() % 100000) +
                      R"(,"x":)" + std::to_string((rng() % 1000) / 8.0) + R"(,"cats":["c)" +
                      std::to_string(rng() % 3000) + R"(","c)" + std::to_string(rng() % 3000) +
                      R"(","c)" + std::to_string(rng() % 3000) + R"("],"title":"t)" +
                      std::to_string(rng() % 300) + " s" + std::to_string(rng() % 9) + R"(")" +
                      (d % 3 == 0 ? R"(,"rare":"r)" + std::to_string(d) + R"(")" : "") + "}");
  }
  for (bool compress : {false, true}) {
    SegmentBuilder one, two;
    for (uint32_t d = 0; d < sources.size(); ++d) {
      const std::string id = "id" + std::to_string(d * 7919 % 6000);
      auto parsed = parser.parse(sources[d], id, mapping);
      ASSERT_TRUE(parsed.ok()) << sources[d];
      one.add(**parsed);
      two.add(**parsed);
    }
    const SegmentWriterOptions options{.compress_terms = compress};
    auto a = SegmentReader::open(SegmentData::from_string(one.finish(options, false)));
    auto b = SegmentReader::open(SegmentData::from_string(two.finish(options, true)));
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    const std::string expected = dump(**a);
    EXPECT_GT(expected.size(), 100000u);
    EXPECT_EQ(dump(**b), expected) << "compress " << compress;
    // Both threads wrote fields of every kind: text, multi-valued and unique keywords.
    EXPECT_EQ((*a)->fields().size(), 17u);
  }
}

// A multi-valued column written into a part and appended (at whatever offset the part
// lands) reads as the same column written in place: its values, starts and existence.
TEST(SegmentBuilderTest, AppendedPartKeepsItsColumns) {
  const uint32_t n_docs = 300;
  std::vector<uint32_t> docs;
  std::vector<int64_t> values;
  for (uint32_t d = 0; d < n_docs; ++d) {
    for (uint32_t k = 0; k < d % 4; ++k) {  // 0 to 3 values a document
      docs.push_back(d);
      values.push_back(int64_t{d} * 1000 - k);
    }
  }
  std::vector<uint32_t> present;
  for (uint32_t d : docs)
    if (present.empty() || present.back() != d) present.push_back(d);
  auto column = [&](SegmentWriter& w, const char* name) {
    boost::json::object m;
    m["name"] = name;
    m["type"] = "long";
    w.write_exists(m, present);
    w.write_column<int64_t>(m, n_docs, docs, values, 0);
    return m;
  };
  auto read = [&](std::string_view bytes) {
    auto r = SegmentReader::open(SegmentData::from_string(bytes));
    EXPECT_TRUE(r.ok());
    std::string out;
    if (!r.ok()) return out;
    const FieldReader* f = (*r)->field("n");
    EXPECT_NE(f, nullptr);
    if (f == nullptr) return out;
    EXPECT_FALSE(f->single_valued());
    for (uint32_t d = 0; d < n_docs; ++d) {
      out += std::to_string(d) + (f->exists().contains(d) ? "+" : "-") + ":";
      f->values<int64_t>(d, [&](int64_t v) { out += " " + std::to_string(v); });
      out += "\n";
    }
    return out;
  };
  StoredFieldsWriter no_docs_a, no_docs_b;
  SegmentWriter in_place;
  in_place.add_field(column(in_place, "n"));
  const std::string expected = read(in_place.finish(n_docs, no_docs_a));
  SegmentWriter main_writer;
  boost::json::object pad = column(main_writer, "pad");  // the part lands after it
  SegmentWriter part({}, SegmentWriter::Part{});
  boost::json::object moved = column(part, "n");
  boost::json::object* metas[] = {&moved};
  main_writer.append_part(std::move(part), metas);
  main_writer.add_field(std::move(pad));
  main_writer.add_field(std::move(moved));
  EXPECT_EQ(read(main_writer.finish(n_docs, no_docs_b)), expected);
  EXPECT_NE(expected.find("299+: 299000 298999 298998"), std::string::npos);
}

}  // namespace
}  // namespace comptoir::engine
