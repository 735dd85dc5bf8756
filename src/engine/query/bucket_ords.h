// BucketOrds: dense bucket ordinals for (parent bucket, key) pairs, as Elasticsearch's
// LongKeyedBucketOrds. Bucket aggregators under another bucket aggregation see the same
// key under many parents; each pair gets its own ordinal, which their sub-aggregators
// use as the owner. Keys are 64-bit (an interned term id, an integer, or double bits).
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace comptoir::engine {

class BucketOrds {
 public:
  // The ordinal of (owner, key), created on first sight; `created` says whether it was.
  uint32_t add(uint32_t owner, uint64_t key, bool* created = nullptr) {
    auto [it, inserted] = map_.try_emplace(Pair{owner, key}, static_cast<uint32_t>(owners_.size()));
    if (inserted) {
      owners_.push_back(owner);
      keys_.push_back(key);
      by_owner_built_ = false;
    }
    if (created) *created = inserted;
    return it->second;
  }
  std::optional<uint32_t> find(uint32_t owner, uint64_t key) const {
    auto it = map_.find(Pair{owner, key});
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  size_t size() const { return owners_.size(); }
  uint64_t key(uint32_t ord) const { return keys_[ord]; }
  uint32_t owner(uint32_t ord) const { return owners_[ord]; }

  // The ordinals of one owner, in creation order.
  const std::vector<uint32_t>& of_owner(uint32_t owner) {
    if (!by_owner_built_) {
      by_owner_.clear();
      for (uint32_t o = 0; o < owners_.size(); ++o) {
        if (owners_[o] >= by_owner_.size()) by_owner_.resize(owners_[o] + 1);
        by_owner_[owners_[o]].push_back(o);
      }
      by_owner_built_ = true;
    }
    static const std::vector<uint32_t> kNone;
    return owner < by_owner_.size() ? by_owner_[owner] : kNone;
  }

 private:
  struct Pair {
    uint32_t owner;
    uint64_t key;
    bool operator==(const Pair&) const = default;
  };
  struct Hash {
    size_t operator()(const Pair& p) const {
      uint64_t h = p.key * 0x9E3779B97F4A7C15ull ^ (uint64_t{p.owner} * 0xC2B2AE3D27D4EB4Full);
      return static_cast<size_t>(h ^ (h >> 31));
    }
  };
  std::unordered_map<Pair, uint32_t, Hash> map_;
  std::vector<uint32_t> owners_;
  std::vector<uint64_t> keys_;
  std::vector<std::vector<uint32_t>> by_owner_;
  bool by_owner_built_ = false;
};

}  // namespace comptoir::engine
