// The export command: filters, the CSV pieces to stdout, a summary to stderr.
#include "cli/export_command.h"

#include <cstdio>

#include "core/application.h"
#include "core/log_export.h"

namespace comptoir::cli {

namespace {

int fail(const Error& error) {
  std::fprintf(stderr, "comptoir: %s\n", error.message.c_str());
  return error.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

int run_export(const Config& config, const ExportOptions& options) {
  LogFilters filters;
  filters.query = options.query;
  filters.level = options.level;
  filters.service = options.service;
  filters.start_date = options.start_date;
  filters.end_date = options.end_date;
  if (options.syntax == "lucene") {
    filters.syntax = QuerySyntax::kLucene;
  } else if (options.syntax != "plain") {
    return fail(Error::invalid("--syntax must be plain or lucene"));
  }
  auto columns = parse_export_columns(options.columns);
  if (!columns.ok()) return fail(columns.error());

  auto app = Application::open(config);
  if (!app.ok()) return fail(app.error());
  auto csv = LogCsvExport::open((*app)->logs(), filters, std::move(*columns));
  if (!csv.ok()) return fail(csv.error());

  std::string piece;
  for (bool more = true; more;) {
    piece.clear();
    auto next = (*csv)->next(piece);
    if (!next.ok()) return fail(next.error());
    more = *next;
    if (std::fwrite(piece.data(), 1, piece.size(), stdout) != piece.size()) {
      std::fprintf(stderr, "comptoir: cannot write to standard output\n");
      return 1;
    }
  }
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "comptoir: cannot write to standard output\n");
    return 1;
  }
  std::fprintf(stderr, "%llu rows exported\n", static_cast<unsigned long long>((*csv)->rows()));
  return 0;
}

}  // namespace comptoir::cli
