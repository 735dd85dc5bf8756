// Process-wide logging on spdlog: the server log and the access log, both to
// stderr, as human-readable text or as one JSON object per line.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace comptoir {

enum class LogFormat { kText, kJson };

// Installs the default (server) logger and the "access" logger. `level` is one of
// debug, info, warn, error.
void init_logging(LogFormat format, std::string_view level);

// The access logger (valid after init_logging; a null sink before).
spdlog::logger& access_logger();

// Appends `s` to `out` escaped for a JSON string (without quotes).
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace comptoir
