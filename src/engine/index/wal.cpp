// Write-ahead log writer and replay (format in wal.h).
#include "engine/index/wal.h"

#include <fcntl.h>
#include <unistd.h>

#include "engine/index/segment_format.h"

namespace comptoir::engine {

Result<WalWriter> WalWriter::open(const std::filesystem::path& path, uint64_t valid_length,
                                  bool sync) {
  WalWriter w;
  w.path_ = path;
  w.sync_ = sync;
  w.fd_ = FileDescriptor(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  if (!w.fd_.valid()) return io_error("open wal", path);
  if (::ftruncate(w.fd_.get(), static_cast<off_t>(valid_length)) != 0)
    return io_error("truncate wal", path);
  if (::lseek(w.fd_.get(), static_cast<off_t>(valid_length), SEEK_SET) < 0)
    return io_error("seek wal", path);
  w.size_ = valid_length;
  return w;
}

void WalWriter::append(const WalRecord& r) {
  uint32_t id_len = static_cast<uint32_t>(r.id.size());
  uint32_t payload_len =
      1 + 4 + id_len + static_cast<uint32_t>(r.op == WalRecord::kIndex ? r.source.size() : 0);
  size_t start = buffer_.size();
  buffer_.resize(start + 8);
  buffer_.push_back(static_cast<char>(r.op));
  buffer_.append(reinterpret_cast<const char*>(&id_len), 4);
  buffer_.append(r.id);
  if (r.op == WalRecord::kIndex) buffer_.append(r.source);
  uint32_t crc = crc32c(buffer_.data() + start + 8, payload_len);
  std::memcpy(buffer_.data() + start, &payload_len, 4);
  std::memcpy(buffer_.data() + start + 4, &crc, 4);
  if (buffer_.size() >= kEarlyWriteBytes && !write_error_) write_early();
}

// A large batch goes to the file as it grows and its write-back starts at once
// (sync_file_range does not wait), so the device works while the batch is indexed and
// the final fdatasync waits only for the tail. Nothing is acknowledged before sync().
void WalWriter::write_early() {
  const uint64_t from = size_;
  Status s = write_all(fd_.get(), buffer_.data(), buffer_.size(), path_);
  if (!s.ok()) {
    write_error_ = s.error();
    return;
  }
  size_ += buffer_.size();
  buffer_.clear();
  if (sync_)
    (void)::sync_file_range(fd_.get(), static_cast<off_t>(from), static_cast<off_t>(size_ - from),
                            SYNC_FILE_RANGE_WRITE);
}

Status WalWriter::sync() {
  if (write_error_) return *write_error_;  // the log is broken: nothing more is durable
  if (!buffer_.empty()) {
    COMPTOIR_TRY(write_all(fd_.get(), buffer_.data(), buffer_.size(), path_));
    size_ += buffer_.size();
    buffer_.clear();
  }
  if (sync_ && ::fdatasync(fd_.get()) != 0) return io_error("fdatasync wal", path_);
  return {};
}

Result<uint64_t> replay_wal(const std::filesystem::path& path,
                            const std::function<Status(const WalRecord&)>& f) {
  if (!std::filesystem::exists(path)) return uint64_t{0};
  auto bytes = read_file(path);
  if (!bytes) return bytes.error();
  const std::string& b = *bytes;
  uint64_t pos = 0;
  while (pos + 8 <= b.size()) {
    uint32_t len = load_le<uint32_t>(b.data() + pos);
    uint32_t crc = load_le<uint32_t>(b.data() + pos + 4);
    if (len < 5 || pos + 8 + len > b.size()) break;
    const char* p = b.data() + pos + 8;
    if (crc32c(p, len) != crc) break;
    WalRecord r;
    r.op = static_cast<WalRecord::Op>(p[0]);
    uint32_t id_len = load_le<uint32_t>(p + 1);
    if (5 + uint64_t(id_len) > len || (r.op != WalRecord::kIndex && r.op != WalRecord::kDelete))
      break;
    r.id = std::string_view(p + 5, id_len);
    if (r.op == WalRecord::kIndex) r.source = std::string_view(p + 5 + id_len, len - 5 - id_len);
    COMPTOIR_TRY(f(r));
    pos += 8 + len;
  }
  return pos;
}

}  // namespace comptoir::engine
