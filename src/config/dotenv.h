// Reader for `.env` files, with python-dotenv's syntax: KEY=VALUE lines, `#`
// comments (also after an unquoted value), an optional `export ` prefix, single
// quotes (literal) and double quotes (with \n, \t, \" and \\ escapes).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "util/result.h"

namespace comptoir {

// Parses the text of a .env file. A malformed line is an InvalidArgument error
// naming its line number.
Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text);

// Reads and parses the file at `path`; a missing file gives an empty map.
Result<std::map<std::string, std::string>> read_dotenv_file(const std::string& path);

}  // namespace comptoir
