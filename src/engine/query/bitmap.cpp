// Bitmap: RAII over roaring_bitmap_t (see bitmap.h).
#include "engine/query/bitmap.h"

#include <utility>

namespace comptoir::engine {

Bitmap::Bitmap() : r_(roaring_bitmap_create()) {}
Bitmap::~Bitmap() {
  if (r_ != nullptr) roaring_bitmap_free(r_);
}
Bitmap::Bitmap(const Bitmap& o) : r_(roaring_bitmap_copy(o.r_)) {}
Bitmap::Bitmap(Bitmap&& o) noexcept
    : r_(std::exchange(o.r_, roaring_bitmap_create())), readonly_(o.readonly_) {
  o.readonly_ = false;
}
Bitmap& Bitmap::operator=(const Bitmap& o) {
  if (this != &o) {
    roaring_bitmap_t* copy = roaring_bitmap_copy(o.r_);
    roaring_bitmap_free(r_);
    r_ = copy;
    readonly_ = false;
  }
  return *this;
}
Bitmap& Bitmap::operator=(Bitmap&& o) noexcept {
  if (this != &o) {
    std::swap(r_, o.r_);
    std::swap(readonly_, o.readonly_);
  }
  return *this;
}

Bitmap Bitmap::from_sorted(const uint32_t* docs, size_t n) {
  Bitmap b;
  roaring_bitmap_add_many(b.r_, n, docs);
  return b;
}

Bitmap Bitmap::range(uint32_t lo, uint32_t hi) {
  Bitmap b;
  if (hi > lo) roaring_bitmap_add_range_closed(b.r_, lo, hi - 1);
  return b;
}

Bitmap Bitmap::view_frozen(const char* buf, size_t len) {
  const roaring_bitmap_t* view = roaring_bitmap_frozen_view(buf, len);
  if (view == nullptr) return Bitmap();
  return Bitmap(const_cast<roaring_bitmap_t*>(view), true);
}

Bitmap Bitmap::deserialize_portable(const char* buf, size_t len) {
  roaring_bitmap_t* r = roaring_bitmap_portable_deserialize_safe(buf, len);
  if (r == nullptr) return Bitmap();
  return Bitmap(r, false);
}

void Bitmap::make_mutable() {
  if (!readonly_) return;
  roaring_bitmap_t* copy = roaring_bitmap_copy(r_);
  roaring_bitmap_free(r_);
  r_ = copy;
  readonly_ = false;
}

void Bitmap::add(uint32_t x) {
  make_mutable();
  roaring_bitmap_add(r_, x);
}
void Bitmap::add_range(uint32_t lo, uint32_t hi) {
  make_mutable();
  if (hi > lo) roaring_bitmap_add_range_closed(r_, lo, hi - 1);
}
void Bitmap::remove(uint32_t x) {
  make_mutable();
  roaring_bitmap_remove(r_, x);
}

Bitmap& Bitmap::operator&=(const Bitmap& o) {
  roaring_bitmap_t* r = roaring_bitmap_and(r_, o.r_);
  roaring_bitmap_free(r_);
  r_ = r;
  readonly_ = false;
  return *this;
}
Bitmap& Bitmap::operator|=(const Bitmap& o) {
  roaring_bitmap_t* r = roaring_bitmap_or(r_, o.r_);
  roaring_bitmap_free(r_);
  r_ = r;
  readonly_ = false;
  return *this;
}
Bitmap& Bitmap::operator-=(const Bitmap& o) {
  roaring_bitmap_t* r = roaring_bitmap_andnot(r_, o.r_);
  roaring_bitmap_free(r_);
  r_ = r;
  readonly_ = false;
  return *this;
}
Bitmap operator&(const Bitmap& a, const Bitmap& b) {
  return Bitmap(roaring_bitmap_and(a.r_, b.r_), false);
}
Bitmap operator|(const Bitmap& a, const Bitmap& b) {
  return Bitmap(roaring_bitmap_or(a.r_, b.r_), false);
}
Bitmap operator-(const Bitmap& a, const Bitmap& b) {
  return Bitmap(roaring_bitmap_andnot(a.r_, b.r_), false);
}

Bitmap Bitmap::union_many(const std::vector<Bitmap>& parts) {
  if (parts.empty()) return Bitmap();
  if (parts.size() == 1) return parts[0];
  std::vector<const roaring_bitmap_t*> raw;
  raw.reserve(parts.size());
  for (const auto& p : parts) raw.push_back(p.r_);
  return Bitmap(roaring_bitmap_or_many(raw.size(), raw.data()), false);
}

void Bitmap::optimize() {
  make_mutable();
  roaring_bitmap_run_optimize(r_);
  roaring_bitmap_shrink_to_fit(r_);
}

std::string Bitmap::serialize_portable() const {
  std::string out(roaring_bitmap_portable_size_in_bytes(r_), '\0');
  roaring_bitmap_portable_serialize(r_, out.data());
  return out;
}

}  // namespace comptoir::engine
