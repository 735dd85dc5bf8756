// .env parsing (see dotenv.h for the accepted syntax).
#include "config/dotenv.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace comptoir {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool valid_key(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  }
  return true;
}

// Reads a quoted value starting at text[0] (the quote). Returns the value and sets
// `consumed` to the number of characters used, closing quote included.
Result<std::string> read_quoted(std::string_view text, size_t& consumed) {
  const char quote = text[0];
  std::string out;
  for (size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == quote) {
      consumed = i + 1;
      return out;
    }
    if (quote == '"' && c == '\\' && i + 1 < text.size()) {
      char n = text[++i];
      switch (n) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        default:
          out += n;
          break;  // \" \\ and anything else: the character itself
      }
      continue;
    }
    out += c;
  }
  return Error::invalid("unterminated quoted value");
}

}  // namespace

Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text) {
  std::map<std::string, std::string> out;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    const size_t line_start = pos;
    pos = end + 1;
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    if (line.starts_with("export ")) line = trim(line.substr(7));
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return Error::invalid(fmt::format(".env line {}: expected KEY=VALUE", line_no));
    }
    std::string_view key = trim(line.substr(0, eq));
    if (!valid_key(key)) {
      return Error::invalid(fmt::format(".env line {}: invalid name '{}'", line_no, key));
    }
    std::string_view rest = trim(line.substr(eq + 1));
    std::string value;
    if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
      // A quoted value may span lines: parse from the original text.
      const size_t value_offset = static_cast<size_t>(rest.data() - text.data());
      size_t consumed = 0;
      auto quoted = read_quoted(text.substr(value_offset), consumed);
      if (!quoted.ok()) {
        return Error::invalid(fmt::format(".env line {}: {}", line_no, quoted.error().message));
      }
      value = std::move(quoted.value());
      const size_t after = value_offset + consumed;
      // Count the newlines the value spanned, then skip the rest of its last line,
      // which may only hold a comment.
      for (size_t i = line_start; i < after; ++i) line_no += text[i] == '\n';
      size_t eol = text.find('\n', after);
      if (eol == std::string_view::npos) eol = text.size();
      std::string_view tail = trim(text.substr(after, eol - after));
      if (!tail.empty() && tail.front() != '#') {
        return Error::invalid(
            fmt::format(".env line {}: unexpected text after quoted value", line_no));
      }
      pos = eol + 1;
    } else {
      // Unquoted: an inline comment starts at a `#` preceded by whitespace.
      for (size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '#' && i > 0 && std::isspace(static_cast<unsigned char>(rest[i - 1]))) {
          rest = trim(rest.substr(0, i));
          break;
        }
      }
      value = std::string(rest);
    }
    out[std::string(key)] = std::move(value);
    if (end == text.size()) break;
  }
  return out;
}

Result<std::map<std::string, std::string>> read_dotenv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::map<std::string, std::string>{};
  std::ostringstream buf;
  buf << in.rdbuf();
  auto parsed = parse_dotenv(buf.str());
  if (!parsed.ok()) return Error::invalid(path + ": " + parsed.error().message);
  return parsed;
}

}  // namespace comptoir
