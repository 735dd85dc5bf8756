// Upload and files endpoints: multipart parsing and the answers' shapes; the work
// is core/upload_service's.
#include "api/upload.h"

#include <boost/json.hpp>

#include "api/error_response.h"
#include "http/multipart.h"

namespace comptoir::api {

namespace json = boost::json;

namespace {

json::object entry_json(const FileEntry& e) {
  json::object o = e.to_json();
  o.erase("state");
  return o;
}

}  // namespace

http::Response post_upload(ApiContext& ctx, http::Request& req) {
  auto parts =
      http::parse_multipart(req.header(boost::beast::http::field::content_type), req.body());
  if (!parts.ok()) return error_response(parts.error(), req);
  const http::MultipartPart* file = nullptr;
  for (const auto& part : *parts) {
    if (part.name != "file") continue;
    if (file != nullptr) {
      return error_response(
          Error::invalid_fields("Send one file per upload", {{"file", "must appear once"}}), req);
    }
    file = &part;
  }
  if (file == nullptr) {
    return error_response(
        Error::invalid_fields("No file part in the request", {{"file", "is required"}}), req);
  }
  if (!file->filename || file->filename->empty()) {
    return error_response(
        Error::invalid_fields("No selected file", {{"file", "must carry a file name"}}), req);
  }
  const bool force = req.query_param("force").value_or("") == "true";
  auto outcome = ctx.uploads.upload(*file->filename, file->data, force);
  if (!outcome.ok()) return error_response(outcome.error(), req);

  const FileEntry& e = outcome->entry;
  json::array errors;
  for (const auto& err : outcome->errors) {
    errors.push_back(json::object{{"line", err.line}, {"reason", err.reason}});
  }
  json::object indices;
  for (const auto& [name, n] : e.indices) indices[name] = n;
  return http::json_response(
      200, json::object{{"message", outcome->duplicate ? "File already uploaded"
                                                       : "File uploaded successfully"},
                        {"filename", e.filename},
                        {"size", e.size},
                        {"indexed", true},
                        {"documents_indexed", e.documents_indexed},
                        {"documents_rejected", e.documents_rejected},
                        {"unparsed_lines", e.unparsed_lines},
                        {"errors", std::move(errors)},
                        {"indices", std::move(indices)},
                        {"format", e.format},
                        {"sha256", e.sha256},
                        {"duplicate", outcome->duplicate},
                        {"took_ms", std::round(outcome->took_ms * 100) / 100}});
}

http::Response get_files(ApiContext& ctx, http::Request& req) {
  auto files = ctx.files.list();
  if (!files.ok()) return error_response(files.error(), req);
  json::array out;
  for (const auto& e : *files) out.push_back(entry_json(e));
  return http::json_response(200, json::object{{"count", out.size()}, {"files", std::move(out)}});
}

http::Response get_file(ApiContext& ctx, http::Request& req) {
  auto e = ctx.files.get(req.param("filename"));
  if (!e.ok()) return error_response(e.error(), req);
  if (e->state != "indexed") {
    return error_response(Error::not_found("the file is still being indexed"), req);
  }
  return http::json_response(200, entry_json(*e));
}

http::Response delete_file(ApiContext& ctx, http::Request& req) {
  if (auto st = ctx.uploads.remove(req.param("filename")); !st.ok()) {
    return error_response(st.error(), req);
  }
  return http::json_response(
      200, json::object{{"message", "File deleted"}, {"filename", req.param("filename")}});
}

}  // namespace comptoir::api
