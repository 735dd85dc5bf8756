// Uploading a file: the use case behind POST /api/upload and DELETE /api/files.
//
// upload(): allowed extension → SHA-256 (the same content uploaded before is a
// duplicate unless forced) → stored in the upload folder under a safe unique name →
// registry entry "indexing" → parsed (ingest/) into canonical documents →
// indexed per destination index and made searchable → entry "indexed". A failure
// after storing undoes what was done; recover() rolls back the uploads a crash
// interrupted, so an upload is wholly present or wholly absent.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/search/search_backend.h"
#include "core/file_registry.h"
#include "core/upload_folder.h"
#include "util/result.h"

namespace comptoir {

struct UploadOutcome {
  FileEntry entry;
  bool duplicate = false;  // the entry is the earlier upload of the same content
  struct LineError {
    uint64_t line;
    std::string reason;
  };
  std::vector<LineError> errors;  // the first 20 rejections
  double took_ms = 0;
};

class UploadService {
 public:
  // `on_data_changed` runs after indexed documents became visible or were deleted
  // (the response cache starts a new generation).
  UploadService(SearchBackend& search, FileRegistry& registry, UploadFolder& folder,
                std::string time_zone, std::function<void()> on_data_changed = {})
      : search_(search),
        registry_(registry),
        folder_(folder),
        time_zone_(std::move(time_zone)),
        on_data_changed_(std::move(on_data_changed)) {}

  Result<UploadOutcome> upload(std::string_view original_name, std::string_view data, bool force);

  // Removes the file, its documents and its registry entry.
  Status remove(std::string_view filename);

  // Rolls back uploads left half done by a crash; returns how many.
  Result<size_t> recover();

 private:
  // Deletes the documents of `filename` from every index ingestion writes to.
  Status delete_documents(std::string_view filename);

  SearchBackend& search_;
  FileRegistry& registry_;
  UploadFolder& folder_;
  std::string time_zone_;
  std::function<void()> on_data_changed_;
};

// The extensions an upload may have: csv, json, txt, and the aliases ndjson, jsonl, log.
bool is_allowed_upload_extension(std::string_view filename);

}  // namespace comptoir
