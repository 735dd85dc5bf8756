// Block-compressed term dictionaries: every dictionary accessor of a FieldReader answers as
// the plain dictionary does (random dictionaries: empty and binary terms, long shared
// prefixes, sizes around the block boundary and the compression threshold), plain segments
// still read, merges read and write the blocks form, and damaged bytes give an error at
// open or SegmentCorruption on use, never a read out of bounds.
#include <gtest/gtest.h>

#include <numeric>

#include <algorithm>
#include <boost/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/index/index.h"
#include "engine/index/segment_merger.h"
#include "engine/index/segment_reader.h"
#include "engine/index/segment_writer.h"
#include "engine/index/term_blocks.h"

namespace comptoir::engine {
namespace {

namespace json = boost::json;

// Sorted, distinct terms.
using Terms = std::vector<std::string>;

Terms sorted_unique(std::set<std::string> s) {
  return Terms(s.begin(), s.end());
}

std::string random_bytes(std::mt19937& rng, size_t len, bool binary) {
  static const std::string kWords[] = {"request ", "failed ", "timeout ", "user ", "Payment ",
                                       "été ",     "order ",  "retry ",   "é",     "cache "};
  std::string s;
  if (binary) {
    for (size_t i = 0; i < len; ++i) s.push_back(static_cast<char>(rng() % 4 == 0 ? 0 : rng()));
    if (len > 0 && rng() % 3 == 0) s.back() = '\xFF';
    return s;
  }
  while (s.size() < len) s += kWords[rng() % 10];
  s.resize(len);
  return s;
}

Terms random_terms(std::mt19937& rng, size_t n, size_t min_len, size_t max_len, bool binary,
                   const std::string& prefix = "") {
  std::set<std::string> s;
  for (size_t tries = 0; s.size() < n && tries < 20 * n + 100; ++tries) {
    const size_t len = min_len + rng() % (max_len - min_len + 1);
    s.insert(prefix + random_bytes(rng, len, binary));
  }
  return sorted_unique(std::move(s));
}

// A segment with one keyword field "k" holding `terms`, term i in doc i.
std::shared_ptr<const SegmentReader> write_segment(const Terms& terms, bool compress,
                                                   std::string* bytes_out = nullptr) {
  SegmentWriter w(SegmentWriterOptions{.compress_terms = compress});
  std::vector<std::string_view> views(terms.begin(), terms.end());
  json::object m;
  m["name"] = "k";
  m["type"] = "keyword";
  std::vector<uint32_t> docs(views.size());  // term i in doc i
  std::vector<uint64_t> starts(views.size() + 1);
  std::iota(docs.begin(), docs.end(), 0u);
  std::iota(starts.begin(), starts.end(), uint64_t{0});
  w.write_terms(m, views, false, PostingsTable{docs, {}, starts});
  std::vector<uint32_t> exists(terms.size());
  for (uint32_t i = 0; i < exists.size(); ++i) exists[i] = i;
  w.write_exists(m, exists);
  w.add_field(std::move(m));
  StoredFieldsWriter stored;
  for (size_t i = 0; i < terms.size(); ++i) stored.add(std::to_string(i), "{}");
  std::string bytes = w.finish(static_cast<uint32_t>(terms.size()), stored).str();
  if (bytes_out != nullptr) *bytes_out = bytes;
  auto r = SegmentReader::open(SegmentData::from_string(bytes));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : nullptr;
}

bool is_blocks(const std::string& segment_bytes) {
  return segment_bytes.find(R"("terms_codec":"blocks")") != std::string::npos;
}

// Keys to look up: every term, its neighbours, and keys before the first and after the last.
std::vector<std::string> probes(const Terms& terms, std::mt19937& rng) {
  std::vector<std::string> keys = {"", std::string(1, '\0'), "\xFF\xFF\xFF", "a", "zzzz"};
  for (size_t i = 0; i < terms.size(); ++i) {
    if (terms.size() > 3000 && rng() % 8 != 0) continue;
    const std::string& t = terms[i];
    keys.push_back(t);
    keys.push_back(t + std::string(1, '\0'));
    keys.push_back(t + "\xFF");
    if (!t.empty()) keys.push_back(t.substr(0, t.size() - 1));
    if (!t.empty()) keys.push_back(t.substr(0, rng() % t.size()));
  }
  return keys;
}

// The FieldReader of a blocks segment answers exactly as the plain one (the reference).
void expect_same_dictionary(const FieldReader& plain, const FieldReader& blocks, const Terms& terms,
                            std::mt19937& rng) {
  ASSERT_EQ(blocks.term_count(), terms.size());
  ASSERT_EQ(plain.term_count(), terms.size());
  // Lookups first: they must not need the whole dictionary decoded.
  for (const std::string& key : probes(terms, rng)) {
    const auto want = std::lower_bound(terms.begin(), terms.end(), key) - terms.begin();
    ASSERT_EQ(plain.lower_bound(key), want);
    ASSERT_EQ(blocks.lower_bound(key), want) << "key of " << key.size() << " bytes";
    ASSERT_EQ(blocks.find(key), plain.find(key));
    if (auto t = blocks.find(key)) {
      EXPECT_EQ(blocks.doc_freq(*t), 1u);
      EXPECT_TRUE(blocks.postings(*t).docs.contains(*t));
    }
  }
  for (uint32_t i = 0; i < terms.size(); ++i) ASSERT_EQ(blocks.term(i), terms[i]) << i;
  ASSERT_EQ(blocks.term_bytes(), plain.term_bytes());
  for (uint32_t i = 0; i <= terms.size(); ++i) ASSERT_EQ(blocks.term_start(i), plain.term_start(i));
  const uint32_t size = static_cast<uint32_t>(plain.term_bytes().size());
  for (uint32_t k = 0; size > 0 && k < 2000; ++k) {
    const uint32_t offset = rng() % size;
    ASSERT_EQ(blocks.term_at(offset), plain.term_at(offset)) << offset;
  }
  EXPECT_EQ(blocks.lowered_terms().bytes, plain.lowered_terms().bytes);
  EXPECT_EQ(blocks.lowered_terms().non_ascii, plain.lowered_terms().non_ascii);
}

struct Case {
  const char* name;
  size_t n, min_len, max_len;
  bool binary;
  std::string prefix;
};

TEST(TermBlocksTest, SegmentDictionariesReadAsPlainOnes) {
  std::mt19937 rng(7);
  const std::string long_prefix(700, 'p');
  const std::vector<Case> cases = {
      {"messages", 3000, 60, 160, false, ""},
      {"binary with NUL and 0xFF", 1500, 1, 200, true, ""},
      {"long shared prefix", 200, 1, 40, false, long_prefix},
      {"1 to 1000 bytes", 400, 1, 1000, false, ""},
      {"just over the threshold", 700, 95, 100, false, ""},
      {"just under the threshold", 640, 100, 100, false, ""},
      {"one huge term", 1, 70000, 70000, false, ""},
      {"ids", 20000, 20, 20, false, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Terms terms = random_terms(rng, c.n, c.min_len, c.max_len, c.binary, c.prefix);
    if (std::string(c.name) == "binary with NUL and 0xFF") terms.insert(terms.begin(), "");
    uint64_t blob = 0;
    for (const auto& t : terms) blob += t.size();
    std::string plain_bytes, blocks_bytes;
    auto plain = write_segment(terms, false, &plain_bytes);
    auto blocks = write_segment(terms, true, &blocks_bytes);
    ASSERT_TRUE(plain && blocks);
    EXPECT_FALSE(is_blocks(plain_bytes));
    // Large compressible dictionaries take the blocks form (random binary may not pay, nor
    // one term: a block's first term is stored as it is).
    if (blob >= TermBlocks::kMinBlobBytes && !c.binary && terms.size() > 1) {
      EXPECT_TRUE(is_blocks(blocks_bytes));
    }
    if (blob < TermBlocks::kMinBlobBytes) {
      EXPECT_FALSE(is_blocks(blocks_bytes));
    }
    if (is_blocks(blocks_bytes)) {
      EXPECT_LT(blocks_bytes.size(), plain_bytes.size());
    }
    expect_same_dictionary(*plain->field("k"), *blocks->field("k"), terms, rng);
  }
}

// The codec itself, below the size threshold too: every block shape decodes back.
TEST(TermBlocksTest, EncodedDictionariesDecodeBack) {
  std::mt19937 rng(11);
  std::vector<Terms> dictionaries = {{}, {""}, {"a"}, {"", "a"}, {std::string(1, '\0')}};
  const size_t max_terms = TermBlocks::kMaxBlockTerms;
  for (size_t n : {max_terms - 1, max_terms, max_terms + 1, 2 * max_terms + 1}) {
    dictionaries.push_back(random_terms(rng, n, 1, 8, false));  // blocks cut by term count
    dictionaries.push_back(random_terms(rng, n, 1, 8, true));
  }
  for (size_t len : {TermBlocks::kBlockBytes - 1, TermBlocks::kBlockBytes,
                     TermBlocks::kBlockBytes + 1}) {  // blocks cut by bytes
    dictionaries.push_back(random_terms(rng, 5, len, len, false));
  }
  for (const Terms& terms : dictionaries) {
    std::vector<std::string_view> views(terms.begin(), terms.end());
    const std::string encoded = encode_term_blocks(views);
    auto tb = TermBlocks::open(encoded.data(), encoded.size());
    ASSERT_TRUE(tb.ok()) << tb.error().message;
    ASSERT_EQ(tb->term_count(), terms.size());
    std::string bytes;
    std::vector<uint32_t> starts;
    tb->decode_all(bytes, starts);
    ASSERT_EQ(starts.size(), terms.size() + 1);
    for (size_t i = 0; i < terms.size(); ++i)
      ASSERT_EQ(bytes.substr(starts[i], starts[i + 1] - starts[i]), terms[i]) << i;
    for (const std::string& key : probes(terms, rng)) {
      bool equal = false;
      const uint32_t got = tb->lower_bound(key, &equal);
      const auto want = std::lower_bound(terms.begin(), terms.end(), key);
      ASSERT_EQ(got, want - terms.begin());
      ASSERT_EQ(equal, want != terms.end() && *want == key);
    }
  }
}

// 20,000 random terms block-encoded, and where the section's zstd dictionary starts.
struct LargeEncoding {
  Terms terms;
  std::string encoded;
  size_t zdict_at = 0;
};
LargeEncoding encode_large(uint32_t seed) {
  std::mt19937 rng(seed);
  LargeEncoding e;
  e.terms = random_terms(rng, 20000, 40, 120, false);
  std::vector<std::string_view> views(e.terms.begin(), e.terms.end());
  e.encoded = encode_term_blocks(views);
  const uint32_t n_blocks = load_le<uint32_t>(e.encoded.data() + 4);
  e.zdict_at = 16 + 8 * (size_t{n_blocks} + 1);
  return e;
}

// A large dictionary's zstd dictionary carries entropy tables (it starts with zstd's
// dictionary magic, not with the zero byte of raw content), and its blocks decode back.
TEST(TermBlocksTest, LargeDictionariesCarryEntropyTables) {
  const auto [terms, encoded, zdict_at] = encode_large(21);
  const uint32_t zdict_len = load_le<uint32_t>(encoded.data() + 12);
  ASSERT_GT(zdict_len, 1024u);
  EXPECT_EQ(load_le<uint32_t>(encoded.data() + zdict_at), 0xEC30A437u);
  auto tb = TermBlocks::open(encoded.data(), encoded.size());
  ASSERT_TRUE(tb.ok()) << tb.error().message;
  std::string bytes;
  std::vector<uint32_t> starts;
  tb->decode_all(bytes, starts);
  for (size_t i = 0; i < terms.size(); ++i)
    ASSERT_EQ(bytes.substr(starts[i], starts[i + 1] - starts[i]), terms[i]) << i;
  // Blocks are compressed: the section is well under the terms' own bytes.
  EXPECT_LT(encoded.size(), bytes.size() / 2);
}

TEST(TermBlocksTest, MergesReadAndWriteBlocks) {
  std::mt19937 rng(3);
  Terms all = random_terms(rng, 4000, 50, 150, false);
  Terms a, b;
  for (size_t i = 0; i < all.size(); ++i) (i % 3 == 0 ? a : b).push_back(all[i]);
  std::string a_bytes, b_bytes;
  auto ra = write_segment(a, true, &a_bytes), rb = write_segment(b, false, &b_bytes);
  ASSERT_TRUE(is_blocks(a_bytes));
  ASSERT_FALSE(is_blocks(b_bytes));  // a plain (older) segment merged with a blocks one
  auto no_deletes = std::make_shared<const Bitmap>();
  auto merged = merge_segments({{ra, no_deletes}, {rb, no_deletes}});
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_TRUE(is_blocks(merged->str()));
  auto r = SegmentReader::open(SegmentData::from_string(*merged));
  ASSERT_TRUE(r.ok());
  const FieldReader* f = (*r)->field("k");
  ASSERT_EQ(f->term_count(), all.size());
  for (uint32_t i = 0; i < all.size(); i += 97) {
    auto t = f->find(all[i]);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(*t, i);
  }
  for (uint32_t i = 0; i < all.size(); ++i) ASSERT_EQ(f->term(i), all[i]);
}

// A refresh a bulk request waits for (an upload's) writes plain term dictionaries, as
// fast as it can; other refreshes and merges write blocks. Every term is found in both.
TEST(TermBlocksTest, WaitedForRefreshesWritePlainDictionariesMergesCompressThem) {
  IndexSettings settings;
  settings.refresh_interval = std::chrono::milliseconds(0);
  settings.background_merge = false;
  auto idx = Index::create_in_memory("t", Mapping{}, settings);
  ASSERT_TRUE(idx.ok());
  std::mt19937 rng(9);
  // Two refreshes of 1,500 terms of 60-100 bytes: each well past kMinBlobBytes.
  Terms all;
  for (size_t i = 0; i < 3000; ++i) {
    std::string t = "payment " + std::to_string(i) + " failed for user" + std::to_string(rng());
    while (t.size() < 60 + i % 41) t += " retry";
    all.push_back(std::move(t));
  }
  for (size_t part = 0; part < 2; ++part) {
    std::vector<BulkItem> items;
    for (size_t i = part; i < all.size(); i += 2)
      items.push_back({BulkOp::kIndex, std::nullopt,
                       boost::json::serialize(boost::json::object{{"k", all[i]}})});
    auto r = (*idx)->bulk(items, /*refresh=*/part == 1);
    ASSERT_TRUE(r.ok() && !r->errors);
    if (part == 0) {
      ASSERT_TRUE((*idx)->refresh().ok());
    }
  }
  auto bytes_of = [](const SegmentView& seg) {
    const auto& data = seg.reader->data();
    return std::string(data->data(), data->size());
  };
  auto keyword_terms_found = [&](const SegmentView& seg, const Terms& terms) {
    const FieldReader* f = seg.reader->field("k.keyword");
    if (f == nullptr) return false;
    for (const std::string& t : terms)
      if (!f->find(t).has_value()) return false;
    return true;
  };
  auto before = (*idx)->snapshot();
  ASSERT_EQ(before->segments.size(), 2u);
  EXPECT_TRUE(is_blocks(bytes_of(before->segments[0])));   // refresh()
  EXPECT_FALSE(is_blocks(bytes_of(before->segments[1])));  // bulk(..., refresh = true)
  EXPECT_TRUE(keyword_terms_found(before->segments[1], Terms(all.begin() + 1, all.begin() + 2)));
  ASSERT_TRUE((*idx)->merge(/*force=*/true).ok());
  auto after = (*idx)->snapshot();
  ASSERT_EQ(after->segments.size(), 1u);
  EXPECT_TRUE(is_blocks(bytes_of(after->segments[0])));
  EXPECT_TRUE(keyword_terms_found(after->segments[0], all));
}

// Offsets of the blocks section of field "k" in a segment, from its meta.
std::pair<uint64_t, uint64_t> terms_section(const std::string& seg) {
  const uint64_t meta_off = load_le<uint64_t>(seg.data() + seg.size() - 32);
  const uint64_t meta_len = load_le<uint64_t>(seg.data() + seg.size() - 24);
  json::value meta = json::parse(std::string_view(seg.data() + meta_off, meta_len));
  for (const auto& f : meta.at("fields").as_array()) {
    if (f.at("name").as_string() != "k") continue;
    return {f.at("terms").to_number<uint64_t>(), f.at("terms_bytes").to_number<uint64_t>()};
  }
  return {0, 0};
}

// Runs every dictionary read; true if all succeeded, false if one raised SegmentCorruption.
bool read_everything(const FieldReader& f, const Terms& terms) {
  try {
    for (size_t i = 0; i < terms.size(); i += 7) (void)f.find(terms[i]);
    (void)f.lower_bound("zzz");
    (void)f.term_bytes();
    for (uint32_t i = 0; i < f.term_count(); ++i) (void)f.term(i);
    (void)f.lowered_terms();
    return true;
  } catch (const SegmentCorruption&) {
    return false;
  }
}

// A zstd dictionary whose entropy tables are damaged: the section still opens (nothing is
// decoded then), and a read of a compressed block is a corruption error, not garbage.
TEST(TermBlocksTest, DamagedDictionaryTablesFailTheRead) {
  const auto [terms, encoded, zdict_at] = encode_large(23);
  ASSERT_EQ(load_le<uint32_t>(encoded.data() + zdict_at), 0xEC30A437u);
  // Past the magic and the id: the Huffman table's header, then a stretch of the tables.
  for (size_t off : {size_t{8}, size_t{9}, size_t{40}}) {
    std::string bad = encoded;
    for (size_t k = 0; k < 24; ++k) bad[zdict_at + off + k] = static_cast<char>(0xFF);
    auto tb = TermBlocks::open(bad.data(), bad.size());
    ASSERT_TRUE(tb.ok()) << tb.error().message;
    std::string bytes;
    std::vector<uint32_t> starts;
    EXPECT_THROW(tb->decode_all(bytes, starts), SegmentCorruption) << off;
  }
}

TEST(TermBlocksTest, DamagedBlocksAreReportedNotRead) {
  std::mt19937 rng(5);
  Terms terms = random_terms(rng, 1500, 60, 120, false);
  std::string seg;
  ASSERT_TRUE(write_segment(terms, true, &seg));
  ASSERT_TRUE(is_blocks(seg));
  const auto [start, len] = terms_section(seg);
  ASSERT_GT(len, 0u);
  // A flipped byte anywhere in the section (meta and its CRC intact): open refuses it, or
  // the read meeting it raises SegmentCorruption. No read goes out of bounds (ASan).
  for (uint64_t pos = start; pos < start + len; pos += 1 + rng() % 97) {
    std::string bad = seg;
    bad[pos] = static_cast<char>(bad[pos] ^ (1 + rng() % 255));
    auto r = SegmentReader::open(SegmentData::from_string(bad));
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
      continue;
    }
    // Reads either meet the damage, or it did not matter (a zstd dictionary byte no frame
    // refers to): then every answer is still right.
    const FieldReader* f = (*r)->field("k");
    if (!read_everything(*f, terms)) continue;
    for (uint32_t i = 0; i < terms.size(); ++i) {
      ASSERT_EQ(f->term(i), terms[i]) << "damage at " << pos << " went unseen";
      if (i % 7 == 0) {
        ASSERT_EQ(f->find(terms[i]), std::optional<uint32_t>(i)) << pos;
      }
    }
  }
  // The section cut short (as if the file were truncated under a valid meta).
  for (uint64_t cut : {uint64_t{0}, uint64_t{15}, uint64_t{16}, len / 3, len - 1}) {
    const std::string part = seg.substr(start, cut);
    auto tb = TermBlocks::open(part.data(), part.size());
    EXPECT_FALSE(tb.ok()) << cut;
  }
}

TEST(TermBlocksTest, MergeOfADamagedSegmentFailsWithCorruption) {
  std::mt19937 rng(9);
  Terms terms = random_terms(rng, 1500, 60, 120, false);
  std::string seg;
  ASSERT_TRUE(write_segment(terms, true, &seg));
  const auto [start, len] = terms_section(seg);
  seg[start + len - 3] ^= 0x5A;  // inside the last block
  auto r = SegmentReader::open(SegmentData::from_string(seg));
  ASSERT_TRUE(r.ok());
  auto merged = merge_segments({{*r, std::make_shared<const Bitmap>()}});
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.error().code, ErrorCode::kCorruption);
  EXPECT_NE(merged.error().message.find("term dictionary"), std::string::npos);
}

}  // namespace
}  // namespace comptoir::engine
