// FileRegistry: FileEntry <-> JSON and the DocumentStore calls.
#include "core/file_registry.h"

#include <fmt/format.h>

namespace comptoir {

namespace json = boost::json;

namespace {

constexpr std::string_view kCollection = "files";

std::string text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

uint64_t number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_uint64()) return v->as_uint64();
  if (v->is_int64() && v->as_int64() >= 0) return static_cast<uint64_t>(v->as_int64());
  if (v->is_double() && v->as_double() >= 0) return static_cast<uint64_t>(v->as_double());
  return 0;
}

}  // namespace

json::object FileEntry::to_json() const {
  json::object idx;
  for (const auto& [name, n] : indices) idx[name] = n;
  return json::object{{"filename", filename},
                      {"original_name", original_name},
                      {"size", size},
                      {"type", type},
                      {"upload_time", upload_time},
                      {"sha256", sha256},
                      {"format", format},
                      {"kind", kind},
                      {"state", state},
                      {"documents_indexed", documents_indexed},
                      {"documents_rejected", documents_rejected},
                      {"unparsed_lines", unparsed_lines},
                      {"indices", std::move(idx)}};
}

json::object FileEntry::to_document() const {
  json::object o = to_json();
  json::array idx;
  for (const auto& [name, n] : indices)
    idx.push_back(json::object{{"index", name}, {"documents", n}});
  o["indices"] = std::move(idx);
  return o;
}

Result<FileEntry> FileEntry::from_document(const json::object& o) {
  FileEntry e;
  e.filename = text(o, "filename");
  if (e.filename.empty()) return Error::corruption("files registry entry without a filename");
  e.original_name = text(o, "original_name");
  e.size = number(o, "size");
  e.type = text(o, "type");
  e.upload_time = text(o, "upload_time");
  e.sha256 = text(o, "sha256");
  e.format = text(o, "format");
  e.kind = text(o, "kind");
  e.state = text(o, "state");
  e.documents_indexed = number(o, "documents_indexed");
  e.documents_rejected = number(o, "documents_rejected");
  e.unparsed_lines = number(o, "unparsed_lines");
  if (const json::value* idx = o.if_contains("indices"); idx != nullptr && idx->is_array()) {
    for (const auto& item : idx->as_array()) {
      if (!item.is_object()) continue;
      const std::string name = text(item.as_object(), "index");
      if (!name.empty()) e.indices[name] = number(item.as_object(), "documents");
    }
  }
  return e;
}

Status FileRegistry::add(const FileEntry& entry) {
  return store_.insert(kCollection, entry.filename, entry.to_document());
}

Status FileRegistry::update(const FileEntry& entry) {
  return store_.replace(kCollection, entry.filename, entry.to_document());
}

Result<FileEntry> FileRegistry::get(std::string_view filename) {
  auto doc = store_.get(kCollection, filename);
  if (!doc.ok() && doc.error().code == ErrorCode::kNotFound) {
    return Error::not_found(fmt::format("no uploaded file named '{}'", filename));
  }
  COMPTOIR_TRY(doc);
  return FileEntry::from_document(*doc);
}

Status FileRegistry::remove(std::string_view filename) {
  auto st = store_.remove(kCollection, filename);
  if (!st.ok() && st.error().code == ErrorCode::kNotFound) {
    return Error::not_found(fmt::format("no uploaded file named '{}'", filename));
  }
  return st;
}

namespace {
Result<std::vector<FileEntry>> entries(DocumentStore& store, const FindOptions& options) {
  auto docs = store.find(kCollection, options);
  COMPTOIR_TRY(docs);
  std::vector<FileEntry> out;
  out.reserve(docs->size());
  for (const auto& d : *docs) {
    auto e = FileEntry::from_document(d);
    COMPTOIR_TRY(e);
    out.push_back(std::move(e.value()));
  }
  return out;
}
}  // namespace

Result<std::vector<FileEntry>> FileRegistry::list() {
  FindOptions options;
  options.filters = {{"state", DocFilter::Op::kEq, "indexed"}};
  options.sort_field = "upload_time";
  options.descending = true;
  return entries(store_, options);
}

Result<uint64_t> FileRegistry::count() {
  return store_.count(kCollection, {{"state", DocFilter::Op::kEq, "indexed"}});
}

Result<std::optional<FileEntry>> FileRegistry::find_by_sha256(std::string_view sha256) {
  FindOptions options;
  options.filters = {{"sha256", DocFilter::Op::kEq, json::string(sha256)},
                     {"state", DocFilter::Op::kEq, "indexed"}};
  options.sort_field = "upload_time";
  options.limit = 1;
  auto found = entries(store_, options);
  COMPTOIR_TRY(found);
  if (found->empty()) return std::optional<FileEntry>();
  return std::optional<FileEntry>(std::move(found->front()));
}

Result<std::vector<FileEntry>> FileRegistry::unfinished() {
  FindOptions options;
  options.filters = {{"state", DocFilter::Op::kEq, "indexing"}};
  return entries(store_, options);
}

std::string mime_type_for(std::string_view filename) {
  const size_t dot = filename.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : filename.substr(dot + 1);
  if (ext == "csv") return "text/csv";
  if (ext == "json") return "application/json";
  if (ext == "ndjson" || ext == "jsonl") return "application/x-ndjson";
  return "text/plain";
}

}  // namespace comptoir
