// Write-ahead log: every accepted write is appended here and fsynced before the bulk
// call returns, so an acknowledged document survives a crash. Replay stops at the first
// record whose length or checksum does not hold (a torn tail) and truncates it away.
//
//   record = u32 payload_length | u32 crc32c(payload) | payload
//   payload = u8 op (1 index, 2 delete) | u32 id_length | id | source (index only)
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/store/file_io.h"
#include "util/result.h"

namespace comptoir::engine {

struct WalRecord {
  enum Op : uint8_t { kIndex = 1, kDelete = 2 };
  Op op = kIndex;
  std::string_view id;
  std::string_view source;
};

class WalWriter {
 public:
  WalWriter() = default;
  // Opens (creating if needed) for appending at `valid_length` (the end of the good
  // records found by replay); anything after it is cut off.
  static Result<WalWriter> open(const std::filesystem::path& path, uint64_t valid_length,
                                bool sync);
  // Buffered; a buffer past kEarlyWriteBytes is written (not synced) before sync().
  void append(const WalRecord& record);
  Status sync();  // write the buffer, then fdatasync; reports an earlier write's failure
  static constexpr size_t kEarlyWriteBytes = 1 << 20;
  uint64_t size() const { return size_ + buffer_.size(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  void write_early();

  FileDescriptor fd_;
  std::filesystem::path path_;
  std::string buffer_;
  uint64_t size_ = 0;
  bool sync_ = true;
  std::optional<Error> write_error_;
};

// Calls f for each intact record in order; returns the length of the intact prefix.
Result<uint64_t> replay_wal(const std::filesystem::path& path,
                            const std::function<Status(const WalRecord&)>& f);

}  // namespace comptoir::engine
