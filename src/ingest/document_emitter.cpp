// Destination, JSON text and bookkeeping for every emitted document.
#include "ingest/document_emitter.h"

#include <fmt/format.h>

#include "ingest/document_json.h"
#include "ingest/timestamp.h"

namespace comptoir::ingest {

namespace {

// Enough for the documents of ordinary rows; a larger one spills to the heap.
constexpr size_t kArenaBytes = 64 * 1024;

bool is_source_key(std::string_view key) {
  return key == "source_file" || key == "source_format";
}

}  // namespace

DocumentEmitter::DocumentEmitter(DocumentSink& sink, IngestSummary& summary,
                                 const IngestOptions& options, std::string_view source_format)
    : sink_(sink),
      summary_(summary),
      options_(options),
      source_file_(options.source_file),
      source_format_(source_format),
      arena_buffer_(std::make_unique<unsigned char[]>(kArenaBytes)),
      arena_(arena_buffer_.get(), kArenaBytes),
      storage_(&arena_) {
  append_json_string(source_members_, "source_file");
  source_members_.push_back(':');
  append_json_string(source_members_, source_file_);
  source_members_.push_back(',');
  append_json_string(source_members_, "source_format");
  source_members_.push_back(':');
  append_json_string(source_members_, source_format_);
}

Status DocumentEmitter::emit_log(boost::json::object&& doc, EpochMillis timestamp) {
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
  return emit(DocumentKind::kLogEvent, std::move(doc));
}

Status DocumentEmitter::emit_sales(boost::json::object&& doc) {
  if (sales_count_ == nullptr) {
    sales_count_ = &summary_.indices.try_emplace(std::string(kSalesIndex), 0).first->second;
  }
  ++*sales_count_;
  return emit(DocumentKind::kSalesLine, std::move(doc));
}

Status DocumentEmitter::emit(DocumentKind kind, boost::json::object&& doc) {
  text_.clear();
  text_.push_back('{');
  {
    boost::json::object owned(std::move(doc));
    bool has_source_key = false;
    for (const auto& kv : owned) has_source_key = has_source_key || is_source_key(kv.key());
    if (has_source_key) {
      // A field of the file already has one of these names: it is replaced in place.
      owned.insert_or_assign("source_file", source_file_);
      owned.insert_or_assign("source_format", source_format_);
      append_json_members(text_, owned);
    } else {
      append_json_members(text_, owned);
      if (!owned.empty()) text_.push_back(',');
      text_ += source_members_;
    }
  }
  text_.push_back('}');
  arena_.release();  // the document is gone: its memory is reused by the next one
  ++summary_.documents;
  const std::string_view index =
      kind == DocumentKind::kSalesLine ? kSalesIndex : std::string_view(cached_index_);
  return sink_.on_document(Destination{kind, index}, text_);
}

void DocumentEmitter::reject(uint64_t line, std::string reason) {
  arena_.release();  // a rejected row's document is dropped: recycle its memory too
  ++summary_.rejected;
  Rejection r{line, std::move(reason)};
  sink_.on_rejection(r);
  if (summary_.errors.size() < options_.max_errors) summary_.errors.push_back(std::move(r));
}

}  // namespace comptoir::ingest
