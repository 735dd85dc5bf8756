// Background zstd compression of ordered blocks (block_compressor.h).
#include "engine/store/block_compressor.h"

#include <zstd.h>

#include <memory>
#include <new>

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
  for (void* c : idle_cctxs_) ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(c));
}

void BlockCompressor::set_helped(bool helped) {
  std::lock_guard lock(mu_);
  helped_ = helped;
}

bool BlockCompressor::take_raw(size_t& slot, std::string& raw) {
  while (next_ < slots_.size() && slots_[next_].compressed) ++next_;
  if (next_ == slots_.size()) return false;
  slot = next_++;
  raw = std::move(slots_[slot].data);
  return true;
}

void BlockCompressor::put_frame(size_t slot, std::string frame) {
  slots_[slot].data = std::move(frame);
  slots_[slot].compressed = true;
  --pending_;
}

bool BlockCompressor::help() {
  size_t slot = 0;
  std::string raw;
  void* cctx = nullptr;
  {
    std::lock_guard lock(mu_);
    if (!take_raw(slot, raw)) return false;
    if (!idle_cctxs_.empty()) {
      cctx = idle_cctxs_.back();
      idle_cctxs_.pop_back();
    }
  }
  if (cctx == nullptr && (cctx = ZSTD_createCCtx()) == nullptr) throw std::bad_alloc();
  std::string frame = zstd_compress(cctx, raw, level_);
  std::lock_guard lock(mu_);
  idle_cctxs_.push_back(cctx);
  put_frame(slot, std::move(frame));
  done_cv_.notify_all();
  return true;
}

void BlockCompressor::push_raw(std::string raw) {
  std::unique_lock lock(mu_);
  if (helped_) {
    slots_.push_back(Slot{std::move(raw), false});
    ++pending_;
    if (pending_ <= kMaxPending) return;
    // The helper is behind: the writer compresses the oldest waiting block itself.
    lock.unlock();
    help();
    return;
  }
  if (!worker_.joinable()) {
    stopping_ = false;
    worker_ = std::thread([this] { run(); });
  }
  if (pending_ >= kMaxPending) {
    // Blocks left from helped mode may be all there is: the worker is told about them.
    work_cv_.notify_one();
    done_cv_.wait(lock, [&] { return pending_ < kMaxPending; });
  }
  slots_.push_back(Slot{std::move(raw), false});
  ++pending_;
  // An idle worker is woken for a batch of blocks, not for each one: a wake-up costs
  // system calls on both sides, a block's compression only some tens of microseconds.
  if (worker_idle_ && pending_ >= kWakeBatch) work_cv_.notify_one();
}

void BlockCompressor::push_frame(std::string frame) {
  std::lock_guard lock(mu_);
  slots_.push_back(Slot{std::move(frame), true});
}

std::vector<std::string> BlockCompressor::take_frames() {
  // Blocks no one has taken yet are compressed here rather than waited for.
  while (help()) {
  }
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
    size_t slot = 0;
    std::string raw;
    while (take_raw(slot, raw)) batch.emplace_back(slot, std::move(raw));
    lock.unlock();
    for (auto& [i, data] : batch) data = zstd_compress(cctx, data, level_);
    lock.lock();
    for (auto& [i, data] : batch) put_frame(i, std::move(data));
    done_cv_.notify_all();
  }
  ZSTD_freeCCtx(cctx);
}

}  // namespace comptoir::engine
