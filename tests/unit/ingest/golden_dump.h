// golden_dump(): everything parse_file makes of one input, as text: each
// document's destination and JSON text, each rejection, the summary. The golden
// tests compare it byte for byte with the dump the general path (a Boost.JSON
// object per document, the canonical fields insert_or_assign'ed) wrote before the
// parsers wrote documents directly (golden/*.expected).
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "ingest/ingest.h"
#include "ingest_test_support.h"

namespace comptoir::ingest::testing {

class DumpSink : public DocumentSink {
 public:
  Status on_document(const Destination& d, std::string_view json_text) override {
    text += fmt::format("D {} {} {}\n", document_kind_name(d.kind), d.index, json_text);
    return {};
  }
  void on_rejection(const Rejection& r) override {
    text += fmt::format("R {} {}\n", r.line, r.reason);
  }
  std::string text;
};

inline std::string golden_dump(std::string_view bytes, const std::string& filename) {
  IngestOptions options;
  options.source_file = filename;
  options.ingest_time = fixed_ingest_time();
  DumpSink sink;
  const auto summary = parse_file(bytes, options, sink);
  if (!summary.ok()) return sink.text + "E " + summary.error().message + "\n";
  const IngestSummary& s = *summary;
  sink.text += fmt::format(
      "S format={} kind={} documents={} rejected={} unparsed={} blank={} defaulted={}\n",
      format_name(s.format), document_kind_name(s.kind), s.documents, s.rejected, s.unparsed_lines,
      s.blank_lines, s.timestamps_defaulted);
  for (const auto& [index, count] : s.indices) sink.text += fmt::format("I {} {}\n", index, count);
  for (const auto& [layout, count] : s.text_patterns) {
    sink.text += fmt::format("P {} {}\n", layout, count);
  }
  return sink.text;
}

}  // namespace comptoir::ingest::testing
