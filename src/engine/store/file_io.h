// File primitives of the storage layer (Tantivy's "directory"): RAII file descriptors,
// read-only memory maps that serve segment bytes in place, and the atomic write protocol
// (write a temp file, fsync it, rename over the target, fsync the directory).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "engine/index/segment_reader.h"
#include "util/result.h"

namespace comptoir::engine {

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(FileDescriptor&& o) noexcept : fd_(o.release()) {}
  FileDescriptor& operator=(FileDescriptor&& o) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// A read-only mapping of a whole file; the segment bytes of a flushed segment.
class MappedFile final : public SegmentData {
 public:
  static Result<std::shared_ptr<MappedFile>> open(const std::filesystem::path& path);
  ~MappedFile() override;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const char* data() const override { return static_cast<const char*>(addr_); }
  size_t size() const override { return size_; }
  MappedFile() = default;

 private:
  void* addr_ = nullptr;
  size_t size_ = 0;
};

Status write_all(int fd, const void* data, size_t n, const std::filesystem::path& what);
Status fsync_dir(const std::filesystem::path& dir);
// Atomically replaces dir/name with `bytes` (durable when `sync`).
Status write_file_atomic(const std::filesystem::path& dir, const std::string& name,
                         std::string_view bytes, bool sync = true);
Result<std::string> read_file(const std::filesystem::path& path);
Error io_error(const std::string& what, const std::filesystem::path& path);

}  // namespace comptoir::engine
