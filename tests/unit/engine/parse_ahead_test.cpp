// ParseAhead through Index::bulk: a large batch of documents with generated ids, parsed
// on a second thread, gives the same per-item answers, mapping and hits as the same
// documents indexed one by one: malformed documents, type conflicts and fields first
// seen mid-batch included. Also the ring itself: every result in order, and an early
// stop leaves no thread behind.
#include "engine/index/parse_ahead.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "manual_index.h"

namespace comptoir::engine {
namespace {

std::vector<BulkItem> mixed_batch(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<BulkItem> items(n);
  for (size_t i = 0; i < n; ++i) {
    std::string doc;
    switch (rng() % 10) {
      case 0:
        doc = R"({"n": "not a number )" + std::to_string(i) + R"("})";  // conflicts once n is long
        break;
      case 1:
        doc = R"({"broken": )";  // not JSON
        break;
      case 2:
        doc = R"({"f)" + std::to_string(i % 37) + R"(": "new field ", "n": )" + std::to_string(i) +
              "}";
        break;
      default:
        doc = R"({"n": )" + std::to_string(i) + R"(, "msg": "word)" + std::to_string(rng() % 50) +
              R"( other", "tag": "t)" + std::to_string(rng() % 7) + R"("})";
        break;
    }
    items[i].source = std::move(doc);
    if (i % 5 == 0) items[i].op = BulkOp::kCreate;  // with a generated id: an append too
  }
  return items;
}

// Documents {"i": n} with ids "id<n>"; with `broken`, every 100th from the 8th is not
// an object (a parse error), and the ParseAhead arguments that hand them out.
struct NumberedDocs {
  std::vector<std::string> sources, ids;
  explicit NumberedDocs(int n, bool broken = false) {
    for (int i = 0; i < n; ++i) {
      sources.push_back(broken && i % 100 == 7 ? "[1]" : R"({"i": )" + std::to_string(i) + "}");
      ids.push_back("id" + std::to_string(i));
    }
  }
  auto source() const {
    return [this](size_t i) -> const std::string& { return sources[i]; };
  }
  auto id() const {
    return [this](size_t i) { return std::string_view(ids[i]); };
  }
};

TEST(ParseAheadTest, BulkAnswersAsOneByOne) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    // The last seed's batch is large enough for the refresh to prepare fields on two
    // threads (SegmentBuilder::finish).
    const auto items =
        mixed_batch(seed == 3 ? 3000 : 3 * ParseAhead::kRing + Index::kParseAheadMin, seed);
    auto batched = manual_index("batched", "{}");
    auto single = manual_index("single", "{}");
    auto r = batched->bulk(items, true);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->items.size(), items.size());
    size_t errors = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      auto one = single->bulk(std::span<const BulkItem>(&items[i], 1));
      ASSERT_TRUE(one.ok());
      const BulkItemResult& a = r->items[i];
      const BulkItemResult& b = one->items[0];
      EXPECT_EQ(a.op, b.op);
      EXPECT_EQ(a.status, b.status) << "seed " << seed << " item " << i;
      EXPECT_EQ(a.result, b.result);
      EXPECT_EQ(a.error.has_value(), b.error.has_value());
      if (a.error && b.error) {
        // Messages name the document's (generated, so different) id.
        EXPECT_EQ(a.error->message.substr(0, 40), b.error->message.substr(0, 40));
      }
      EXPECT_EQ(a.id.size(), 20u);
      errors += a.error.has_value();
    }
    EXPECT_GT(errors, 0u);
    EXPECT_EQ(r->errors, errors > 0);
    ASSERT_TRUE(single->refresh().ok());
    EXPECT_EQ(to_es_json(*batched->mapping()), to_es_json(*single->mapping()));
    for (const char* field : {"tag", "msg", "f3"}) {
      for (const char* value : {"t1", "t4", "word7", "new"}) {
        MatchQuery match;
        match.field = field;
        match.query = std::string(value);
        Query q(match);
        EXPECT_EQ(*batched->count(q), *single->count(q)) << field << " " << value;
      }
    }
    EXPECT_EQ(*batched->count(std::nullopt), *single->count(std::nullopt));
    // Doc values (keyword ordinals, numbers) and sources agree too.
    auto req = parse_es_json(
        R"({"size":40,"sort":[{"tag.keyword":"desc"},{"n":"asc"}],"query":{"exists":{"field":"tag"}}})");
    ASSERT_TRUE(req.ok());
    auto ra = batched->search(*req), rb = single->search(*req);
    ASSERT_TRUE(ra.ok() && rb.ok());
    ASSERT_EQ(ra->hits.size(), rb->hits.size());
    EXPECT_EQ(ra->hits.size(), 40u);
    for (size_t i = 0; i < ra->hits.size(); ++i)
      EXPECT_EQ(boost::json::serialize(*ra->hits[i].source),
                boost::json::serialize(*rb->hits[i].source))
          << i;
  }
}

TEST(ParseAheadTest, RingHandsOutEveryResultInOrder) {
  Mapping mapping;
  ParseAhead::Parsers parsers;
  const NumberedDocs docs(1000, /*broken=*/true);
  const auto& ids = docs.ids;
  {
    ParseAhead ahead(docs.sources.size(), docs.source(), docs.id(), mapping, parsers);
    for (int i = 0; i < 1000; ++i) {
      auto doc = ahead.next();
      ASSERT_EQ(doc.ok(), i % 100 != 7) << i;
      if (!doc) continue;
      EXPECT_EQ((*doc)->id, ids[i]);
      ASSERT_EQ((*doc)->fields().size(), 1u);
      EXPECT_EQ((*doc)->fields()[0].ints.at(0), i);
    }
    EXPECT_FALSE(ahead.next().ok());  // past the end: an error, not a hang
  }
  // Abandoned after a few documents: the destructor stops the producer.
  ParseAhead early(docs.sources.size(), docs.source(), docs.id(), mapping, parsers);
  ASSERT_TRUE(early.next().ok());
}

// Producer and consumer running at varying relative speeds (the consumer pausing now and
// then, the producer slowed by a source getter that sometimes sleeps) never both sleep
// waiting for each other: each batch of 3,000 ends within the deadline. A producer that
// judged the ring full by a stale count once slept while the consumer waited for more.
TEST(ParseAheadTest, NeitherSideWaitsForeverAtAnySpeed) {
  Mapping mapping;
  ParseAhead::Parsers parsers;
  const NumberedDocs docs(3000);
  const auto& sources = docs.sources;
  auto all_batches = std::async(std::launch::async, [&] {
    std::mt19937 rng(5);
    for (int batch = 0; batch < 40; ++batch) {
      const uint32_t consumer_pause = rng() % 5, producer_pause = rng() % 5;
      ParseAhead ahead(
          sources.size(),
          [&](size_t i) -> const std::string& {
            if (producer_pause != 0 && i % (97 * producer_pause) == 0)
              std::this_thread::sleep_for(std::chrono::microseconds(200));
            return sources[i];
          },
          docs.id(), mapping, parsers);
      for (size_t i = 0; i < sources.size(); ++i) {
        if (!ahead.next().ok()) return false;
        if (consumer_pause != 0 && i % (89 * consumer_pause) == 0)
          std::this_thread::sleep_for(std::chrono::microseconds(300));
      }
    }
    return true;
  });
  if (all_batches.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    ADD_FAILURE() << "producer and consumer both asleep";
    std::abort();  // the stuck threads cannot be joined: fail the run loudly
  }
  EXPECT_TRUE(all_batches.get());
}

// Side work runs on whichever side would wait: with a consumer slower than the producer
// the producer's ring fills, and it does units of side work instead of sleeping; all of
// it is done by the end (the producer keeps at it once everything is parsed), and the
// documents still come in order.
TEST(ParseAheadTest, SideWorkFillsTheWaits) {
  Mapping mapping;
  ParseAhead::Parsers parsers;
  const NumberedDocs docs(2000);
  constexpr int kUnits = 500;
  std::atomic<int> left{kUnits};
  std::atomic<int> done{0};
  {
    ParseAhead ahead(docs.sources.size(), docs.source(), docs.id(), mapping, parsers, nullptr, [&] {
      if (left.fetch_sub(1) <= 0) return false;
      done.fetch_add(1);
      return true;
    });
    for (int i = 0; i < 2000; ++i) {
      auto doc = ahead.next();
      ASSERT_TRUE(doc.ok()) << i;
      EXPECT_EQ((*doc)->fields()[0].ints.at(0), i);
      if (i % 100 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  EXPECT_EQ(done.load(), kUnits);
}

}  // namespace
}  // namespace comptoir::engine
