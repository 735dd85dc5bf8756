// SegmentWriter: serialises one segment in the format of segment_format.h, section by
// section, for the two producers of segments: SegmentBuilder::finish() (fresh documents)
// and SegmentMerger (merged segments). Fields are written one after the other; finish()
// appends the stored documents, the meta and the footer.
#pragma once

#include <boost/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/index/segment_format.h"
#include "engine/store/stored_fields.h"

namespace comptoir::engine {

// The postings of a field's terms, in dictionary order and back to back: term i's docs
// (ascending) are docs[starts[i], starts[i + 1]), text fields' frequencies in step.
struct PostingsTable {
  std::span<const uint32_t> docs;
  std::span<const uint8_t> freqs;
  std::span<const uint64_t> starts;  // one per term, and the end
  std::span<const uint32_t> of(uint32_t i) const {
    return docs.subspan(starts[i], starts[i + 1] - starts[i]);
  }
  std::span<const uint8_t> freqs_of(uint32_t i) const {
    return freqs.subspan(starts[i], starts[i + 1] - starts[i]);
  }
};

struct SegmentWriterOptions {
  // Large term dictionaries in the block-compressed form (term_blocks.h); false keeps
  // every dictionary plain, as segments were written before that form existed.
  //
  // On for refreshes too, not only merges: compressing costs about 0.55 us per term of a
  // Message.keyword-like dictionary (BM_WriteMessageTerms: +5 ms for 10k terms, +55-62 ms
  // for 100k), i.e. ~5 ms on the 50-80 ms bulk + refresh of a 10k-document upload
  // (BM_BulkInMemory/10000), while refreshes write most of an index's bytes: the
  // 1M-document engine bench ends with 7-12 refresh-sized segments that no merge has
  // touched, and merge-only compression would leave them, and its size ratio (1.20), as
  // they were. SegmentBuilder::finish() can pass {.compress_terms = false} to trade back.
  bool compress_terms = true;
  // The segment's likely size, reserved up front (the output then never moves as it
  // grows); 0: grown as written.
  size_t expected_bytes = 0;
};

class SegmentWriter {
 public:
  explicit SegmentWriter(SegmentWriterOptions options = {});
  // A writer of field sections only, without the segment's header, for another thread
  // to fill while this one writes its own fields: append_part() then moves its sections
  // to the end of this writer's.
  struct Part {};
  SegmentWriter(SegmentWriterOptions options, Part);
  SegmentWriter(const SegmentWriter&) = delete;  // w_ refers to bytes_
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // A text/keyword/_id field: sorted terms and their postings.
  void write_terms(boost::json::object& meta, const std::vector<std::string_view>& sorted_terms,
                   bool text, const PostingsTable& postings);
  void write_norms(boost::json::object& meta, const std::vector<uint8_t>& norms);
  void write_exists(boost::json::object& meta, const std::vector<uint32_t>& sorted_docs);
  // A doc-value column from (doc, value) pairs in doc order (several per doc = multi).
  template <typename T>
  void write_column(boost::json::object& meta, uint32_t doc_count,
                    const std::vector<uint32_t>& docs, const std::vector<T>& values, T missing);
  void add_field(boost::json::object meta) { fields_.push_back(std::move(meta)); }
  // Appends the sections of `part` (a Part writer, its fields not added to it), at a
  // section boundary, and moves every offset they hold by where they land: the offsets
  // in `metas` (the metas of the fields written to it, to add_field() afterwards) and
  // the postings tables they point to.
  void append_part(SegmentWriter&& part, std::span<boost::json::object* const> metas);

  SegmentBytes finish(uint32_t doc_count, StoredFieldsWriter& stored);

 private:
  SegmentWriterOptions options_;
  SegmentBytes bytes_;
  ByteWriter w_;
  boost::json::array fields_;
};

extern template void SegmentWriter::write_column<uint32_t>(boost::json::object&, uint32_t,
                                                           const std::vector<uint32_t>&,
                                                           const std::vector<uint32_t>&, uint32_t);
extern template void SegmentWriter::write_column<int64_t>(boost::json::object&, uint32_t,
                                                          const std::vector<uint32_t>&,
                                                          const std::vector<int64_t>&, int64_t);
extern template void SegmentWriter::write_column<double>(boost::json::object&, uint32_t,
                                                         const std::vector<uint32_t>&,
                                                         const std::vector<double>&, double);

}  // namespace comptoir::engine
