// JSON files to documents: an array of objects, an object holding one array of
// objects ({"logs": [...]}), a single object, or NDJSON (one object per line).
// Nested objects are flattened to dotted names ("location.lat"); arrays stay arrays
// (objects inside them flattened too). Nesting deeper than the limit, a line that
// is not a JSON object, or an element that is not an object is a rejection (for a
// whole-file JSON document that is not valid JSON: the file's error).
#pragma once

#include <string_view>

#include "ingest/document_emitter.h"
#include "ingest/timestamp.h"

namespace comptoir::ingest {

Status parse_json_document(std::string_view text, const TimeContext& time, DocumentEmitter& out);
Status parse_ndjson(std::string_view text, const TimeContext& time, DocumentEmitter& out);

// Whether the first non-blank line alone is a JSON object followed by more content
// (the NDJSON shape), as opposed to one JSON document.
bool looks_like_ndjson(std::string_view text);

}  // namespace comptoir::ingest
