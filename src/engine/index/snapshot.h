// IndexSnapshot: what a reader sees of one index at one moment: an immutable list of
// segments, each with its tombstones, plus the mapping. Readers hold it by shared_ptr and
// never block writers; a refresh publishes a new snapshot (copy-on-write).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/index/segment_reader.h"
#include "engine/query/bitmap.h"
#include "engine/schema/mapping.h"

namespace comptoir::engine {

struct SegmentView {
  uint64_t id = 0;  // segment generation, unique within the index
  std::shared_ptr<const SegmentReader> reader;
  std::shared_ptr<const Bitmap> deleted;  // never null

  uint64_t live_docs() const { return reader->doc_count() - deleted->cardinality(); }
};

struct IndexSnapshot {
  std::string index;
  std::shared_ptr<const Mapping> mapping;
  std::vector<SegmentView> segments;

  uint64_t live_docs() const {
    uint64_t n = 0;
    for (const auto& s : segments) n += s.live_docs();
    return n;
  }
  uint64_t deleted_docs() const {
    uint64_t n = 0;
    for (const auto& s : segments) n += s.deleted->cardinality();
    return n;
  }
};

using SnapshotPtr = std::shared_ptr<const IndexSnapshot>;

}  // namespace comptoir::engine
