// GlobalOrdinals: one ordinal space for a keyword field across every segment of the
// searched indices, as Lucene's global ordinals. Each segment's sorted term dictionary
// is merged once per search; a segment ordinal then maps to a global ordinal with one
// array lookup, and global ordinals sort like their terms. Terms aggregations at the
// top level count into dense arrays indexed by global ordinal, with no hashing or
// string copies, and resolve only the terms they print.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/index/snapshot.h"

namespace comptoir::engine {

class GlobalOrdinals {
 public:
  GlobalOrdinals(const std::vector<SnapshotPtr>& indices, std::string_view field);

  uint32_t size() const { return static_cast<uint32_t>(terms_.size()); }
  std::string_view term(uint32_t global) const { return terms_[global]; }
  // The global ordinal of `term`, if some segment has it.
  std::optional<uint32_t> find(std::string_view term) const;
  // Segment ordinal → global ordinal for segment `segment_no` of index `index_no`;
  // empty when that segment has no such field.
  const std::vector<uint32_t>& segment_map(uint32_t index_no, uint32_t segment_no) const {
    return maps_[index_no][segment_no];
  }

 private:
  std::vector<std::string_view> terms_;  // views into the segments (held by the snapshots)
  std::vector<std::vector<std::vector<uint32_t>>> maps_;
};

}  // namespace comptoir::engine
