// Stored fields: blocks compressed on the worker thread (or, in helped mode, by a helper
// and the writer) come back in order, mixed with copied frames, under back-pressure, and
// the section reads back every document.
#include <gtest/gtest.h>
#include <zstd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "engine/store/block_compressor.h"
#include "engine/store/stored_fields.h"

namespace comptoir::engine {
namespace {

std::string decompress(std::string_view frame) {
  std::string out(ZSTD_getFrameContentSize(frame.data(), frame.size()), '\0');
  size_t n = ZSTD_decompress(out.data(), out.size(), frame.data(), frame.size());
  EXPECT_FALSE(ZSTD_isError(n));
  return out;
}

TEST(BlockCompressorTest, FramesComeBackInOrderAcrossRounds) {
  BlockCompressor c(3);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  for (int round = 0; round < 3; ++round) {
    std::vector<std::string> raws;
    // More blocks than may wait at once: the producer waits for the worker.
    for (size_t i = 0; i < 3 * BlockCompressor::kMaxPending; ++i) {
      raws.push_back("block " + std::to_string(round) + "/" + std::to_string(i) + " " +
                     std::string(1000 + i * 37, char('a' + i % 26)));
      if (i % 5 == 4) {
        c.push_frame(zstd_compress(cctx, raws.back(), 1));  // already compressed
      } else {
        c.push_raw(raws.back());
      }
    }
    std::vector<std::string> frames = c.take_frames();
    ASSERT_EQ(frames.size(), raws.size());
    for (size_t i = 0; i < raws.size(); ++i) EXPECT_EQ(decompress(frames[i]), raws[i]) << i;
    EXPECT_TRUE(c.empty());
  }
  ZSTD_freeCCtx(cctx);
  EXPECT_TRUE(c.take_frames().empty());
}

// An idle worker is woken for a batch of blocks: fewer than a batch, or a batch and some,
// still all come back (take_frames wakes it for the rest).
TEST(BlockCompressorTest, BlocksShortOfABatchAreCompressedToo) {
  BlockCompressor c(1);
  for (size_t n = 1; n <= 2 * BlockCompressor::kWakeBatch + 1; ++n) {
    std::vector<std::string> raws;
    for (size_t i = 0; i < n; ++i) {
      raws.push_back(std::to_string(n) + ":" + std::to_string(i) + std::string(500, 'x'));
      c.push_raw(raws.back());
    }
    std::vector<std::string> frames = c.take_frames();
    ASSERT_EQ(frames.size(), n);
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(decompress(frames[i]), raws[i]) << n << " " << i;
  }
}

// Helped mode: blocks are compressed by help() from another thread, or by the writer
// itself once kMaxPending wait; none is lost or reordered, and no worker is needed (the
// writer never blocks, even with no helper at all).
TEST(BlockCompressorTest, HelpedModeCompressesOnTheHelperAndTheWriter) {
  for (bool with_helper : {true, false}) {
    BlockCompressor c(1);
    c.set_helped(true);
    std::atomic<bool> writing{true};
    std::thread helper;
    if (with_helper) {
      helper = std::thread([&] {
        while (writing.load()) {
          (void)c.help();
        }
      });
    }
    std::vector<std::string> raws;
    auto pushes = std::async(std::launch::async, [&] {
      for (size_t i = 0; i < 4 * BlockCompressor::kMaxPending; ++i) {
        raws.push_back(std::to_string(i) + std::string(2000 + i * 13, char('a' + i % 26)));
        c.push_raw(raws.back());
      }
    });
    ASSERT_EQ(pushes.wait_for(std::chrono::seconds(60)), std::future_status::ready)
        << "the writer blocked in helped mode";
    writing.store(false);
    if (helper.joinable()) helper.join();
    std::vector<std::string> frames = c.take_frames();
    ASSERT_EQ(frames.size(), raws.size()) << with_helper;
    for (size_t i = 0; i < raws.size(); ++i) EXPECT_EQ(decompress(frames[i]), raws[i]) << i;
  }
}

// Blocks left waiting by helped mode (as many as may wait) do not stop the writer once
// the mode is off: the worker is started and told about them before the writer waits.
TEST(BlockCompressorTest, BlocksLeftByHelpedModeGoToTheWorker) {
  BlockCompressor c(1);
  c.set_helped(true);
  std::vector<std::string> raws;
  for (size_t i = 0; i < BlockCompressor::kMaxPending; ++i) {
    raws.push_back("helped " + std::to_string(i) + std::string(700, 'h'));
    c.push_raw(raws.back());
  }
  c.set_helped(false);
  auto pushes = std::async(std::launch::async, [&] {
    for (size_t i = 0; i < 2 * BlockCompressor::kMaxPending; ++i) {
      raws.push_back("worker " + std::to_string(i) + std::string(700, 'w'));
      c.push_raw(raws.back());
    }
  });
  if (pushes.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    ADD_FAILURE() << "the writer waits for a worker that was never started";
    std::abort();  // the blocked thread cannot be joined
  }
  std::vector<std::string> frames = c.take_frames();
  ASSERT_EQ(frames.size(), raws.size());
  for (size_t i = 0; i < raws.size(); ++i) EXPECT_EQ(decompress(frames[i]), raws[i]) << i;
}

TEST(StoredFieldsTest, EveryDocumentReadsBackAfterBackgroundCompression) {
  for (int docs : {0, 1, 50, 5000}) {
    StoredFieldsWriter w;
    auto source = [](int i) {
      return R"({"i":)" + std::to_string(i) + R"(,"m":")" + std::string(i % 400, 'x') + R"("})";
    };
    for (int i = 0; i < docs; ++i) w.add("id" + std::to_string(i), source(i));
    SegmentBytes bytes;
    ByteWriter out(bytes);
    out.put<uint32_t>(7);  // sections do not start at 0
    StoredFieldsLayout layout = w.write(out);
    StoredFieldsReader r(bytes.data(), bytes.size(), layout);
    if (docs > 50) {
      EXPECT_GT(r.block_count(), 1u);
    }
    StoredBlockCache cache;
    for (int i = 0; i < docs; ++i) {
      auto d = r.get(static_cast<uint32_t>(i), &cache);
      ASSERT_TRUE(d.ok()) << i;
      EXPECT_EQ(d->id, "id" + std::to_string(i));
      EXPECT_EQ(d->source, source(i));
    }
  }
}

}  // namespace
}  // namespace comptoir::engine
