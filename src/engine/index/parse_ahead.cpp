// ParseAhead: the producer thread and the in-order hand-over (parse_ahead.h).
#include "engine/index/parse_ahead.h"

#include <algorithm>

#include "engine/dsl/dsl_error.h"

namespace comptoir::engine {

void ParseAhead::Counter::raise(size_t v) {
  value.store(v, std::memory_order_seq_cst);
  if (v >= wanted.load(std::memory_order_seq_cst)) {
    std::lock_guard lock(mu);  // the sleeper is either before its check or in wait()
    cv.notify_one();
  }
}

size_t ParseAhead::Counter::wait_at_least(size_t target, size_t sleep_target) {
  // About a document's time of spinning (a pause is ~40-140 cycles), then sleep: on
  // two busy cores a long spin takes the other threads' time. A sleeper waits for
  // `sleep_target`, so that a side that keeps falling behind is woken once per batch
  // of documents, not once per document (a wake-up is two system calls and a switch).
  for (int spin = 0; spin < 64; ++spin) {
    const size_t now = value.load(std::memory_order_acquire);
    if (now >= target) return now;
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
  }
  std::unique_lock lock(mu);
  target = std::max(target, sleep_target);
  wanted.store(target, std::memory_order_seq_cst);
  size_t now;
  while ((now = value.load(std::memory_order_seq_cst)) < target) cv.wait(lock);
  wanted.store(SIZE_MAX, std::memory_order_relaxed);
  return now;
}

ParseAhead::ParseAhead(size_t count, std::function<const std::string&(size_t)> source,
                       std::function<std::string_view(size_t)> id, Mapping& mapping,
                       Parsers& parsers, std::function<void(size_t)> parsed,
                       std::function<bool()> side_work)
    : count_(count),
      source_(std::move(source)),
      id_(std::move(id)),
      parsed_ok_(std::move(parsed)),
      side_work_(std::move(side_work)),
      mapping_(mapping),
      parsers_(parsers),
      slots_(kRing, Result<const ParsedDocument*>(Error::internal("not parsed"))) {
  while (parsers_.size() < kRing) parsers_.push_back(std::make_unique<DocumentParser>());
  worker_ = std::thread([this] { run(); });
}

ParseAhead::~ParseAhead() {
  stop_.store(true, std::memory_order_release);
  done_.raise(count_ + kRing);  // wakes a producer short of room
  worker_.join();
}

void ParseAhead::run() {
  size_t done = 0;
  for (size_t i = 0; i < count_; ++i) {
    // Room for document i: the caller is done with the one kRing before it.
    // When the ring is full, wait until three quarters of it are free: one wake-up per
    // 3 kRing / 4 documents rather than one per document, while a quarter of the ring
    // (~200 us of indexing) still covers the time the wake-up takes.
    // The ring is full only by the caller's latest count (`done` is this thread's last
    // look at it): sleeping on a stale one, while the caller sleeps until more is parsed,
    // would leave both asleep.
    if (i >= done + kRing) done = done_.value.load(std::memory_order_acquire);
    while (i >= done + kRing && side_work()) done = done_.value.load(std::memory_order_acquire);
    if (i >= done + kRing) done = done_.wait_at_least(i + 1 - kRing / 4, 0);
    if (stop_.load(std::memory_order_acquire)) return;
    const size_t slot = i % kRing;
    const std::string& source = source_(i);
    slots_[slot] =
        parsers_[slot]->parse(source, id_(i), mapping_, DocumentParser::readable_past_end(source));
    if (parsed_ok_ && slots_[slot].ok()) parsed_ok_(i);
    parsed_.raise(i + 1);
  }
  // Everything is parsed: the other work is left to do while the caller catches up.
  while (!stop_.load(std::memory_order_acquire) && side_work()) {
  }
}

Result<const ParsedDocument*> ParseAhead::next() {
  const size_t i = handed_;
  if (i >= count_) return Error::internal("ParseAhead: no document left");
  // Asking for document i means the caller is done with every earlier one.
  if (i > 0) done_.raise(i);
  // A caller that has to sleep waits for a few documents more (the ring has room for
  // them, so the parser never waits for this caller meanwhile).
  while (parsed_.value.load(std::memory_order_acquire) <= i && side_work()) {
  }
  if (parsed_.value.load(std::memory_order_acquire) <= i)
    parsed_.wait_at_least(i + 1, std::min(count_, i + kRing / 2));
  handed_ = i + 1;
  return std::move(slots_[i % kRing]);
}

}  // namespace comptoir::engine
