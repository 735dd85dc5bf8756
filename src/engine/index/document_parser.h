// DocumentParser: turns one JSON _source into typed field values following the mapping
// (objects flattened to dotted names, arrays multi-valued, multi-fields filled, ES's
// coercions), growing the mapping dynamically. A value that does not fit its field is a
// per-document "document_parsing_exception" error; the mapping is then left untouched.
// Indexing's hot path: the parsed document is the parser's own, reused from one document
// to the next (its vectors keep their capacity, strings are views into the parse), so a
// document costs no allocation once the parser is warm.
#pragma once

#include <simdjson.h>

#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/schema/mapping.h"
#include "util/fast_hash.h"
#include "util/result.h"

namespace comptoir::engine {

struct ParsedField {
  std::string name;
  const void* def = nullptr;  // the parser's identity of the field (its FieldDef)
  uint64_t version = 0;       // the mapping version `def` and `name` were taken under (0: none)
  FieldType type = FieldType::kKeyword;
  std::vector<std::string_view> strings;  // text and keyword values
  std::vector<int64_t> ints;              // long, integer, date (epoch ms), boolean (0/1)
  std::vector<double> doubles;            // double, float
};

// Views into the source and id given to parse(): valid while they live and until the
// parser's next parse().
class ParsedDocument {
 public:
  static constexpr uint32_t kNoOrd = UINT32_MAX;

  std::string_view id;
  std::string_view source;
  std::span<const ParsedField> fields() const { return {fields_.data(), count_}; }

 private:
  friend class DocumentParser;
  std::vector<ParsedField> fields_;  // the first count_ are this document's
  size_t count_ = 0;
  uint64_t seen_ = 0;              // a bit per field identity entered (DocumentParser::Ctx::field)
  std::deque<std::string> owned_;  // values written out (numbers indexed as strings)
  // Where each known field (by the parser's ordinal of its FieldDef) is among fields_,
  // if `serial` is this document's: a field is found without a scan.
  struct OrdSlot {
    uint64_t serial = 0;
    uint32_t slot = 0;
  };
  std::vector<OrdSlot> ord_slots_;
  uint64_t serial_ = 0;     // this document's number, counted from 1
  bool ords_valid_ = true;  // false once the lookup caches start over within the document
};

class DocumentParser {
 public:
  // Bytes past a source's end that let it be parsed where it is (simdjson reads that far
  // ahead); a source with fewer is copied first.
  static constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;

  // Parses `source`; new dynamic fields are added to `mapping` only if the whole
  // document parses. `id` is only used in error messages and viewed by the result.
  // `readable_past_end`: how many bytes after the source may be read (see kPadding).
  Result<const ParsedDocument*> parse(std::string_view source, std::string_view id,
                                      Mapping& mapping, size_t readable_past_end = 0);
  // The bytes past a string's end that may be read: its spare capacity.
  static size_t readable_past_end(const std::string& s) { return s.capacity() - s.size(); }

 private:
  struct Ctx;
  Status walk_object(Ctx& ctx, simdjson::dom::object obj, std::string_view prefix);
  Status add_value(Ctx& ctx, std::string_view path, simdjson::dom::element v);

  // The mapping's answers for a path (its field, whether it is an object), cached while
  // the mapping keeps its version: documents repeat the same few paths, and a lookup in
  // the mapping's ordered map compares strings at every level.
  struct PathLookup {
    const FieldDef* def = nullptr;
    bool is_object = false;
    bool disabled = false;                  // under an object with "enabled": false: skipped
    uint32_t ord = ParsedDocument::kNoOrd;  // def's ordinal (def_ords_)
    struct MultiField {
      const FieldDef* def;
      uint32_t ord;
    };
    std::vector<MultiField> multi_fields;  // def's, as found in the mapping
  };
  const PathLookup& lookup(const Mapping& mapping, std::string_view path);
  // The n-th lookup of the last documents, by position: documents repeat the same keys
  // in the same order, so one compare usually replaces the hash lookup.
  struct RecentLookup {
    std::string path;
    const PathLookup* lookup = nullptr;
  };
  std::vector<RecentLookup> recent_;
  size_t lookups_in_doc_ = 0;

  simdjson::dom::parser parser_;
  ParsedDocument doc_;
  std::unordered_map<std::string, PathLookup, FastStringHash, std::equal_to<>> lookups_;
  uint64_t lookups_version_ = 0;
  // A dense number per FieldDef the lookups found, starting over with them: where the
  // document holds a field is then an array read (ParsedDocument::ord_slots_).
  uint32_t ord_of(const FieldDef* def);
  std::unordered_map<const FieldDef*, uint32_t> def_ords_;
};

}  // namespace comptoir::engine
