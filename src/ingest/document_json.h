// The JSON text of a document, as the index receives it: the same bytes as
// util/json_text's to_json_text (Boost.JSON's string escapes, doubles in their
// shortest round-trip form with ".0" kept on integral values, non-finite → null),
// written straight into a reused TextBuffer with no allocation per key or string,
// which is what the ingestion hot path needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "ingest/text_buffer.h"

namespace comptoir::ingest {

// Appends `s` as a quoted JSON string.
void append_json_string(TextBuffer& out, std::string_view s);

void append_json_int(TextBuffer& out, int64_t v);
void append_json_uint(TextBuffer& out, uint64_t v);
void append_json_double(TextBuffer& out, double v);

void append_json_value(TextBuffer& out, const boost::json::value& v);

// Appends the members of `doc` as `"key":value` pairs separated by commas, without
// the braces, so the caller can add members after them.
void append_json_members(TextBuffer& out, const boost::json::object& doc);

// `s` as a quoted JSON string, and what a member of that name starts with in a
// document (",\"name\":"), for the texts worked out once per file.
std::string json_string_text(std::string_view s);
std::string json_member_prefix(std::string_view name);

}  // namespace comptoir::ingest
