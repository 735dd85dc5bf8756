// The files registry: one entry per uploaded file in the document store's `files`
// collection (so it lives in SQLite or MongoDB like the catalogue), keyed by the
// stored file name. An entry starts in state "indexing" and becomes "indexed" once
// its documents are searchable; entries left "indexing" by a crash are rolled back
// at start-up (their documents and file removed), so an upload is whole or absent.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backends/store/document_store.h"
#include "util/result.h"

namespace comptoir {

struct FileEntry {
  std::string filename;       // stored name in UPLOAD_FOLDER
  std::string original_name;  // as the client sent it
  uint64_t size = 0;
  std::string type;         // MIME type from the extension
  std::string upload_time;  // ISO 8601 UTC with milliseconds
  std::string sha256;
  std::string format;  // csv, json, ndjson, text
  std::string kind;    // log or sales
  std::string state;   // indexing, indexed
  uint64_t documents_indexed = 0;
  uint64_t documents_rejected = 0;
  uint64_t unparsed_lines = 0;
  std::map<std::string, uint64_t> indices;  // index -> documents

  // The API's shape: `indices` as {"<index>": documents}.
  boost::json::object to_json() const;
  // The stored shape: `indices` as [{"index", "documents"}], since index names hold
  // dots, which MongoDB-wire servers refuse in keys.
  boost::json::object to_document() const;
  static Result<FileEntry> from_document(const boost::json::object& o);
};

class FileRegistry {
 public:
  explicit FileRegistry(DocumentStore& store) : store_(store) {}

  Status add(const FileEntry& entry);     // Conflict when the name is registered
  Status update(const FileEntry& entry);  // NotFound when it is not
  Result<FileEntry> get(std::string_view filename);
  Status remove(std::string_view filename);
  // Newest first.
  Result<std::vector<FileEntry>> list();
  Result<uint64_t> count();
  // The indexed entry with this content, if any.
  Result<std::optional<FileEntry>> find_by_sha256(std::string_view sha256);
  // Entries a crash left in state "indexing".
  Result<std::vector<FileEntry>> unfinished();

 private:
  DocumentStore& store_;
};

// The MIME type the registry reports for a stored file name.
std::string mime_type_for(std::string_view filename);

}  // namespace comptoir
