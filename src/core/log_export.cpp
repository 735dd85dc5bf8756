// LogCsvExport: columns, and the page-at-a-time CSV.
#include "core/log_export.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/csv_writer.h"

namespace comptoir {

namespace {

constexpr size_t kMaxColumnNameBytes = 128;

struct KnownColumn {
  std::string_view name;
  ExportColumn::Kind kind;
  LogField field;
  std::string_view header;
};

constexpr KnownColumn kKnownColumns[] = {
    {"timestamp", ExportColumn::Kind::kLogField, LogField::kTimestamp, "Timestamp"},
    {"level", ExportColumn::Kind::kLogField, LogField::kLevel, "Level"},
    {"service", ExportColumn::Kind::kLogField, LogField::kService, "Service"},
    {"message", ExportColumn::Kind::kLogField, LogField::kMessage, "Message"},
    {"user", ExportColumn::Kind::kLogField, LogField::kUser, "User"},
    {"id", ExportColumn::Kind::kId, LogField::kTimestamp, "Id"},
    {"index", ExportColumn::Kind::kIndex, LogField::kTimestamp, "Index"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Error bad_columns(std::string problem) {
  // The message is made first: arguments are evaluated in no set order.
  std::string message = "invalid columns: " + problem;
  return Error::invalid_fields(std::move(message), {{"columns", std::move(problem)}});
}

}  // namespace

std::vector<ExportColumn> default_export_columns() {
  std::vector<ExportColumn> out;
  for (size_t i = 0; i < 5; ++i) {
    const auto& k = kKnownColumns[i];
    out.push_back({k.kind, k.field, std::string(k.name), std::string(k.header)});
  }
  return out;
}

Result<std::vector<ExportColumn>> parse_export_columns(std::string_view list) {
  std::vector<ExportColumn> out;
  size_t start = 0;
  bool any = false;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    std::string_view name = list.substr(start, comma - start);
    start = comma + 1;
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) {
      if (list.find_first_not_of(' ') == std::string_view::npos) break;
      return bad_columns("a column name is empty");
    }
    any = true;
    if (name.size() > kMaxColumnNameBytes) {
      return bad_columns(fmt::format("column names are at most {} bytes", kMaxColumnNameBytes));
    }
    ExportColumn col;
    const std::string key = lower(name);
    auto known = std::find_if(std::begin(kKnownColumns), std::end(kKnownColumns),
                              [&](const KnownColumn& k) { return k.name == key; });
    if (known != std::end(kKnownColumns)) {
      col = {known->kind, known->field, std::string(known->name), std::string(known->header)};
    } else {
      col = {ExportColumn::Kind::kSourceField, LogField::kTimestamp, std::string(name),
             std::string(name)};
    }
    for (const auto& c : out) {
      if (c.kind == col.kind && c.field == col.field && c.name == col.name) {
        return bad_columns(fmt::format("column '{}' appears twice", name));
      }
    }
    out.push_back(std::move(col));
    if (out.size() > kMaxExportColumns) {
      return bad_columns(fmt::format("at most {} columns", kMaxExportColumns));
    }
  }
  if (!any) return default_export_columns();
  return out;
}

Result<std::unique_ptr<LogCsvExport>> LogCsvExport::open(LogSearch& logs, const LogFilters& filters,
                                                         std::vector<ExportColumn> columns,
                                                         int64_t page_size) {
  auto cursor = logs.scan(filters, page_size);
  COMPTOIR_TRY(cursor);
  auto first = (*cursor)->next_page();
  COMPTOIR_TRY(first);
  return std::unique_ptr<LogCsvExport>(
      new LogCsvExport(std::move(*cursor), std::move(columns), std::move(*first)));
}

Status LogCsvExport::append_page(std::string& out) {
  for (const auto& hit : page_) {
    COMPTOIR_TRY(row_.read(hit));
    append_csv_row(out, row_.cells());
    ++rows_;
  }
  return {};
}

Result<bool> LogCsvExport::next(std::string& out) {
  if (!header_written_) {
    std::vector<std::string_view> headers;
    for (const auto& c : row_.columns()) headers.push_back(c.header);
    append_csv_row(out, headers);
    header_written_ = true;
  }
  if (finished_) return false;
  COMPTOIR_TRY(append_page(out));
  auto page = cursor_->next_page();
  COMPTOIR_TRY(page);
  page_ = std::move(*page);
  if (page_.empty()) finished_ = true;
  return !finished_;
}

}  // namespace comptoir
