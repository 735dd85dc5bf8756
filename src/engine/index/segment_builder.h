// SegmentBuilder: the in-memory segment that receives parsed documents (inverting text
// into postings with term frequencies and norms, keywords into postings and per-doc
// values, numbers into columns), and SegmentWriter's job: finish() serialises it into
// the immutable segment format of segment_format.h.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/analysis/standard_analyzer.h"
#include "engine/index/document_parser.h"
#include "engine/index/segment_writer.h"
#include "engine/query/bitmap.h"
#include "engine/store/source_refs.h"
#include "engine/store/stored_fields.h"

namespace comptoir::engine {

class SegmentBuilder {
 public:
  // Terms per field, by name.
  using TermCounts = std::unordered_map<std::string, size_t>;
  // `expected_terms`: the term counts a segment of this index reached (term_counts() of
  // the builder before): its fields' tables are sized for them at once. An index's
  // segments look alike, and a table grown from empty (a 10k-document upload's unique
  // messages, ids, addresses) is rehashed and copied a dozen times on the way.
  explicit SegmentBuilder(TermCounts expected_terms = {});
  ~SegmentBuilder();
  SegmentBuilder(const SegmentBuilder&) = delete;
  SegmentBuilder& operator=(const SegmentBuilder&) = delete;

  // Adds a document; returns its doc number in this segment.
  uint32_t add(const ParsedDocument& doc);
  uint32_t doc_count() const { return doc_count_; }
  bool empty() const { return doc_count_ == 0; }
  size_t memory_bytes() const { return memory_bytes_; }
  // The doc holding `id` (latest one if added twice), if any.
  std::optional<uint32_t> find_id(std::string_view id) const;

  TermCounts term_counts() const;

  // The stored blocks of documents added meanwhile are compressed by help_compress()
  // calls from another thread, not by a worker of their own (StoredFieldsWriter).
  void set_compression_helped(bool helped) { stored_.set_compression_helped(helped); }
  bool help_compress() { return stored_.help_compress(); }

  // Serialises the segment. The builder is left empty, expecting as many terms again.
  // `two_threads`: the caller waits for it (a refresh an upload asked for): the term
  // fields are prepared and written on two threads (SegmentWriter::append_part).
  SegmentBytes finish(SegmentWriterOptions options = {}, bool two_threads = false);

 private:
  struct TermField;
  struct ColumnField;
  struct PreparedTerms;
  static PreparedTerms prepare(TermField& f);
  TermField& term_field(const std::string& name, bool text);
  ColumnField& column_field(const std::string& name, bool is_double, FieldType type);
  // The fields of the i-th ParsedField of the last documents: documents repeat the same
  // fields in the same order, so the parser's identity of the field (its definition under
  // one mapping version), or else a name compare, replaces a hash lookup.
  struct FieldSlot {
    std::string name;
    const void* def = nullptr;
    uint64_t version = 0;  // 0: no identity, compare names
    TermField* term = nullptr;
    ColumnField* column = nullptr;
  };
  FieldSlot& slot(size_t i, const ParsedField& f);
  TermField& slot_term(size_t i, const ParsedField& f, bool text);
  ColumnField& slot_column(size_t i, const ParsedField& f, bool is_double);

  // A field's table is sized at most for this many terms from the start (its hash slots
  // are then 32 MiB, written at once); past it, it grows as before.
  static constexpr size_t kMaxExpectedTerms = size_t{1} << 20;
  TermCounts expected_terms_;
  std::vector<std::unique_ptr<TermField>> term_fields_;
  std::vector<std::unique_ptr<ColumnField>> column_fields_;
  std::unordered_map<std::string, size_t> term_index_, column_index_;
  std::vector<FieldSlot> slots_;
  // The document's single values its columns will hold, for its stored form
  // (store/source_refs.h); number texts are written into ref_texts_.
  std::string_view stored_source(const ParsedDocument& doc);
  SourceRefEncoder refs_;
  std::vector<SourceRefValue> ref_values_;
  std::vector<std::string> ref_texts_;
  TermField* id_field_ = nullptr;
  StoredFieldsWriter stored_;
  uint32_t doc_count_ = 0;
  TokenBuffer tokens_;
  std::vector<uint64_t> value_hashes_, token_hashes_;  // add()'s term hashes, reused
  std::vector<TermField*> keyword_fields_;             // add()'s keyword fields, in order
  size_t memory_bytes_ = 0;
};

}  // namespace comptoir::engine
