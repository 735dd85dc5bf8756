// Destination and bookkeeping for every emitted document.
#include "ingest/document_emitter.h"

#include <fmt/format.h>

#include "ingest/timestamp.h"

namespace comptoir::ingest {

DocumentEmitter::DocumentEmitter(DocumentSink& sink, IngestSummary& summary,
                                 const IngestOptions& options, std::string_view source_format)
    : sink_(sink),
      summary_(summary),
      options_(options),
      document_(options.source_file, source_format) {}

Status DocumentEmitter::emit_log(EpochMillis timestamp) {
  constexpr int64_t kMillisPerDay = 86'400'000;
  const int64_t day = timestamp / kMillisPerDay - (timestamp % kMillisPerDay < 0 ? 1 : 0);
  if (day != cached_day_) {
    int64_t y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(day, y, m, d);
    cached_index_ = fmt::format("{}{:04}.{:02}.{:02}", kLogIndexPrefix, y, m, d);
    cached_day_ = day;
    cached_count_ = &summary_.indices.try_emplace(cached_index_, 0).first->second;
  }
  ++*cached_count_;
  return emit(DocumentKind::kLogEvent);
}

Status DocumentEmitter::emit_sales() {
  if (sales_count_ == nullptr) {
    sales_count_ = &summary_.indices.try_emplace(std::string(kSalesIndex), 0).first->second;
  }
  ++*sales_count_;
  return emit(DocumentKind::kSalesLine);
}

Status DocumentEmitter::emit(DocumentKind kind) {
  const std::string_view text = document_.finish();
  ++summary_.documents;
  const std::string_view index =
      kind == DocumentKind::kSalesLine ? kSalesIndex : std::string_view(cached_index_);
  return sink_.on_document(Destination{kind, index}, text);
}

void DocumentEmitter::reject(uint64_t line, std::string reason) {
  ++summary_.rejected;
  Rejection r{line, std::move(reason)};
  sink_.on_rejection(r);
  if (summary_.errors.size() < options_.max_errors) summary_.errors.push_back(std::move(r));
}

}  // namespace comptoir::ingest
