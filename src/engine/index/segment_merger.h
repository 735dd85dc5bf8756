// SegmentMerger: merges segments at the structure level (no re-parsing, no re-analysis):
// live documents are renumbered in input order, term dictionaries are k-way merged,
// postings/frequencies/norms/doc values are remapped and stored documents recompressed.
// Used by the index's tiered background merge.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/index/segment_reader.h"
#include "engine/query/bitmap.h"
#include "util/result.h"

namespace comptoir::engine {

struct MergeInput {
  std::shared_ptr<const SegmentReader> reader;
  std::shared_ptr<const Bitmap> deleted;  // never null
};

// The bytes of one segment holding the live documents of `inputs`, in order.
Result<SegmentBytes> merge_segments(const std::vector<MergeInput>& inputs);

}  // namespace comptoir::engine
