// Caps the number of open connections. Each accepted connection holds a Slot;
// beyond the cap the server answers 503 and closes without reading the request.
#pragma once

#include <atomic>
#include <cstdint>

namespace comptoir::http {

class ConnectionLimiter {
 public:
  explicit ConnectionLimiter(uint32_t max) : max_(max) {}

  // RAII ownership of one connection's place under the cap.
  class Slot {
   public:
    Slot() = default;
    explicit Slot(ConnectionLimiter* owner) : owner_(owner) {}
    Slot(Slot&& o) noexcept : owner_(o.owner_) { o.owner_ = nullptr; }
    Slot& operator=(Slot&& o) noexcept {
      if (this != &o) {
        reset();
        owner_ = o.owner_;
        o.owner_ = nullptr;
      }
      return *this;
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { reset(); }
    bool held() const { return owner_ != nullptr; }
    void reset() {
      if (owner_ != nullptr) owner_->active_.fetch_sub(1, std::memory_order_acq_rel);
      owner_ = nullptr;
    }

   private:
    ConnectionLimiter* owner_ = nullptr;
  };

  // A held Slot, or an empty one when the cap is reached.
  Slot try_acquire() {
    uint32_t cur = active_.load(std::memory_order_relaxed);
    while (cur < max_) {
      if (active_.compare_exchange_weak(cur, cur + 1, std::memory_order_acq_rel)) {
        return Slot(this);
      }
    }
    return Slot();
  }

  uint32_t active() const { return active_.load(std::memory_order_acquire); }
  uint32_t max() const { return max_; }

 private:
  const uint32_t max_;
  std::atomic<uint32_t> active_{0};
};

}  // namespace comptoir::http
