// `comptoir ingest PATH...`: files and directories (recursively) through the same
// pipeline as POST /api/upload, with a progress line on a terminal (bytes, rows/s,
// ETA) and a summary table. Exit status 1 when any file was refused.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace comptoir::cli {

int run_ingest(const Config& config, const std::vector<std::string>& paths, bool force);

}  // namespace comptoir::cli
