// The ingestion entry point: the bytes of one uploaded file in, canonical documents
// out (DESIGN.md §5). parse_file() checks the encoding, detects the format (CSV,
// JSON, NDJSON, text log), parses, normalises to the canonical log or sales fields
// and streams each document, as the JSON text the index receives, with its
// destination index to a DocumentSink. A row
// that cannot be used is a counted Rejection with its line and reason; nothing is
// dropped silently. The file-level failures (encoding, invalid JSON document, bad
// option) are the Error of the Result.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "ingest/format.h"
#include "util/result.h"

namespace comptoir::ingest {

enum class DocumentKind : uint8_t { kLogEvent, kSalesLine };
std::string_view document_kind_name(DocumentKind kind);  // "log", "sales"

inline constexpr std::string_view kSalesIndex = "ecommerce-sales";
inline constexpr std::string_view kLogIndexPrefix = "ecommerce-logs-";

// Where a document goes. `index` is valid only during the sink call.
struct Destination {
  DocumentKind kind;
  std::string_view index;  // "ecommerce-logs-2025.12.23" or "ecommerce-sales"
};

// A row, line or array element that could not become a document.
struct Rejection {
  uint64_t line = 0;  // 1-based; for a JSON array element, the line where it starts
  std::string reason;
};

class DocumentSink {
 public:
  virtual ~DocumentSink() = default;
  // `json_text` is one JSON object, valid only during the call. An error stops
  // parsing and becomes parse_file's error.
  virtual Status on_document(const Destination& destination, std::string_view json_text) = 0;
  virtual void on_rejection(const Rejection& /*rejection*/) {}
};

struct IngestOptions {
  // The stored file name, recorded as `source_file`; its extension is a format hint.
  std::string source_file;
  // Skip detection.
  std::optional<Format> format;
  // Zone of timestamps written without an offset (COMPTOIR_TIMEZONE): "UTC",
  // "+02:00" or an IANA name such as "Europe/Paris".
  std::string time_zone = "UTC";
  // `@timestamp` of events without one (unparsed lines, JSON records without a
  // time field) and the year of syslog dates.
  std::chrono::system_clock::time_point ingest_time = std::chrono::system_clock::now();
  size_t max_errors = 20;                // Rejections kept in IngestSummary::errors
  size_t max_json_depth = 64;            // deeper JSON: a rejected line / file error
  size_t max_field_bytes = 1024 * 1024;  // a longer CSV field or text line is rejected
};

struct IngestSummary {
  Format format = Format::kText;
  DocumentKind kind = DocumentKind::kLogEvent;  // what the file's documents are
  uint64_t documents = 0;                       // sent to the sink (unparsed lines included)
  uint64_t rejected = 0;                        // Rejections
  uint64_t unparsed_lines = 0;        // text lines no pattern knows, kept with Message only
  uint64_t blank_lines = 0;           // empty lines and rows, skipped
  uint64_t timestamps_defaulted = 0;  // log events whose time field was unreadable:
                                      // kept at the ingest time, original field intact
  std::vector<Rejection> errors;      // the first max_errors
  std::map<std::string, uint64_t, std::less<>> indices;        // index -> documents
  std::map<std::string, uint64_t, std::less<>> text_patterns;  // text: pattern -> events
  // Original fields whose values a canonical field carries (`level` for `Level`,
  // `InvoiceNo` for `order_id`): kept in the documents, need not be indexed again.
  std::set<std::string, std::less<>> carried_fields;
};

// Parses one whole file. InvalidArgument for an empty file, bad encoding (line and
// byte offset named), a JSON file that is not JSON, an unknown time zone.
Result<IngestSummary> parse_file(std::string_view bytes, const IngestOptions& options,
                                 DocumentSink& sink);

// A sink that keeps everything, read back into objects, for tests, the CLI's dry
// runs and small files.
class CollectingSink : public DocumentSink {
 public:
  struct Entry {
    DocumentKind kind;
    std::string index;
    boost::json::object document;
  };
  Status on_document(const Destination& destination, std::string_view json_text) override {
    boost::system::error_code ec;
    boost::json::value document = boost::json::parse(json_text, ec);
    if (ec || !document.is_object()) return Error::internal("a document is not a JSON object");
    entries.push_back(
        {destination.kind, std::string(destination.index), std::move(document.get_object())});
    return {};
  }
  void on_rejection(const Rejection& rejection) override { rejections.push_back(rejection); }

  std::vector<Entry> entries;
  std::vector<Rejection> rejections;
};

}  // namespace comptoir::ingest
