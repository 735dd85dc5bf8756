// RFC 4180 cells with the formula guard.
#include "core/csv_writer.h"

#include "util/byte_search.h"

namespace comptoir {

namespace {

bool starts_formula(std::string_view v) {
  if (v.empty()) return false;
  switch (v.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

// Does the cell hold a comma, a quote, CR or LF?
bool needs_quotes(std::string_view v) {
  const char* end = v.data() + v.size();
  return find_byte<false, ',', '"', '\r', '\n'>(v.data(), end) != end;
}

}  // namespace

void append_csv_cell(std::string& out, std::string_view value) {
  const bool guard = starts_formula(value);
  const bool quote = needs_quotes(value);
  if (!quote) {
    if (guard) out.push_back('\'');
    out.append(value);
    return;
  }
  out.push_back('"');
  if (guard) out.push_back('\'');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_csv_row(std::string& out, std::span<const std::string_view> cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_csv_cell(out, cells[i]);
  }
  out.append("\r\n");
}

}  // namespace comptoir
