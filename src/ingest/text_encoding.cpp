// UTF-8 validation: simdjson's SIMD validator for the common valid case, then a
// scalar walk only to locate the first bad byte.
#include "ingest/text_encoding.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace comptoir::ingest {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0.
size_t sequence_length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
  };
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xe0 && byte(1) < 0xa0) return 0;   // overlong
    if (c == 0xed && byte(1) >= 0xa0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xf0 && byte(1) < 0x90) return 0;   // overlong
    if (c == 0xf4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

TextPosition position_of(std::string_view text, uint64_t offset) {
  TextPosition pos;
  pos.offset = offset;
  const std::string_view before = text.substr(0, offset);
  uint64_t line_start = 0;
  for (size_t i = 0; i < before.size(); ++i) {
    const char c = before[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++pos.line;
      line_start = i + 1;
    }
  }
  pos.column = offset - line_start + 1;
  return pos;
}

std::optional<TextPosition> find_invalid_utf8(std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return std::nullopt;
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = sequence_length(text, i);
    if (n == 0) return position_of(text, i);
    i += n;
  }
  return std::nullopt;
}

std::string_view strip_utf8_bom(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  return bytes;
}

Status check_text_encoding(std::string_view bytes) {
  if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
    return Error::invalid("the file is UTF-16 or UTF-32 (byte order mark); upload UTF-8 text");
  }
  if (auto bad = find_invalid_utf8(bytes)) {
    return Error::invalid(fmt::format(
        "invalid UTF-8 at line {}, column {} (byte offset {}): byte 0x{:02X}", bad->line,
        bad->column, bad->offset, static_cast<unsigned char>(bytes[bad->offset])));
  }
  if (const void* nul = std::memchr(bytes.data(), '\0', bytes.size())) {
    const auto offset = static_cast<uint64_t>(static_cast<const char*>(nul) - bytes.data());
    const TextPosition p = position_of(bytes, offset);
    return Error::invalid(fmt::format(
        "NUL byte at line {}, column {} (byte offset {}): binary data is not a log or sales file",
        p.line, p.column, p.offset));
  }
  return {};
}

}  // namespace comptoir::ingest
