// UploadService: the upload pipeline and its undo paths.
#include "core/upload_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <future>
#include <map>
#include <optional>

#include "core/canonical_mappings.h"
#include "ingest/ingest.h"
#include "util/sha256.h"
#include "util/time_format.h"

namespace comptoir {

namespace {

// Patterns, so an index that does not exist (no sales uploaded yet) is no error.
constexpr std::string_view kIngestIndices = "ecommerce-logs-*,ecommerce-sales*";
constexpr size_t kMaxLineErrors = 20;

std::string extension_of(std::string_view filename) {
  const size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(filename.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// Collects each destination index's documents as JSON text, ready for bulk.
class BatchingSink final : public ingest::DocumentSink {
 public:
  Status on_document(const ingest::Destination& destination, std::string_view json_text) override {
    auto it = batches.find(destination.index);
    if (it == batches.end())
      it = batches.emplace(std::string(destination.index), std::vector<std::string>{}).first;
    // With room past its end, the embedded engine parses the text where it is.
    std::string& text = it->second.emplace_back();
    text.reserve(json_text.size() + SearchBackend::kSourceSlack);
    text.assign(json_text);
    return {};
  }
  std::map<std::string, std::vector<std::string>, std::less<>> batches;
};

}  // namespace

bool is_allowed_upload_extension(std::string_view filename) {
  const std::string ext = extension_of(filename);
  return ext == "csv" || ext == "json" || ext == "txt" || ext == "ndjson" || ext == "jsonl" ||
         ext == "log";
}

Result<UploadOutcome> UploadService::upload(std::string_view original_name, std::string_view data,
                                            bool force) {
  const auto started = std::chrono::steady_clock::now();
  if (!is_allowed_upload_extension(original_name)) {
    return Error::invalid_fields(
        "File type not allowed: use .csv, .json, .txt (or .ndjson, .jsonl, .log)",
        {{"file", "extension must be .csv, .json, .txt, .ndjson, .jsonl or .log"}});
  }
  if (data.empty()) return Error::invalid_fields("The file is empty", {{"file", "is empty"}});

  UploadOutcome outcome;
  std::string name = secure_filename(original_name);
  if (name.empty() || !is_allowed_upload_extension(name))
    name = "upload." + extension_of(original_name);
  // The name is taken first: the documents carry it. The file is then hashed, looked up
  // among earlier uploads, stored and registered on a second thread while this one parses
  // it; neither needs the other (the ~1.3 ms before a 1 MiB file's parse no longer comes
  // first). A duplicate's parse is thrown away.
  auto reserved = folder_.reserve(name);
  COMPTOIR_TRY(reserved);
  FileEntry& entry = outcome.entry;
  entry.filename = *reserved;
  entry.original_name = std::string(original_name);
  entry.size = data.size();
  entry.type = mime_type_for(entry.filename);
  entry.upload_time = iso8601_utc_millis(std::chrono::system_clock::now());
  entry.state = "indexing";
  std::optional<FileEntry> earlier;  // the first upload of the same bytes
  std::future<Status> stored = std::async(std::launch::async, [&]() -> Status {
    entry.sha256 = sha256_hex(data);
    if (!force) {
      auto existing = registry_.find_by_sha256(entry.sha256);
      COMPTOIR_TRY(existing);
      if (existing->has_value()) {
        earlier = std::move(**existing);
        return {};
      }
    }
    COMPTOIR_TRY(folder_.fill(entry.filename, data));
    return registry_.add(entry);
  });

  ingest::IngestOptions options;
  options.source_file = entry.filename;
  options.time_zone = time_zone_;
  options.max_errors = kMaxLineErrors;
  BatchingSink sink;
  const auto parse_started = std::chrono::steady_clock::now();
  auto summary = ingest::parse_file(data, options, sink);
  const auto parsed = std::chrono::steady_clock::now();
  if (Status st = stored.get(); !st.ok() || earlier) {
    (void)folder_.remove(entry.filename);
    if (!st.ok()) return st.error();
    outcome.entry = std::move(*earlier);
    outcome.duplicate = true;
    return outcome;
  }
  const auto stored_at = std::chrono::steady_clock::now();
  // The file's fsyncs (1-2 ms) run while it is indexed; the upload is recorded as indexed
  // only once they are done (a crash before rolls it back, file included).
  std::future<Status> file_synced =
      std::async(std::launch::async, [this, &entry] { return folder_.sync(entry.filename); });
  auto undo = [&](const Error& error) -> Error {
    if (file_synced.valid()) (void)file_synced.get();  // no remove() under a running sync
    (void)delete_documents(entry.filename);
    (void)folder_.remove(entry.filename);
    (void)registry_.remove(entry.filename);
    return error;
  };
  if (!summary.ok()) return undo(summary.error());

  entry.format = std::string(ingest::format_name(summary->format));
  entry.kind = std::string(ingest::document_kind_name(summary->kind));
  entry.documents_rejected = summary->rejected;
  entry.unparsed_lines = summary->unparsed_lines;
  for (const auto& r : summary->errors) outcome.errors.push_back({r.line, r.reason});

  const std::vector<std::string> carried(summary->carried_fields.begin(),
                                         summary->carried_fields.end());
  for (auto& [index, sources] : sink.batches) {
    if (auto st = search_.ensure_index(index, mapping_for_index(index)); !st.ok()) {
      return undo(st.error());
    }
    // Original fields copied into canonical ones stay in _source, indexed once.
    if (!carried.empty()) {
      if (auto st = search_.map_source_only(index, carried); !st.ok()) return undo(st.error());
    }
    auto bulk = search_.bulk_index(index, std::move(sources));
    if (!bulk.ok()) return undo(bulk.error());
    entry.documents_indexed += bulk->indexed;
    entry.documents_rejected += bulk->failures.size();
    if (bulk->indexed > 0) entry.indices[index] = bulk->indexed;
    for (const auto& [position, reason] : bulk->failures) {
      if (outcome.errors.size() < kMaxLineErrors) {
        outcome.errors.push_back(
            {0, fmt::format("{} (document {} for {})", reason, position + 1, index)});
      }
    }
  }
  const auto indexed = std::chrono::steady_clock::now();
  if (entry.documents_indexed > 0 && on_data_changed_) on_data_changed_();
  if (Status st = file_synced.get(); !st.ok()) return undo(st.error());
  entry.state = "indexed";
  if (auto st = registry_.update(entry); !st.ok()) return undo(st.error());
  outcome.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  const auto ms = [](auto from, auto to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
  };
  spdlog::info(
      "upload {}: {} documents indexed, {} rejected, {:.1f} ms (before parsing {:.1f}, "
      "parse {:.1f}, then waiting for the file's storage {:.1f}, index {:.1f})",
      entry.filename, entry.documents_indexed, entry.documents_rejected, outcome.took_ms,
      ms(started, parse_started), ms(parse_started, parsed), ms(parsed, stored_at),
      ms(stored_at, indexed));
  return outcome;
}

Status UploadService::delete_documents(std::string_view filename) {
  engine::TermQuery term;
  term.field = "source_file";
  term.value = std::string(filename);
  auto deleted = search_.delete_by_query(kIngestIndices, engine::Query(term));
  COMPTOIR_TRY(deleted);
  if (*deleted > 0 && on_data_changed_) on_data_changed_();
  return {};
}

Status UploadService::remove(std::string_view filename) {
  auto entry = registry_.get(filename);
  COMPTOIR_TRY(entry);
  COMPTOIR_TRY(delete_documents(filename));
  if (auto st = folder_.remove(filename); !st.ok() && st.error().code != ErrorCode::kNotFound) {
    return st;
  }
  return registry_.remove(filename);
}

Result<size_t> UploadService::recover() {
  auto unfinished = registry_.unfinished();
  COMPTOIR_TRY(unfinished);
  for (const auto& entry : *unfinished) {
    spdlog::warn("rolling back the interrupted upload of {}", entry.filename);
    COMPTOIR_TRY(delete_documents(entry.filename));
    if (auto st = folder_.remove(entry.filename);
        !st.ok() && st.error().code != ErrorCode::kNotFound) {
      return st.error();
    }
    COMPTOIR_TRY(registry_.remove(entry.filename));
  }
  return unfinished->size();
}

}  // namespace comptoir
