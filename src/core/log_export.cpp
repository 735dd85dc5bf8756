// LogCsvExport: columns, and the page-at-a-time CSV.
#include "core/log_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/csv_writer.h"
#include "util/json_text.h"

namespace comptoir {

namespace json = boost::json;

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
  return Error::invalid_fields("invalid columns: " + problem, {{"columns", std::move(problem)}});
}

// A source value by key, else by dotted path through nested objects.
const json::value* source_value(const json::value& source, const std::string& name) {
  const json::object* o = source.if_object();
  if (o == nullptr) return nullptr;
  if (auto it = o->find(name); it != o->end()) return &it->value();
  const json::value* v = &source;
  size_t start = 0;
  while (start <= name.size()) {
    const size_t dot = std::min(name.find('.', start), name.size());
    const json::object* obj = v->if_object();
    if (obj == nullptr) return nullptr;
    auto it = obj->find(std::string_view(name).substr(start, dot - start));
    if (it == obj->end()) return nullptr;
    v = &it->value();
    start = dot + 1;
  }
  return v;
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

void LogCsvExport::append_page(std::string& out) {
  static const json::value kEmpty = json::object();
  std::vector<std::string> values(columns_.size());
  std::vector<std::string_view> cells(columns_.size());
  for (const auto& hit : page_) {
    const json::value& source = hit.source ? *hit.source : kEmpty;
    for (size_t i = 0; i < columns_.size(); ++i) {
      const ExportColumn& c = columns_[i];
      switch (c.kind) {
        case ExportColumn::Kind::kLogField:
          values[i] = log_field(source, c.field).value_or("");
          break;
        case ExportColumn::Kind::kId:
          values[i] = hit.id;
          break;
        case ExportColumn::Kind::kIndex:
          values[i] = hit.index;
          break;
        case ExportColumn::Kind::kSourceField: {
          const json::value* v = source_value(source, c.name);
          if (v == nullptr || v->is_null()) {
            values[i].clear();
          } else if (const json::string* s = v->if_string()) {
            values[i].assign(s->data(), s->size());
          } else {
            values[i] = to_json_text(*v);
          }
          break;
        }
      }
      cells[i] = values[i];
    }
    append_csv_row(out, cells);
    ++rows_;
  }
}

Result<bool> LogCsvExport::next(std::string& out) {
  if (!header_written_) {
    std::vector<std::string_view> headers;
    for (const auto& c : columns_) headers.push_back(c.header);
    append_csv_row(out, headers);
    header_written_ = true;
  }
  if (finished_) return false;
  append_page(out);
  auto page = cursor_->next_page();
  COMPTOIR_TRY(page);
  page_ = std::move(*page);
  if (page_.empty()) finished_ = true;
  return !finished_;
}

}  // namespace comptoir
