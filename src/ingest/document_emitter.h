// DocumentEmitter: the last step every parser shares. It stamps `source_file` and
// `source_format`, picks the destination (the daily log index from the event time,
// cached per day so a row costs no allocation for it, or the sales index), counts
// documents per index, and records rejections in the summary and the sink.
#pragma once

#include <string>
#include <string_view>

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

  IngestSummary& summary() { return summary_; }
  const IngestOptions& options() const { return options_; }

 private:
  Status emit(DocumentKind kind, boost::json::object&& doc);

  DocumentSink& sink_;
  IngestSummary& summary_;
  const IngestOptions& options_;
  boost::json::string source_file_;
  boost::json::string source_format_;
  int64_t cached_day_ = INT64_MIN;
  std::string cached_index_;
  uint64_t* cached_count_ = nullptr;
  uint64_t* sales_count_ = nullptr;
};

}  // namespace comptoir::ingest
