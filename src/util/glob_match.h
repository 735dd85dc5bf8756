// Matching names against patterns where '*' stands for any run of characters (no
// other metacharacters), as Elasticsearch's field and `_source` patterns work.
#pragma once

#include <string_view>

namespace comptoir {

bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace comptoir
