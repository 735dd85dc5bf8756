// Bitmap: an owning RAII wrapper around a CRoaring (0.2.x C API) roaring_bitmap_t, the
// doc-id set type of the engine (postings, filters, tombstones). A bitmap may be a
// read-only view of frozen bytes inside a segment file; it is copied on first write.
#pragma once

#include <roaring/roaring.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace comptoir::engine {

class Bitmap {
 public:
  Bitmap();
  ~Bitmap();
  Bitmap(const Bitmap& o);
  Bitmap(Bitmap&& o) noexcept;
  Bitmap& operator=(const Bitmap& o);
  Bitmap& operator=(Bitmap&& o) noexcept;

  static Bitmap from_sorted(const uint32_t* docs, size_t n);
  static Bitmap range(uint32_t lo, uint32_t hi);  // [lo, hi)
  // A read-only view of bytes written by frozen_serialize(); `buf` must be 32-byte
  // aligned and outlive the view. Returns an empty bitmap if the bytes are invalid.
  static Bitmap view_frozen(const char* buf, size_t len);
  static Bitmap deserialize_portable(const char* buf, size_t len);

  void add(uint32_t x);
  void add_range(uint32_t lo, uint32_t hi);  // [lo, hi)
  void remove(uint32_t x);
  bool contains(uint32_t x) const { return roaring_bitmap_contains(r_, x); }
  uint64_t cardinality() const { return roaring_bitmap_get_cardinality(r_); }
  bool empty() const { return roaring_bitmap_is_empty(r_); }
  // Number of values <= x (1-based position of x when x is present).
  uint64_t rank(uint32_t x) const { return roaring_bitmap_rank(r_, x); }
  uint32_t minimum() const { return roaring_bitmap_minimum(r_); }
  uint32_t maximum() const { return roaring_bitmap_maximum(r_); }

  Bitmap& operator&=(const Bitmap& o);
  Bitmap& operator|=(const Bitmap& o);
  Bitmap& operator-=(const Bitmap& o);  // and-not
  friend Bitmap operator&(const Bitmap& a, const Bitmap& b);
  friend Bitmap operator|(const Bitmap& a, const Bitmap& b);
  friend Bitmap operator-(const Bitmap& a, const Bitmap& b);
  bool operator==(const Bitmap& o) const { return roaring_bitmap_equals(r_, o.r_); }
  uint64_t and_cardinality(const Bitmap& o) const {
    return roaring_bitmap_and_cardinality(r_, o.r_);
  }

  // Calls f(uint32_t doc) for every value in increasing order; stops early if f returns
  // false (f may also return void).
  template <typename F>
  void for_each(F&& f) const {
    for_each_batch([&f](const uint32_t* values, uint32_t n) {
      for (uint32_t i = 0; i < n; ++i) {
        if constexpr (std::is_same_v<decltype(f(values[i])), bool>) {
          if (!f(values[i])) return false;
        } else {
          f(values[i]);
        }
      }
      return true;
    });
  }

  // Calls f(const uint32_t* values, uint32_t n) for runs of up to 256 values in
  // increasing order; stops early if f returns false.
  template <typename F>
  void for_each_batch(F&& f) const {
    roaring_uint32_iterator_t it;
    roaring_init_iterator(r_, &it);
    uint32_t buf[256];
    for (;;) {
      const uint32_t n = roaring_read_uint32_iterator(&it, buf, 256);
      if (n == 0 || !f(static_cast<const uint32_t*>(buf), n)) return;
    }
  }

  static Bitmap union_many(const std::vector<Bitmap>& parts);

  // Like for_each, from the largest value down.
  template <typename F>
  void for_each_reverse(F&& f) const {
    roaring_uint32_iterator_t it;
    roaring_init_iterator_last(r_, &it);
    while (it.has_value) {
      if constexpr (std::is_same_v<decltype(f(it.current_value)), bool>) {
        if (!f(it.current_value)) return;
      } else {
        f(it.current_value);
      }
      roaring_previous_uint32_iterator(&it);
    }
  }

  void optimize();  // run-length containers where smaller
  size_t frozen_size() const { return roaring_bitmap_frozen_size_in_bytes(r_); }
  void frozen_serialize(char* out) const { roaring_bitmap_frozen_serialize(r_, out); }
  std::string serialize_portable() const;
  const roaring_bitmap_t* raw() const { return r_; }

 private:
  explicit Bitmap(roaring_bitmap_t* r, bool readonly) : r_(r), readonly_(readonly) {}
  void make_mutable();

  roaring_bitmap_t* r_;
  bool readonly_ = false;
};

}  // namespace comptoir::engine
