// CSV files to documents. The first non-blank record is the header (names
// trimmed; empty names become column_N, repeats get _2, _3...). A first pass over
// the rows gives each column one ValueKind (it stops once every column is text);
// the second builds one document per row, normalised as sales lines when the
// header is a sales layout and as log events otherwise. Rows wider than the
// header (beyond empty trailing cells), fields over the size limit and unterminated
// quotes are rejections; shorter rows are kept with the missing cells absent.
#pragma once

#include <string_view>

#include "ingest/document_emitter.h"
#include "ingest/timestamp.h"

namespace comptoir::ingest {

Status parse_csv(std::string_view text, const TimeContext& time, DocumentEmitter& out);

}  // namespace comptoir::ingest
