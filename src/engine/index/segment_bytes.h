// SegmentBytes: the bytes of a segment being written, in 64-byte aligned heap memory
// (frozen roaring views need sections on 32-byte boundaries, segment_format.h). A
// finished segment is served from this very memory (SegmentData::adopt), where the
// bytes of a std::string had to be copied into aligned memory first. (Anonymous mmap
// pages grown by mremap were tried: every refresh then faults in fresh zeroed pages,
// where heap memory is reused, and the 10M-document engine bench ran 4% slower.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace comptoir::engine {

class SegmentBytes {
 public:
  SegmentBytes() = default;
  ~SegmentBytes();
  SegmentBytes(SegmentBytes&& other) noexcept;
  SegmentBytes& operator=(SegmentBytes&& other) noexcept;
  SegmentBytes(const SegmentBytes&) = delete;
  SegmentBytes& operator=(const SegmentBytes&) = delete;

  const char* data() const { return p_; }
  char* data() { return p_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {p_, size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: bytes read as a view
  std::string str() const { return std::string(view()); }

  void reserve(size_t n) {
    if (n > cap_) grow(n);
  }
  void append(const void* p, size_t n) {
    if (n == 0) return;
    if (size_ + n > cap_) grow(size_ + n);
    __builtin_memcpy(p_ + size_, p, n);
    size_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  void push_back(char c) {
    if (size_ == cap_) grow(size_ + 1);
    p_[size_++] = c;
  }
  // New bytes are zero.
  void resize(size_t n);
  // Room for n more bytes at the end, written by the caller, then commit(k <= n) of them.
  char* tail(size_t n) {
    if (size_ + n > cap_) grow(size_ + n);
    return p_ + size_;
  }
  void commit(size_t n) { size_ += n; }
  // Gives back the capacity past size(), where it is worth it.
  void shrink_to_fit();

 private:
  void grow(size_t need);

  char* p_ = nullptr;
  size_t size_ = 0;
  size_t cap_ = 0;
};

}  // namespace comptoir::engine
