// Format names, extensions and content sniffing.
#include "ingest/format.h"

#include "ingest/json_parser.h"
#include "ingest/text_log_parser.h"

namespace comptoir::ingest {

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kCsv:
      return "csv";
    case Format::kJson:
      return "json";
    case Format::kNdjson:
      return "ndjson";
    case Format::kText:
      break;
  }
  return "text";
}

std::optional<Format> format_from_name(std::string_view name) {
  if (name == "csv") return Format::kCsv;
  if (name == "json") return Format::kJson;
  if (name == "ndjson" || name == "jsonl") return Format::kNdjson;
  if (name == "text" || name == "txt" || name == "log") return Format::kText;
  return std::nullopt;
}

std::string file_extension(std::string_view filename) {
  const size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  const size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(filename.substr(dot + 1));
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return ext;
}

bool is_supported_extension(std::string_view ext) {
  return ext == "csv" || ext == "json" || ext == "txt" || ext == "ndjson" || ext == "jsonl" ||
         ext == "log";
}

namespace {

std::string_view first_line(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  text.remove_prefix(start);
  const size_t eol = text.find_first_of("\r\n");
  return text.substr(0, eol);
}

bool starts_like_json(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  if (text[start] == '{') return true;
  if (text[start] != '[') return false;
  // "[{", "[ ]" or "[\n  {" — but not "[2025-12-23T10:30:00] [ERROR]" or "[Sun Dec 04 ...]".
  const size_t next = text.find_first_not_of(" \t\r\n", start + 1);
  return next == std::string_view::npos || text[next] == '{' || text[next] == ']' ||
         text[next] == '"' || text[next] == '[';
}

// A header-like first line: split by a delimiter into at least two names, with
// the next line splitting into as many cells.
bool looks_like_csv(std::string_view text) {
  const std::string_view line = first_line(text);
  if (line.empty() || looks_like_log_line(line)) return false;
  for (const char delim : {',', ';', '\t', '|'}) {
    size_t n = 0;
    for (char c : line) n += c == delim;
    if (n == 0) continue;
    const size_t eol = text.find('\n', text.find(line) + line.size());
    if (eol == std::string_view::npos) return true;  // a header alone
    const std::string_view second = first_line(text.substr(eol + 1));
    if (second.empty()) return true;
    size_t m = 0;
    bool quoted = false;
    for (char c : second) {
      if (c == '"') quoted = !quoted;
      m += !quoted && c == delim;
    }
    if (m == n) return true;
  }
  return false;
}

}  // namespace

Format detect_format(std::string_view filename, std::string_view text) {
  const std::string ext = file_extension(filename);
  if (ext == "ndjson" || ext == "jsonl") return Format::kNdjson;
  if (starts_like_json(text)) return looks_like_ndjson(text) ? Format::kNdjson : Format::kJson;
  if (ext == "json") return Format::kJson;  // reported as invalid JSON by the parser
  if (ext == "csv") return Format::kCsv;
  return looks_like_csv(text) ? Format::kCsv : Format::kText;
}

}  // namespace comptoir::ingest
