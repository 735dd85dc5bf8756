// ParseAhead: the producer thread and the in-order hand-over (parse_ahead.h).
#include "engine/index/parse_ahead.h"

#include "engine/dsl/dsl_error.h"

namespace comptoir::engine {

namespace {

// Waits until `value` differs from `seen`: a short spin (the other thread usually
// answers within a document's time), then a futex wait.
size_t wait_change(const std::atomic<size_t>& value, size_t seen) {
  for (int spin = 0; spin < 256; ++spin) {
    const size_t now = value.load(std::memory_order_acquire);
    if (now != seen) return now;
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
  }
  value.wait(seen, std::memory_order_acquire);
  return value.load(std::memory_order_acquire);
}

}  // namespace

ParseAhead::ParseAhead(size_t count, std::function<std::string_view(size_t)> source,
                       std::function<std::string_view(size_t)> id, Mapping& mapping,
                       Parsers& parsers)
    : count_(count),
      source_(std::move(source)),
      id_(std::move(id)),
      mapping_(mapping),
      parsers_(parsers),
      slots_(kRing, Result<const ParsedDocument*>(Error::internal("not parsed"))) {
  while (parsers_.size() < kRing) parsers_.push_back(std::make_unique<DocumentParser>());
  worker_ = std::thread([this] { run(); });
}

ParseAhead::~ParseAhead() {
  stop_.store(true, std::memory_order_release);
  done_.store(count_ + kRing, std::memory_order_release);  // wakes a producer short of room
  done_.notify_all();
  worker_.join();
}

void ParseAhead::run() {
  size_t done = 0;
  for (size_t i = 0; i < count_; ++i) {
    // Room for document i: the caller is done with the one kRing before it.
    while (i >= done + kRing) done = wait_change(done_, done);
    if (stop_.load(std::memory_order_acquire)) return;
    const size_t slot = i % kRing;
    slots_[slot] = parsers_[slot]->parse(source_(i), id_(i), mapping_);
    parsed_.store(i + 1, std::memory_order_release);
    parsed_.notify_one();
  }
}

Result<const ParsedDocument*> ParseAhead::next() {
  const size_t i = handed_;
  if (i >= count_) return Error::internal("ParseAhead: no document left");
  // Asking for document i means the caller is done with every earlier one.
  if (i > 0) {
    done_.store(i, std::memory_order_release);
    done_.notify_one();
  }
  size_t parsed = parsed_.load(std::memory_order_acquire);
  while (parsed <= i) parsed = wait_change(parsed_, parsed);
  handed_ = i + 1;
  return std::move(slots_[i % kRing]);
}

}  // namespace comptoir::engine
