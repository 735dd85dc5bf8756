// LogCsvExport: every log event matching the filters as CSV, produced a piece at a
// time so that an export of any size runs in constant memory: the HTTP answer and
// `comptoir export` write each piece before asking for the next. Rows come from a
// scan (SearchBackend::scan), newest first like a default search; the header is
// `Timestamp,Level,Service,Message,User` unless other columns are chosen. Cells are
// read by export_row (from the stored source text when the backend hands it over) and
// written by csv_writer (RFC 4180, formula guard).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/export_row.h"
#include "core/log_search.h"
#include "util/result.h"

namespace comptoir {

inline constexpr size_t kMaxExportColumns = 50;

// Timestamp, Level, Service, Message, User.
std::vector<ExportColumn> default_export_columns();

// A comma list: timestamp, level, service, message, user, id, index (any case), or
// the name of any source field. Empty: the default columns. Errors name `columns`.
Result<std::vector<ExportColumn>> parse_export_columns(std::string_view list);

class LogCsvExport {
 public:
  // Starts the scan and reads its first page, so that a bad filter or a backend that
  // is down fails here, before anything is written.
  static Result<std::unique_ptr<LogCsvExport>> open(LogSearch& logs, const LogFilters& filters,
                                                    std::vector<ExportColumn> columns,
                                                    int64_t page_size = 10000);

  // Appends the next piece (the header and the first page, then a page at a time) to
  // `out`; false once the piece appended is the last one.
  Result<bool> next(std::string& out);

  uint64_t rows() const { return rows_; }

 private:
  LogCsvExport(std::unique_ptr<ScanCursor> cursor, std::vector<ExportColumn> columns,
               std::vector<engine::SearchHit> first_page)
      : cursor_(std::move(cursor)), row_(std::move(columns)), page_(std::move(first_page)) {}

  Status append_page(std::string& out);

  std::unique_ptr<ScanCursor> cursor_;
  ExportRow row_;
  std::vector<engine::SearchHit> page_;
  bool header_written_ = false;
  bool finished_ = false;
  uint64_t rows_ = 0;
};

}  // namespace comptoir
