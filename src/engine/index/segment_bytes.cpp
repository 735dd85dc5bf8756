// SegmentBytes (segment_bytes.h): aligned heap buffers.
#include "engine/index/segment_bytes.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace comptoir::engine {

namespace {

constexpr size_t kAlign = 64;

char* allocate(size_t bytes) {
  void* p = std::aligned_alloc(kAlign, (bytes + kAlign - 1) / kAlign * kAlign);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<char*>(p);
}

}  // namespace

SegmentBytes::~SegmentBytes() {
  std::free(p_);
}

SegmentBytes::SegmentBytes(SegmentBytes&& other) noexcept
    : p_(std::exchange(other.p_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      cap_(std::exchange(other.cap_, 0)) {}

SegmentBytes& SegmentBytes::operator=(SegmentBytes&& other) noexcept {
  if (this != &other) {
    std::free(p_);
    p_ = std::exchange(other.p_, nullptr);
    size_ = std::exchange(other.size_, 0);
    cap_ = std::exchange(other.cap_, 0);
  }
  return *this;
}

void SegmentBytes::resize(size_t n) {
  if (n > size_) {
    if (n > cap_) grow(n);
    std::memset(p_ + size_, 0, n - size_);
  }
  size_ = n;
}

// Doubles (at least), so that appends cost amortised constant time. Writers reserve
// their segment's likely size up front (SegmentWriterOptions::expected_bytes): growing,
// which copies, is the exception.
void SegmentBytes::grow(size_t need) {
  constexpr size_t kMinBytes = 4096;
  const size_t cap = std::max({need, 2 * cap_, kMinBytes});
  char* p = allocate(cap);
  if (size_ > 0) std::memcpy(p, p_, size_);
  std::free(p_);
  p_ = p;
  cap_ = cap;
}

// glibc's realloc shrinks a block where it is (splitting off the rest), which keeps the
// alignment; a block moved elsewhere is copied to aligned memory again.
void SegmentBytes::shrink_to_fit() {
  if (p_ == nullptr || cap_ - size_ < 4096) return;
  const size_t keep = std::max<size_t>(size_, 1);
  void* p = std::realloc(p_, keep);
  if (p == nullptr) return;  // the larger block stays: nothing is lost
  if (reinterpret_cast<uintptr_t>(p) % kAlign != 0) {
    char* aligned = allocate(keep);
    std::memcpy(aligned, p, size_);
    std::free(p);
    p = aligned;
  }
  p_ = static_cast<char*>(p);
  cap_ = keep;
}

}  // namespace comptoir::engine
