// DocumentEmitter: the last step every parser shares. It hands out the document
// to write (a DocumentText whose source fields, `source_file` and `source_format`,
// are already set), picks the destination (the daily log index from the event
// time, cached per day so a row costs no allocation for it, or the sales index),
// counts documents per index, sends the finished text to the sink, and records
// rejections in the summary and the sink.
#pragma once

#include <string>
#include <string_view>

#include "ingest/document_text.h"
#include "ingest/ingest.h"
#include "ingest/time_zone.h"

namespace comptoir::ingest {

class DocumentEmitter {
 public:
  DocumentEmitter(DocumentSink& sink, IngestSummary& summary, const IngestOptions& options,
                  std::string_view source_format);

  // A new document, replacing any document begun and not emitted.
  DocumentText& begin() {
    document_.begin();
    return document_;
  }
  // The document begun.
  DocumentText& document() { return document_; }
  // Finish the document begun and send it.
  Status emit_log(EpochMillis timestamp);
  Status emit_sales();
  void reject(uint64_t line, std::string reason);

  IngestSummary& summary() { return summary_; }
  const IngestOptions& options() const { return options_; }

 private:
  Status emit(DocumentKind kind);

  DocumentSink& sink_;
  IngestSummary& summary_;
  const IngestOptions& options_;
  DocumentText document_;
  int64_t cached_day_ = INT64_MIN;
  std::string cached_index_;
  uint64_t* cached_count_ = nullptr;
  uint64_t* sales_count_ = nullptr;
};

}  // namespace comptoir::ingest
