// ParseAhead: parses a batch's documents on a second thread, a few documents ahead of
// the thread that indexes them. Parsing (JSON, mapping lookups, type conversion) is
// about a third of the work of indexing a document and needs nothing the indexing
// thread touches, so on two cores a large bulk request runs both at once.
//
// Documents are parsed in order (dynamic mapping grows exactly as if parsed one by
// one), each by one of a ring of parsers: the i-th result stays valid until the
// (i + ring size)-th is asked for. The caller holds the index's write lock throughout,
// so nothing else reads or changes the mapping meanwhile.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/index/document_parser.h"
#include "util/result.h"

namespace comptoir::engine {

class ParseAhead {
 public:
  // The parsers a ring needs, kept by the caller from one batch to the next (their
  // buffers and lookup caches stay warm).
  using Parsers = std::vector<std::unique_ptr<DocumentParser>>;
  static constexpr size_t kRing = 256;

  // Starts parsing documents 0..count-1: `source(i)` and `id(i)` must stay valid until
  // this object is destroyed. A source with DocumentParser::kPadding bytes of spare
  // capacity is parsed where it is.
  // `parsed(i)`, if given, runs on the parsing thread, in order, for each document that
  // parsed (the index writes its WAL record there, off the indexing thread).
  // `side_work()`, if given, is called by either thread when it would wait for the
  // other, as long as it returns true (a unit of other work done): the index compresses
  // stored blocks there, so that two threads, not three, share the two cores.
  ParseAhead(size_t count, std::function<const std::string&(size_t)> source,
             std::function<std::string_view(size_t)> id, Mapping& mapping, Parsers& parsers,
             std::function<void(size_t)> parsed = nullptr,
             std::function<bool()> side_work = nullptr);
  ~ParseAhead();
  ParseAhead(const ParseAhead&) = delete;
  ParseAhead& operator=(const ParseAhead&) = delete;

  // The result of the next document in order (waits for it). Call at most `count` times.
  Result<const ParsedDocument*> next();

 private:
  void run();
  // One unit of side work, if there is some left.
  bool side_work() { return side_work_ && side_work_(); }

  const size_t count_;
  std::function<const std::string&(size_t)> source_;
  std::function<std::string_view(size_t)> id_;
  std::function<void(size_t)> parsed_ok_;
  std::function<bool()> side_work_;
  Mapping& mapping_;
  Parsers& parsers_;
  std::vector<Result<const ParsedDocument*>> slots_;
  // A counter one thread raises and the other waits on: a short spin, then a sleep on a
  // condition variable; raising costs a system call only when the other side sleeps
  // and the value reached what it waits for.
  struct Counter {
    std::atomic<size_t> value{0};
    std::atomic<size_t> wanted{SIZE_MAX};  // what a sleeper waits for, SIZE_MAX: none
    std::mutex mu;
    std::condition_variable cv;
    void raise(size_t v);
    // The value once it is >= target; if it has to sleep, once it is >= sleep_target.
    size_t wait_at_least(size_t target, size_t sleep_target);
  };
  Counter parsed_;  // documents whose result is in their slot
  Counter done_;    // documents the caller is done with (their slots are free)
  std::atomic<bool> stop_{false};
  size_t handed_ = 0;  // next() calls so far (the caller's thread only)
  std::thread worker_;
};

}  // namespace comptoir::engine
