// CSV output as RFC 4180 writes it and spreadsheets read it safely: fields separated
// by commas, rows ended by CRLF, a field quoted (and its quotes doubled) when it holds
// a comma, a quote, CR or LF. A cell starting with `=`, `+`, `-`, `@`, tab or CR gets a
// leading `'` so that a spreadsheet shows it as text instead of running it as a
// formula (OWASP's CSV injection advice). Bytes pass through unchanged (UTF-8 in,
// UTF-8 out).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace comptoir {

// Appends one cell (no separator).
void append_csv_cell(std::string& out, std::string_view value);

// Appends the cells separated by commas, then CRLF.
void append_csv_row(std::string& out, std::span<const std::string_view> cells);

}  // namespace comptoir
