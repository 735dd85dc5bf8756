// CsvReader: RFC 4180 records out of a text buffer, as string_views into it.
//
// Quoted fields may hold delimiters, doubled quotes and line breaks; records end
// at CRLF, LF or a lone CR (mixed endings are fine). Leniencies: a quote inside an
// unquoted field is literal, text after a closing quote is appended. A quoted field
// still open at the end of the text is an error for the record where it opened,
// and reading resumes on the line after that one, so one stray quote costs one
// row, not the rest of the file. Only fields with doubled quotes are copied (into
// a per-record scratch buffer); all other fields point into the input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/byte_scan.h"

namespace comptoir::ingest {

// The delimiter among , ; TAB | that splits the first lines into the most equal,
// non-zero column counts (',' when none does).
char sniff_csv_delimiter(std::string_view text);

struct CsvRecord {
  std::vector<std::string_view> fields;
  uint64_t line = 0;  // 1-based physical line where the record starts
  size_t bytes = 0;   // of the text it spans, line break excluded: no field is longer
  bool blank() const { return fields.size() == 1 && fields[0].empty(); }
};

class CsvReader {
 public:
  enum class Status { kRecord, kEnd, kError };

  CsvReader(std::string_view text, char delimiter);

  // The next record. kError: `error()` says why and `record.line` where; the
  // reader has moved past the damage and may be called again.
  Status next(CsvRecord& record);
  const std::string& error() const { return error_; }

 private:
  struct Span {
    bool in_scratch;
    size_t offset;
    size_t length;
  };
  struct ScratchField {
    size_t field;  // index in the record
    size_t offset;
    size_t length;
  };

  bool read_quoted(size_t& pos, Span& span);
  void end_record(size_t& pos);

  std::string_view text_;
  char delim_;
  StopFinder field_ends_;  // delimiters and line breaks
  size_t pos_ = 0;
  uint64_t line_ = 1;
  std::string scratch_;
  std::vector<ScratchField> in_scratch_;
  std::string error_;
};

}  // namespace comptoir::ingest
