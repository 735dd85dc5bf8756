// BlockCompressor: zstd-compresses a sequence of blocks on a worker thread while the
// caller goes on producing the next ones, and hands the frames back in order. The
// stored fields writer seals a block every ~16 KiB of documents; compressing it here
// takes about a third of the indexing work off the writer's thread. At most
// kMaxPending raw blocks wait: a writer faster than the compressor then waits too. An
// idle worker is woken once kWakeBatch blocks wait (or by take_frames).
//
// Helped mode, for a bulk request that already keeps a second thread busy (ParseAhead):
// no worker thread; the blocks are compressed by help(), which that thread calls when
// it would otherwise wait, and a writer that finds kMaxPending blocks waiting compresses
// one itself. On two cores a third busy thread only takes turns with the other two.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace comptoir::engine {

// One zstd frame of `raw` at `level`, with the caller's context (a ZSTD_CCtx*).
std::string zstd_compress(void* cctx, std::string_view raw, int level);

class BlockCompressor {
 public:
  explicit BlockCompressor(int level) : level_(level) {}
  ~BlockCompressor();
  BlockCompressor(const BlockCompressor&) = delete;
  BlockCompressor& operator=(const BlockCompressor&) = delete;

  // Queues a raw block (the worker starts with the first one).
  void push_raw(std::string raw);
  // Queues a block that is already a frame: it keeps its place in the order.
  void push_frame(std::string frame);
  // Helped mode on or off (see above); the worker, if running, finishes what it took.
  void set_helped(bool helped);
  // Compresses the oldest raw block no one has taken, on the caller's thread; false
  // when there is none. Safe from any thread.
  bool help();
  // Waits for every queued block and returns the frames in order; the compressor is
  // then empty (and its worker stopped) until the next push.
  std::vector<std::string> take_frames();
  // Nothing queued since the last take_frames().
  bool empty() {
    std::lock_guard lock(mu_);
    return slots_.empty();
  }

  static constexpr size_t kMaxPending = 32;
  static constexpr size_t kWakeBatch = 8;  // raw blocks that wake an idle worker

 private:
  struct Slot {
    std::string data;
    bool compressed = false;
  };
  void run();
  void stop_worker();
  // Takes the oldest raw block no one has taken (under mu_), or returns false.
  bool take_raw(size_t& slot, std::string& raw);
  // Puts a compressed block back (under mu_).
  void put_frame(size_t slot, std::string frame);

  const int level_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::vector<Slot> slots_;
  size_t next_ = 0;     // the first slot not yet taken by the worker
  size_t pending_ = 0;  // raw slots not compressed yet
  bool stopping_ = false;
  bool worker_idle_ = false;  // the worker waits for work
  bool helped_ = false;
  std::vector<void*> idle_cctxs_;  // ZSTD_CCtx of help() calls, kept for the next ones
  std::thread worker_;
};

}  // namespace comptoir::engine
