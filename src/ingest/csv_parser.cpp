// CSV → documents: header, column kinds, rows. Everything a column needs is worked
// out once per file (its kind, its name as JSON text, the canonical key it is
// spelled like, the roles it plays); a row is then its cells as typed values,
// normalised by column position and written straight into the document's text.
#include "ingest/csv_parser.h"

#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "ingest/csv_reader.h"
#include "ingest/log_fields.h"
#include "ingest/record_document.h"
#include "ingest/sales_fields.h"
#include "ingest/typed_value.h"

namespace comptoir::ingest {

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
  if (record.bytes <= max_field_bytes) return "";  // no field can be longer
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
  out.summary().kind =
      sales.layout() != SalesLayout::kNone ? DocumentKind::kSalesLine : DocumentKind::kLogEvent;
  if (sales.layout() != SalesLayout::kNone) {
    sales.add_carried_names(out.summary().carried_fields);
  } else {
    logs.add_carried_names(name_views, out.summary().carried_fields);
  }

  // Pass 1: one kind per column over the rows pass 2 will accept, until every
  // column is text (no row can change that).
  std::vector<ValueKind> kinds(columns, ValueKind::kEmpty);
  size_t open_columns = columns;  // not text yet
  while (open_columns > 0) {
    const auto status = reader.next(record);
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kError || record.blank()) continue;
    if (!row_problem(record, columns, max_field).empty()) continue;
    const size_t n = std::min(columns, record.fields.size());
    for (size_t i = 0; i < n; ++i) {
      if (kinds[i] == ValueKind::kText) continue;
      kinds[i] = widen(kinds[i], classify_value(record.fields[i]));
      open_columns -= kinds[i] == ValueKind::kText;
    }
  }

  // Pass 2: documents.
  FieldNames fields;
  fields.assign(name_views);
  std::vector<FieldValue> values(columns);
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
    const size_t n = std::min(columns, record.fields.size());
    for (size_t i = 0; i < n; ++i) {
      const std::string_view cell = record.fields[i];
      if (cell.empty()) {
        values[i].set_absent();
      } else {
        set_typed_value(values[i], cell, kinds[i]);
      }
    }
    for (size_t i = n; i < columns; ++i) values[i].set_absent();
    COMPTOIR_TRY(emit_record(out, time, sales, logs, fields, values, [&](std::string reason) {
      out.reject(record.line, std::move(reason));
    }));
  }
  return {};
}

}  // namespace comptoir::ingest
