// Bitmap: RAII over roaring_bitmap_t (see bitmap.h).
#include "engine/query/bitmap.h"

#include <cstring>
#include <utility>
#include <vector>

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

// Built as roaring's portable serialization (RoaringFormatSpec: cookie 12346, no run
// containers; per container its key and cardinality - 1, then its offset; then arrays of
// 16-bit values, or 8 KiB bitsets above 4096 values) and read back by the library: a pass
// over the docs instead of a container lookup and insert per doc in
// roaring_bitmap_add_many (3.6% of indexing's instructions when postings were written).
Bitmap Bitmap::from_sorted(const uint32_t* docs, size_t n) {
  auto added_one_by_one = [&] {
    Bitmap b;
    roaring_bitmap_add_many(b.r_, n, docs);
    return b;
  };
  constexpr size_t kFew = 32;  // fewer docs: adding them is as cheap
  bool increasing = n >= kFew;
  for (size_t i = 1; increasing && i < n; ++i) increasing = docs[i] > docs[i - 1];
  if (!increasing) return added_one_by_one();
  struct Container {
    uint32_t key, first, card;
  };
  thread_local std::vector<Container> containers;
  thread_local std::vector<char> buf;
  containers.clear();
  size_t data_bytes = 0;
  for (size_t i = 0; i < n;) {
    const uint32_t key = docs[i] >> 16;
    size_t j = i + 1;
    while (j < n && docs[j] >> 16 == key) ++j;
    const auto card = static_cast<uint32_t>(j - i);
    containers.push_back({key, static_cast<uint32_t>(i), card});
    data_bytes += card <= 4096 ? 2 * size_t{card} : 8192;
    i = j;
  }
  const size_t k = containers.size();
  const size_t header = 8 + 4 * k + 4 * k;
  buf.assign(header + data_bytes, 0);
  char* p = buf.data();
  auto put32 = [](char* at, uint32_t v) { std::memcpy(at, &v, 4); };
  auto put16 = [](char* at, uint16_t v) { std::memcpy(at, &v, 2); };
  put32(p, 12346);
  put32(p + 4, static_cast<uint32_t>(k));
  size_t offset = header;
  for (size_t c = 0; c < k; ++c) {
    const Container& ct = containers[c];
    put16(p + 8 + 4 * c, static_cast<uint16_t>(ct.key));
    put16(p + 8 + 4 * c + 2, static_cast<uint16_t>(ct.card - 1));
    put32(p + 8 + 4 * k + 4 * c, static_cast<uint32_t>(offset));
    char* data = p + offset;
    const uint32_t* d = docs + ct.first;
    if (ct.card <= 4096) {
      for (uint32_t i = 0; i < ct.card; ++i) put16(data + 2 * i, static_cast<uint16_t>(d[i]));
      offset += 2 * size_t{ct.card};
    } else {
      uint64_t words[1024] = {};
      for (uint32_t i = 0; i < ct.card; ++i) words[(d[i] & 0xFFFF) >> 6] |= 1ull << (d[i] & 63);
      std::memcpy(data, words, sizeof words);
      offset += 8192;
    }
  }
  roaring_bitmap_t* r = roaring_bitmap_portable_deserialize_safe(buf.data(), buf.size());
  // Not expected: the library refused bytes built to its spec.
  if (r == nullptr) return added_one_by_one();
  return Bitmap(r, false);
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
