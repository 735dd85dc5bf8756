// What a person types in the log search box, turned into a query that nothing typed
// can break. Two syntaxes:
//
// * plain (the default): each word must occur, case-insensitively, inside a word of
//   the message (a `*word*` wildcard on each of its standard-analyzer tokens) or
//   inside the Level, Service or User value; "quoted phrases" match as phrases in
//   the message (or inside those values). Every character is escaped: `*`, `?`, `\`,
//   parentheses and operators are searched for, never interpreted.
// * lucene: Elasticsearch's query_string syntax over every field, checked here so a
//   syntax error is an InvalidArgument on the `query` field with its position.
#pragma once

#include <optional>
#include <string_view>

#include "engine/dsl/query.h"
#include "util/result.h"

namespace comptoir {

enum class QuerySyntax { kPlain, kLucene };

inline constexpr size_t kMaxQueryCharacters = 1000;
inline constexpr size_t kMaxQueryTerms = 32;  // words and phrases of a plain query

// nullopt when the text holds no word (every document matches).
Result<std::optional<engine::Query>> user_query(std::string_view text, QuerySyntax syntax);

}  // namespace comptoir
