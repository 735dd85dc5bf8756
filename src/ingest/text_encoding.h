// The text checks every uploaded file passes before parsing: UTF-8 only (a BOM is
// dropped, UTF-16/32 is refused), no NUL bytes. Errors name the 1-based line, the
// 1-based column (in bytes) and the 0-based byte offset in the file, so a user can
// find the bad byte with any hex editor.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "util/result.h"

namespace comptoir::ingest {

struct TextPosition {
  uint64_t line = 1;    // 1-based
  uint64_t column = 1;  // 1-based, in bytes
  uint64_t offset = 0;  // 0-based byte offset from the start of the file
};

// Where byte `offset` of `text` sits.
TextPosition position_of(std::string_view text, uint64_t offset);

// The first byte that does not start or continue a valid UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::optional<TextPosition> find_invalid_utf8(std::string_view text);

// `bytes` without a leading UTF-8 byte order mark.
std::string_view strip_utf8_bom(std::string_view bytes);

// OK, or InvalidArgument naming the encoding problem and where it is.
Status check_text_encoding(std::string_view bytes);

}  // namespace comptoir::ingest
