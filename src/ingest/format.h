// File formats and their detection: the extension says what the uploader meant,
// the first bytes say what the file is. JSON-looking content wins over any
// extension; .csv means CSV; .txt/.log (or no extension) are sniffed between CSV
// and text logs, a first line in a known log layout meaning text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace comptoir::ingest {

enum class Format : uint8_t { kCsv, kJson, kNdjson, kText };

std::string_view format_name(Format format);  // "csv", "json", "ndjson", "text"
std::optional<Format> format_from_name(std::string_view name);

// The lower-case extension of a file name without the dot ("" when none).
std::string file_extension(std::string_view filename);

// Whether the extension is one uploads accept: csv json txt ndjson jsonl log.
bool is_supported_extension(std::string_view extension);

// `text` is the decoded file (BOM already removed).
Format detect_format(std::string_view filename, std::string_view text);

}  // namespace comptoir::ingest
