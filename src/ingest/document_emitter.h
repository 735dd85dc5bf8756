// DocumentEmitter: the last step every parser shares. It stamps `source_file` and
// `source_format`, picks the destination (the daily log index from the event time,
// cached per day so a row costs no allocation for it, or the sales index), counts
// documents per index, writes the document's JSON text into a reused buffer for the
// sink, and records rejections in the summary and the sink.
//
// Parsers build each document in storage() (a monotonic arena): emit() consumes
// the document and reject() drops it, and both then recycle the arena, so a value
// built in storage() must not be used after the emit() or reject() that follows
// it (destroying it later is fine: the arena's deallocation is a no-op, which
// Boost.JSON's destructors skip).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>

#include "ingest/ingest.h"
#include "ingest/time_zone.h"

namespace comptoir::ingest {

class DocumentEmitter {
 public:
  DocumentEmitter(DocumentSink& sink, IngestSummary& summary, const IngestOptions& options,
                  std::string_view source_format);

  Status emit_log(boost::json::object&& doc, EpochMillis timestamp);
  Status emit_sales(boost::json::object&& doc);
  void reject(uint64_t line, std::string reason);

  // Where the document being built should allocate.
  const boost::json::storage_ptr& storage() const { return storage_; }

  IngestSummary& summary() { return summary_; }
  const IngestOptions& options() const { return options_; }

 private:
  Status emit(DocumentKind kind, boost::json::object&& doc);

  DocumentSink& sink_;
  IngestSummary& summary_;
  const IngestOptions& options_;
  std::string source_file_;
  std::string source_format_;
  std::string source_members_;  // `"source_file":"…","source_format":"…"`, written once
  std::unique_ptr<unsigned char[]> arena_buffer_;
  boost::json::monotonic_resource arena_;
  boost::json::storage_ptr storage_;
  std::string text_;
  int64_t cached_day_ = INT64_MIN;
  std::string cached_index_;
  uint64_t* cached_count_ = nullptr;
  uint64_t* sales_count_ = nullptr;
};

}  // namespace comptoir::ingest
