// CSV → documents: header, column kinds, rows.
#include "ingest/csv_parser.h"

#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "ingest/csv_reader.h"
#include "ingest/log_fields.h"
#include "ingest/sales_fields.h"
#include "ingest/typed_value.h"

namespace comptoir::ingest {

namespace json = boost::json;

namespace {

std::vector<std::string> header_names(const CsvRecord& record) {
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    std::string base(trim(record.fields[i]));
    if (base.empty()) base = fmt::format("column_{}", i + 1);
    std::string name = base;
    for (int n = 2; seen.count(name) != 0; ++n) name = fmt::format("{}_{}", base, n);
    seen.insert(name);
    names.push_back(std::move(name));
  }
  return names;
}

// Why a row cannot be used, or "" when it can.
std::string row_problem(const CsvRecord& record, size_t columns, size_t max_field_bytes) {
  if (record.fields.size() > columns) {
    for (size_t i = columns; i < record.fields.size(); ++i) {
      if (!trim(record.fields[i]).empty()) {
        return fmt::format("row has {} fields, the header has {}", record.fields.size(), columns);
      }
    }
  }
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].size() > max_field_bytes) {
      return fmt::format("field {} is {} bytes, over the limit of {}", i + 1,
                         record.fields[i].size(), max_field_bytes);
    }
  }
  return "";
}

}  // namespace

Status parse_csv(std::string_view text, const TimeContext& time, DocumentEmitter& out) {
  const size_t max_field = out.options().max_field_bytes;
  const char delimiter = sniff_csv_delimiter(text);
  CsvRecord record;

  // Header.
  CsvReader reader(text, delimiter);
  std::vector<std::string> names;
  for (;;) {
    const auto status = reader.next(record);
    if (status == CsvReader::Status::kEnd) return {};
    if (status == CsvReader::Status::kError) {
      return Error::invalid(fmt::format("CSV header: {}", reader.error()));
    }
    if (record.blank()) {
      ++out.summary().blank_lines;
      continue;
    }
    names = header_names(record);
    break;
  }
  const size_t columns = names.size();
  const CsvReader after_header = reader;
  std::vector<std::string_view> name_views(names.begin(), names.end());
  const SalesFieldMap sales = SalesFieldMap::resolve(name_views);
  const LogFieldMap logs = LogFieldMap::resolve(name_views);
  const bool is_sales = sales.layout() != SalesLayout::kNone;
  out.summary().kind = is_sales ? DocumentKind::kSalesLine : DocumentKind::kLogEvent;

  // Pass 1: one kind per column over the rows pass 2 will accept.
  std::vector<ValueKind> kinds(columns, ValueKind::kEmpty);
  for (;;) {
    const auto status = reader.next(record);
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kError || record.blank()) continue;
    if (!row_problem(record, columns, max_field).empty()) continue;
    const size_t n = std::min(columns, record.fields.size());
    for (size_t i = 0; i < n; ++i) {
      if (kinds[i] != ValueKind::kText)
        kinds[i] = widen(kinds[i], classify_value(record.fields[i]));
    }
  }

  // Pass 2: documents. Keys are built once.
  std::vector<json::string> keys(names.begin(), names.end());
  reader = after_header;
  for (;;) {
    const auto status = reader.next(record);
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kError) {
      out.reject(record.line, reader.error());
      continue;
    }
    if (record.blank()) {
      ++out.summary().blank_lines;
      continue;
    }
    if (std::string problem = row_problem(record, columns, max_field); !problem.empty()) {
      out.reject(record.line, std::move(problem));
      continue;
    }
    json::object doc(columns + 12, out.storage());
    const size_t n = std::min(columns, record.fields.size());
    for (size_t i = 0; i < n; ++i) {
      const std::string_view cell = record.fields[i];
      if (cell.empty()) continue;
      doc.insert_or_assign(keys[i], typed_value(cell, kinds[i], out.storage()));
    }
    if (is_sales) {
      auto t = normalize_sales_document(doc, sales, time);
      if (!t.ok()) {
        out.reject(record.line, t.error().message);
        continue;
      }
      COMPTOIR_TRY(out.emit_sales(std::move(doc)));
    } else {
      const LogTime t = normalize_log_document(doc, logs, time);
      out.summary().timestamps_defaulted += t.defaulted;
      COMPTOIR_TRY(out.emit_log(std::move(doc), t.time));
    }
  }
  return {};
}

}  // namespace comptoir::ingest
