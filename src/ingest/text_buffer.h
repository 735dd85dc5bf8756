// TextBuffer: the growable byte buffer documents are written into. Its writes are
// inline and check capacity with one comparison; std::string's push_back and
// append are calls into libstdc++ (an extern template), which showed in the
// parsers' profiles at a few dozen calls per document.
#pragma once

#include <cstring>
#include <memory>
#include <string_view>

namespace comptoir::ingest {

class TextBuffer {
 public:
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_.get(), size_}; }
  char* data() { return data_.get(); }

  void push_back(char c) {
    reserve(1);
    data_[size_++] = c;
  }
  void append(const char* p, size_t n) {
    char* out = reserve(n);
    copy(out, p, n);
    size_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }

  // Room for `n` more bytes, then a cursor to write them through and commit().
  char* reserve(size_t n) {
    if (size_ + n > capacity_) grow(size_ + n);
    return data_.get() + size_;
  }
  void commit(size_t n) { size_ += n; }

  // memcpy, with the short copies most keys and values need done inline, each as
  // two overlapping fixed-size moves instead of a library call.
  static void copy(char* out, const char* p, size_t n) {
    if (n >= 8 && n <= 16) {
      std::memcpy(out, p, 8);
      std::memcpy(out + n - 8, p + n - 8, 8);
    } else if (n >= 4 && n < 8) {
      std::memcpy(out, p, 4);
      std::memcpy(out + n - 4, p + n - 4, 4);
    } else if (n < 4) {
      for (size_t i = 0; i < n; ++i) out[i] = p[i];
    } else if (n <= 32) {
      std::memcpy(out, p, 16);
      std::memcpy(out + n - 16, p + n - 16, 16);
    } else {
      std::memcpy(out, p, n);
    }
  }

 private:
  // Out of line: the rare path, kept out of the writes so that they stay small
  // enough to be inlined at -O2 as well.
  [[gnu::noinline]] void grow(size_t needed) {
    size_t capacity = capacity_ == 0 ? 1024 : capacity_ * 2;
    while (capacity < needed) capacity *= 2;
    auto data = std::make_unique<char[]>(capacity);
    if (size_ != 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace comptoir::ingest
