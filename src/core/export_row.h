// ExportRow: the cells of one row of the CSV export, each column's text for one hit: a
// log field (log_row.h: the first of its keys present and not null), the hit's id or
// index, or any source value by key, else by dotted path through nested objects (a
// string as is, null as empty, any other value as its JSON text). When the backend hands
// over the stored `_source` text (the embedded engine does for scans), the cells are read
// from it in one pass (json_scan.h), as views into the text unless a value holds escapes:
// no tree and no allocation per row. Otherwise, or when the scan cannot read the text,
// they are read from the parsed source, with the same result.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/log_row.h"
#include "engine/dsl/search_response.h"
#include "util/result.h"

namespace comptoir {

struct ExportColumn {
  enum class Kind { kLogField, kId, kIndex, kSourceField };
  Kind kind = Kind::kLogField;
  LogField field = LogField::kTimestamp;  // kLogField
  std::string name;                       // kSourceField: the source key or dotted path
  std::string header;
};

class ExportRow {
 public:
  explicit ExportRow(std::vector<ExportColumn> columns);

  const std::vector<ExportColumn>& columns() const { return columns_; }

  // Reads the cells of `hit`. They view `hit` or this row, until the next read or until
  // `hit` changes. Corruption when the hit's source text is not JSON.
  Status read(const engine::SearchHit& hit);
  std::span<const std::string_view> cells() const { return cells_; }

 private:
  // Where each column looks: slots index keys_, the top-level keys read from the text.
  struct Lookup {
    std::vector<uint32_t> slots;    // kLogField: its keys; kSourceField: the name, then
                                    // the first part of a dotted name
    std::vector<std::string> path;  // kSourceField: the parts of a dotted name
  };

  uint32_t slot(std::string_view key);
  bool read_text(const engine::SearchHit& hit);  // false: the text needs a parser
  void read_tree(const engine::SearchHit& hit, const boost::json::value& source);

  std::vector<ExportColumn> columns_;
  std::vector<Lookup> lookups_;
  std::vector<std::string> keys_;
  std::vector<std::vector<uint32_t>> slots_by_length_;  // keys_ by their length
  std::vector<std::string_view> raw_;  // per key: its raw value in the text being read
  std::vector<std::string> values_;    // per column: text made for its cell
  std::vector<std::string_view> cells_;
  std::string key_scratch_;
};

}  // namespace comptoir
