// parse_file: encoding checks, format detection and dispatch to the parsers.
#include "ingest/ingest.h"

#include "ingest/csv_parser.h"
#include "ingest/document_emitter.h"
#include "ingest/json_parser.h"
#include "ingest/text_encoding.h"
#include "ingest/text_log_parser.h"
#include "ingest/timestamp.h"

namespace comptoir::ingest {

std::string_view document_kind_name(DocumentKind kind) {
  return kind == DocumentKind::kSalesLine ? "sales" : "log";
}

Result<IngestSummary> parse_file(std::string_view bytes, const IngestOptions& options,
                                 DocumentSink& sink) {
  if (bytes.empty()) return Error::invalid("the file is empty");
  COMPTOIR_TRY(check_text_encoding(bytes));
  const std::string_view text = strip_utf8_bom(bytes);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Error::invalid("the file holds no data (only blank lines)");
  }
  auto zone = TimeZone::named(options.time_zone);
  if (!zone.ok()) return zone.error();
  TimeContext time{std::move(*zone), std::chrono::duration_cast<std::chrono::milliseconds>(
                                         options.ingest_time.time_since_epoch())
                                         .count()};

  IngestSummary summary;
  summary.format = options.format ? *options.format : detect_format(options.source_file, text);
  DocumentEmitter emitter(sink, summary, options, format_name(summary.format));
  switch (summary.format) {
    case Format::kCsv:
      COMPTOIR_TRY(parse_csv(text, time, emitter));
      break;
    case Format::kJson:
      COMPTOIR_TRY(parse_json_document(text, time, emitter));
      break;
    case Format::kNdjson:
      COMPTOIR_TRY(parse_ndjson(text, time, emitter));
      break;
    case Format::kText:
      COMPTOIR_TRY(parse_text_log(text, time, emitter));
      break;
  }
  return summary;
}

}  // namespace comptoir::ingest
