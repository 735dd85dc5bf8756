// Text logs to documents: one event per line, in the first layout that matches
// (the last matching layout is tried first, since a file rarely mixes them).
// Layouts: the platform's "[ts] [LEVEL] [service] msg"; ISO-timestamped app logs
// ("ts LEVEL [service] msg key=value", "ts [LEVEL] service: msg", log4j "ts - LEVEL
// [thread:Class@line] - msg"); RFC 3164 and RFC 5424 syslog; Apache/nginx
// common and combined access logs; the Apache error log; HDFS and Spark/log4j
// short forms (Loghub). Continuation lines (indented, "at ...", "Caused by:",
// "... N more", an exception class name) extend the previous event's Message. Any
// other line is still a document (whole line as Message, the ingest time) counted
// in unparsed_lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ingest/document_emitter.h"
#include "ingest/timestamp.h"

namespace comptoir::ingest {

// The pieces a layout recognises in one line (views into the line).
struct LogLine {
  std::string_view layout;  // "platform", "app", "log4j", "syslog_rfc3164", ...
  EpochMillis time = 0;
  std::string_view level;  // as written; normalised when the document is built
  std::string_view service;
  std::string_view message;
  std::string_view host;
  std::string_view pid;
  std::string_view thread;
  std::string_view line_number;  // source line of a log4j location
  std::string_view ip;
  std::string_view user;
  std::string_view msgid;
  std::string_view structured_data;
  std::optional<int> facility;
  // Access logs.
  std::string_view method, path, protocol, referrer, user_agent;
  int status = -1;
  int64_t bytes = -1;
  std::optional<double> duration_ms;
  bool key_values = false;  // key=value pairs in the message become fields
};

// Whether some layout recognises `line`; fills `out`.
bool parse_log_line(std::string_view line, const TimeContext& time, LogLine& out);

// Whether `line` is in a known layout (format detection).
bool looks_like_log_line(std::string_view line);

Status parse_text_log(std::string_view text, const TimeContext& time, DocumentEmitter& out);

}  // namespace comptoir::ingest
