// DocId (inline and heap ids) and SegmentBytes (aligned growth, shrink, adoption).
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/index/doc_id.h"
#include "engine/index/segment_bytes.h"
#include "engine/index/segment_reader.h"

namespace comptoir::engine {
namespace {

TEST(DocIdTest, ShortAndLongIdsReadBackAcrossCopiesAndMoves) {
  for (size_t len :
       {size_t{0}, size_t{1}, size_t{20}, DocId::kInline, DocId::kInline + 1, size_t{512}}) {
    std::string text;
    for (size_t i = 0; i < len; ++i) text.push_back(static_cast<char>('a' + i % 26));
    DocId id(text);
    EXPECT_EQ(id.size(), len);
    EXPECT_EQ(id.view(), text);
    DocId copy = id;
    EXPECT_EQ(copy, id);
    EXPECT_NE(copy.data(), id.data());  // its own bytes, inline or on the heap
    DocId moved = std::move(copy);
    EXPECT_EQ(moved.view(), text);
    EXPECT_TRUE(copy.empty());  // NOLINT: a moved-from id is empty
    DocId assigned("x");
    assigned = moved;
    EXPECT_EQ(assigned.str(), text);
    assigned = DocId(std::string(600, 'z'));  // a long id replaces an inline one
    EXPECT_EQ(assigned.view(), std::string(600, 'z'));
    assigned = id;  // and the other way
    EXPECT_EQ(std::string(assigned), text);
  }
}

TEST(DocIdTest, WorksWhereStringsDo) {
  std::map<std::string, int> seen;
  DocId id("abc");
  seen[id] = 1;
  EXPECT_EQ(seen.at("abc"), 1);
  EXPECT_TRUE(id == "abc");
  EXPECT_FALSE(id == std::string_view("abd"));
  char* p = id.resize_for_overwrite(20);
  for (int i = 0; i < 20; ++i) p[i] = 'q';
  EXPECT_EQ(id.view(), std::string(20, 'q'));
}

TEST(SegmentBytesTest, GrowsAlignedAndKeepsItsBytes) {
  SegmentBytes b;
  std::string expected;
  for (uint32_t i = 0; i < 200000; ++i) {
    b.append(&i, sizeof i);
    expected.append(reinterpret_cast<const char*>(&i), sizeof i);
    if (i % 9973 == 0) {
      b.push_back('x');
      expected.push_back('x');
    }
    ASSERT_EQ(reinterpret_cast<uintptr_t>(b.data()) % 64, 0u);
  }
  EXPECT_EQ(b.view(), expected);
  b.resize(b.size() + 100);  // new bytes are zero
  expected.append(100, '\0');
  EXPECT_EQ(b.view(), expected);
  b.resize(10);
  b.resize(20);  // even where bytes were written before
  EXPECT_EQ(b.view(), expected.substr(0, 10) + std::string(10, '\0'));
}

TEST(SegmentBytesTest, TailCommitAndShrinkKeepAlignment) {
  SegmentBytes b;
  b.reserve(1 << 20);
  b.append("head");
  char* t = b.tail(100);
  for (int i = 0; i < 100; ++i) t[i] = static_cast<char>(i);
  b.commit(50);  // the caller wrote fewer bytes than it asked room for
  ASSERT_EQ(b.size(), 54u);
  b.shrink_to_fit();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % 64, 0u);
  EXPECT_EQ(b.view().substr(0, 4), "head");
  for (int i = 0; i < 50; ++i) EXPECT_EQ(b.view()[4 + i], static_cast<char>(i));
  SegmentBytes moved = std::move(b);
  EXPECT_EQ(moved.size(), 54u);
  EXPECT_TRUE(b.empty());  // NOLINT: a moved-from buffer is empty
}

TEST(SegmentBytesTest, AdoptedBytesAreServedInPlace) {
  SegmentBytes b;
  b.append("not a segment, only bytes");
  const char* where = b.data();
  auto data = SegmentData::adopt(std::move(b));
  EXPECT_EQ(data->data(), where);
  EXPECT_EQ(data->bytes(), "not a segment, only bytes");
}

}  // namespace
}  // namespace comptoir::engine
