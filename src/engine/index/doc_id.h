// DocId: a document's _id as a bulk item's result reports it. Ids of up to kInline bytes
// (the generated ones have 20, as Elasticsearch's) are held in place, so a bulk of
// thousands of documents with generated ids allocates nothing per item: a std::string
// keeps 15 bytes in place, and the allocation and release of each 20-byte id cost ~2%
// of the one-core ingest. Longer ids (up to the 512 bytes an id may have) go to the heap.
// It reads as a std::string_view and converts to a std::string.
#pragma once

#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace comptoir::engine {

class DocId {
 public:
  static constexpr size_t kInline = 24;

  DocId() = default;
  DocId(std::string_view s) { assign(s); }                     // NOLINT: ids are written as strings
  DocId(const std::string& s) : DocId(std::string_view(s)) {}  // NOLINT
  DocId(const char* s) : DocId(std::string_view(s)) {}         // NOLINT
  DocId(const DocId& other) : DocId(other.view()) {}
  DocId(DocId&& other) noexcept : size_(std::exchange(other.size_, 0)) {
    std::memcpy(buf_, other.buf_, sizeof buf_);  // the inline bytes, or the heap pointer
  }
  DocId& operator=(const DocId& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  DocId& operator=(DocId&& other) noexcept {
    if (this != &other) {
      release();
      size_ = std::exchange(other.size_, 0);
      std::memcpy(buf_, other.buf_, sizeof buf_);
    }
    return *this;
  }
  ~DocId() { release(); }

  // `n` bytes to be written through data() (an id of known length, built in place).
  char* resize_for_overwrite(size_t n) {
    release();
    size_ = static_cast<uint32_t>(n);
    if (n > kInline) set_heap(new char[n]);
    return data();
  }

  const char* data() const { return size_ > kInline ? heap() : buf_; }
  char* data() { return size_ > kInline ? heap() : buf_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data(), size_}; }
  operator std::string_view() const { return view(); }          // NOLINT
  operator std::string() const { return std::string(view()); }  // NOLINT
  std::string str() const { return std::string(view()); }

  friend bool operator==(const DocId& a, const DocId& b) { return a.view() == b.view(); }
  friend bool operator==(const DocId& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const DocId& a, const char* b) { return a.view() == b; }
  friend std::ostream& operator<<(std::ostream& os, const DocId& id) { return os << id.view(); }

 private:
  void assign(std::string_view s) {
    std::memcpy(resize_for_overwrite(s.size()), s.data(), s.size());
  }
  char* heap() const {
    char* p;
    std::memcpy(&p, buf_, sizeof p);
    return p;
  }
  void set_heap(char* p) { std::memcpy(buf_, &p, sizeof p); }
  void release() {
    if (size_ > kInline) delete[] heap();
    size_ = 0;
  }

  char buf_[kInline] = {};
  uint32_t size_ = 0;
};

}  // namespace comptoir::engine
