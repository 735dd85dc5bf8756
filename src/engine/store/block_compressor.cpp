// Background zstd compression of ordered blocks (block_compressor.h).
#include "engine/store/block_compressor.h"

#include <zstd.h>

#include <memory>

namespace comptoir::engine {

std::string zstd_compress(void* cctx, std::string_view raw, int level) {
  // Into a buffer kept by the thread, then copied at its size: a string of the bound's
  // size would be zero-filled first (16 KiB for a stored block), and its spare capacity
  // kept for as long as the frame.
  thread_local std::unique_ptr<char[]> scratch;
  thread_local size_t scratch_size = 0;
  const size_t bound = ZSTD_compressBound(raw.size());
  if (bound > scratch_size) {
    scratch = std::make_unique_for_overwrite<char[]>(bound);
    scratch_size = bound;
  }
  const size_t n = ZSTD_compressCCtx(static_cast<ZSTD_CCtx*>(cctx), scratch.get(), bound,
                                     raw.data(), raw.size(), level);
  return ZSTD_isError(n) ? std::string() : std::string(scratch.get(), n);
}

BlockCompressor::~BlockCompressor() {
  stop_worker();
}

void BlockCompressor::push_raw(std::string raw) {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] { return pending_ < kMaxPending; });
  slots_.push_back(Slot{std::move(raw), false});
  ++pending_;
  if (!worker_.joinable()) {
    stopping_ = false;
    worker_ = std::thread([this] { run(); });
  }
  // An idle worker is woken for a batch of blocks, not for each one: a wake-up costs
  // system calls on both sides, a block's compression only some tens of microseconds.
  if (worker_idle_ && pending_ >= kWakeBatch) work_cv_.notify_one();
}

void BlockCompressor::push_frame(std::string frame) {
  std::lock_guard lock(mu_);
  slots_.push_back(Slot{std::move(frame), true});
}

std::vector<std::string> BlockCompressor::take_frames() {
  std::vector<Slot> slots;
  {
    std::unique_lock lock(mu_);
    if (pending_ > 0) work_cv_.notify_one();  // the last blocks, fewer than a batch
    done_cv_.wait(lock, [&] { return pending_ == 0; });
    slots = std::move(slots_);
    slots_.clear();
    next_ = 0;
  }
  stop_worker();
  std::vector<std::string> frames;
  frames.reserve(slots.size());
  for (Slot& s : slots) frames.push_back(std::move(s.data));
  return frames;
}

void BlockCompressor::stop_worker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void BlockCompressor::run() {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  std::vector<std::pair<size_t, std::string>> batch;
  std::unique_lock lock(mu_);
  for (;;) {
    while (next_ < slots_.size() && slots_[next_].compressed) ++next_;
    if (next_ == slots_.size()) {
      if (stopping_) break;
      worker_idle_ = true;
      work_cv_.wait(lock);
      worker_idle_ = false;
      continue;
    }
    // Every raw block queued so far, compressed outside the lock, put back under one.
    batch.clear();
    for (; next_ < slots_.size(); ++next_)
      if (!slots_[next_].compressed) batch.emplace_back(next_, std::move(slots_[next_].data));
    lock.unlock();
    for (auto& [i, data] : batch) data = zstd_compress(cctx, data, level_);
    lock.lock();
    for (auto& [i, data] : batch) {
      slots_[i].data = std::move(data);
      slots_[i].compressed = true;
    }
    pending_ -= batch.size();
    done_cv_.notify_all();
  }
  ZSTD_freeCCtx(cctx);
}

}  // namespace comptoir::engine
