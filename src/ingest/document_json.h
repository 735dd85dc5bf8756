// The JSON text of a document, as the index receives it: the same bytes as
// util/json_text's to_json_text (Boost.JSON's string escapes, doubles in their
// shortest round-trip form with ".0" kept on integral values, non-finite → null),
// written straight into a caller's reused buffer with no allocation per key or
// string, which is what the ingestion hot path needs.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace comptoir::ingest {

// Appends `s` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);

void append_json_value(std::string& out, const boost::json::value& v);

// Appends the members of `doc` as `"key":value` pairs separated by commas, without
// the braces, so the caller can add members after them.
void append_json_members(std::string& out, const boost::json::object& doc);

}  // namespace comptoir::ingest
