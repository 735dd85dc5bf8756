// File descriptors, memory maps and atomic writes (see file_io.h).
#include "engine/store/file_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace comptoir::engine {

Error io_error(const std::string& what, const std::filesystem::path& path) {
  return Error::io(what + " " + path.string() + ": " + std::strerror(errno));
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

Result<std::shared_ptr<MappedFile>> MappedFile::open(const std::filesystem::path& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return io_error("open", path);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return io_error("stat", path);
  auto m = std::make_shared<MappedFile>();
  m->size_ = static_cast<size_t>(st.st_size);
  if (m->size_ > 0) {
    void* addr = ::mmap(nullptr, m->size_, PROT_READ, MAP_SHARED, fd.get(), 0);
    if (addr == MAP_FAILED) return io_error("mmap", path);
    m->addr_ = addr;
  }
  return m;
}

MappedFile::~MappedFile() {
  if (addr_ != nullptr) ::munmap(addr_, size_);
}

Status write_all(int fd, const void* data, size_t n, const std::filesystem::path& what) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return io_error("write", what);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return {};
}

Status fsync_dir(const std::filesystem::path& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return io_error("open directory", dir);
  if (::fsync(fd.get()) != 0) return io_error("fsync directory", dir);
  return {};
}

Status write_file_atomic(const std::filesystem::path& dir, const std::string& name,
                         std::string_view bytes, bool sync) {
  std::filesystem::path tmp = dir / (name + ".tmp");
  std::filesystem::path target = dir / name;
  {
    FileDescriptor fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd.valid()) return io_error("create", tmp);
    COMPTOIR_TRY(write_all(fd.get(), bytes.data(), bytes.size(), tmp));
    if (sync && ::fsync(fd.get()) != 0) return io_error("fsync", tmp);
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) return io_error("rename", tmp);
  if (sync) COMPTOIR_TRY(fsync_dir(dir));
  return {};
}

Result<std::string> read_file(const std::filesystem::path& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return io_error("open", path);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read", path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace comptoir::engine
