// `comptoir export [--q TEXT] [--level L] [--service S] [--start-date D] [--end-date D]
// [--columns LIST] [--syntax plain|lucene] > file.csv`: the CSV of GET /api/export/csv
// written to standard output, piece by piece (constant memory), with the number of
// rows on standard error. Invalid filters exit with 2, other failures with 1.
#pragma once

#include <string>

#include "config/config.h"

namespace comptoir::cli {

struct ExportOptions {
  std::string query;
  std::string level;
  std::string service;
  std::string start_date;
  std::string end_date;
  std::string columns;
  std::string syntax = "plain";
};

int run_export(const Config& config, const ExportOptions& options);

}  // namespace comptoir::cli
