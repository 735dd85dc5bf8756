// simdjson DOM parsing (SIMD, no exceptions), each object flattened into a
// FlatRecord and written straight into its document's text.
#include "ingest/json_parser.h"

#include <simdjson.h>

#include <boost/json/stream_parser.hpp>

#include <string>

#include <fmt/format.h>

#include "ingest/flat_record.h"
#include "ingest/log_fields.h"
#include "ingest/record_document.h"
#include "ingest/sales_fields.h"
#include "ingest/simdjson_element.h"
#include "ingest/text_encoding.h"

namespace comptoir::ingest {

namespace json = boost::json;
namespace dom = simdjson::dom;

namespace {

std::string describe(simdjson::error_code error, size_t max_depth) {
  if (error == simdjson::DEPTH_ERROR) {
    return fmt::format("JSON nested deeper than {} levels", max_depth);
  }
  return fmt::format("invalid JSON ({})", simdjson::error_message(error));
}

// Lines of the elements of one array of a document simdjson has already validated
// (its DOM keeps no source positions). A cursor walks the text only as far as the
// element asked for, so a file whose elements are all accepted costs nothing, and
// the whole walk, however many elements are rejected, is one pass.
class ElementLines {
 public:
  // `array_at`: the offset of the array's '['.
  ElementLines(std::string_view text, size_t array_at) : text_(text), pos_(array_at + 1) {}

  // The 1-based line where element `index` (0-based, non-decreasing) starts.
  uint64_t line_of(size_t index) {
    for (;;) {
      skip_space();
      if (next_ == index || pos_ >= text_.size() || text_[pos_] == ']') break;
      skip_value();
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
      ++next_;
    }
    count_lines_to(pos_);
    return line_;
  }

  // The offset of the value of member `member` (0-based, in text order) of the
  // object at `object_at`.
  static size_t member_value_offset(std::string_view text, size_t object_at, size_t member) {
    ElementLines scan(text, object_at);
    for (size_t m = 0;; ++m) {
      scan.skip_space();
      scan.skip_value();  // the key
      scan.skip_space();
      ++scan.pos_;  // ':'
      scan.skip_space();
      if (m == member || scan.pos_ >= text.size()) return scan.pos_;
      scan.skip_value();
      scan.skip_space();
      ++scan.pos_;  // ','
    }
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // Past the string whose opening quote is at pos_.
  void skip_string() {
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    ++pos_;
  }

  // Past one value: a string, a container (brackets counted outside strings) or a
  // scalar (up to the next delimiter).
  void skip_value() {
    if (pos_ >= text_.size()) return;
    const char c = text_[pos_];
    if (c == '"') {
      skip_string();
    } else if (c == '[' || c == '{') {
      size_t depth = 0;
      while (pos_ < text_.size()) {
        const char d = text_[pos_];
        if (d == '"') {
          skip_string();
          continue;
        }
        ++pos_;
        if (d == '[' || d == '{') {
          ++depth;
        } else if ((d == ']' || d == '}') && --depth == 0) {
          return;
        }
      }
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ']' &&
             text_[pos_] != '}' && text_[pos_] != ' ' && text_[pos_] != '\t' &&
             text_[pos_] != '\n' && text_[pos_] != '\r') {
        ++pos_;
      }
    }
  }

  // Line breaks as position_of() counts them: LF, and CR not followed by LF.
  void count_lines_to(size_t to) {
    for (; counted_ < to && counted_ < text_.size(); ++counted_) {
      const char c = text_[counted_];
      if (c == '\n' ||
          (c == '\r' && (counted_ + 1 >= text_.size() || text_[counted_ + 1] != '\n'))) {
        ++line_;
      }
    }
  }

  std::string_view text_;
  size_t pos_;
  size_t next_ = 0;  // index of the element at pos_
  size_t counted_ = 0;
  uint64_t line_ = 1;
};

// Normalises and emits one flattened object. The sales layout is read from the
// first object; the log field map and the FieldNames are worked out again only
// when an object's names differ from the previous one's.
class ObjectEmitter {
 public:
  ObjectEmitter(const TimeContext& time, DocumentEmitter& out) : time_(time), out_(out) {}

  // An element of a JSON array: its line is found only if it is rejected.
  Status emit(const FlatRecord& record, ElementLines& lines, size_t index) {
    return emit_with(
        record, [&] { return lines.line_of(index - 1); },
        [&] { return fmt::format("array element {}: ", index); });
  }

  // A whole document or an NDJSON line.
  Status emit(const FlatRecord& record, uint64_t line) {
    return emit_with(
        record, [line] { return line; }, [] { return std::string(); });
  }

 private:
  // `line()` and `where()` (a prefix of the reason) are asked for only on a rejection.
  template <typename Line, typename Where>
  Status emit_with(const FlatRecord& record, Line line, Where where) {
    if (!resolved_) {
      sales_ = SalesFieldMap::resolve(record.names());
      resolved_ = true;
      out_.summary().kind = sales_.layout() != SalesLayout::kNone ? DocumentKind::kSalesLine
                                                                  : DocumentKind::kLogEvent;
    }
    if (!known_names_ || record.signature() != signature_) learn_names(record);
    return emit_record(
        out_, time_, sales_, logs_, names_, record.values(),
        [&](std::string reason) { out_.reject(line(), fmt::format("{}{}", where(), reason)); });
  }

  void learn_names(const FlatRecord& record) {
    signature_.assign(record.signature());
    known_names_ = true;
    if (sales_.layout() != SalesLayout::kNone) {
      sales_.locate(record.names());
      sales_.add_carried_names(out_.summary().carried_fields);
    } else {
      logs_ = LogFieldMap::resolve(record.names());
      logs_.add_carried_names(record.names(), out_.summary().carried_fields);
    }
    names_.assign(record.names());
  }

  const TimeContext& time_;
  DocumentEmitter& out_;
  bool resolved_ = false;
  SalesFieldMap sales_;
  bool known_names_ = false;
  std::string signature_;  // of the names below
  LogFieldMap logs_;
  FieldNames names_;
};

// Where simdjson gave up is not reported by its DOM API; Boost.JSON's incremental
// parser finds the byte where the text stops being JSON, for the error message.
std::string locate_json_error(std::string_view text) {
  json::stream_parser p;
  boost::system::error_code ec;
  const size_t n = p.write_some(text.data(), text.size(), ec);
  if (!ec) {
    p.finish(ec);
    if (ec) return "the text ends inside a JSON value";
    return "";
  }
  const TextPosition pos = position_of(text, n);
  return fmt::format("line {}, column {}: {}", pos.line, pos.column, ec.message());
}

}  // namespace

bool looks_like_ndjson(std::string_view text) {
  size_t i = 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  if (i >= text.size() || text[i] != '{') return false;
  const size_t eol = text.find('\n', i);
  if (eol == std::string_view::npos) return false;
  const std::string_view rest = text.substr(eol + 1);
  if (rest.find_first_not_of(" \t\r\n") == std::string_view::npos) return false;
  dom::parser parser;
  dom::element el;
  const std::string line(text.substr(i, eol - i));
  return !parser.parse(line).get(el) && el.type() == dom::element_type::OBJECT;
}

Status parse_json_document(std::string_view text, const TimeContext& time, DocumentEmitter& out) {
  const size_t max_depth = out.options().max_json_depth;
  dom::parser parser;
  if (auto error = parser.allocate(text.size() + 64, max_depth)) {
    return Error::invalid(describe(error, max_depth));
  }
  dom::element root;
  // parse() copies the text into a padded buffer (the input has no padding).
  if (auto error = parser.parse(text.data(), text.size(), true).get(root)) {
    if (error == simdjson::DEPTH_ERROR) return Error::invalid(describe(error, max_depth));
    const std::string where = locate_json_error(text);
    return Error::invalid(
        fmt::format("the file is not valid JSON{}{}", where.empty() ? "" : ": ", where));
  }
  ObjectEmitter emitter(time, out);
  FlatRecord record;

  // The array to read: the root, or the one array of objects the root object holds.
  const size_t root_at = text.find_first_not_of(" \t\r\n");
  dom::array items;
  size_t array_at = root_at;
  if (root.type() == dom::element_type::ARRAY) {
    items = element_as<dom::array>(root);
  } else if (root.type() == dom::element_type::OBJECT) {
    int arrays_of_objects = 0;
    size_t member = 0, array_member = 0;
    const auto root_object = element_as<dom::object>(root);
    for (dom::key_value_pair kv : root_object) {
      ++member;
      if (kv.value.type() != dom::element_type::ARRAY) continue;
      const auto a = element_as<dom::array>(kv.value);
      dom::element first;
      if (a.size() > 0 && !a.at(0).get(first) && first.type() == dom::element_type::OBJECT) {
        ++arrays_of_objects;
        items = a;
        array_member = member - 1;
      }
    }
    if (arrays_of_objects != 1) {
      record.assign(root_object);
      return emitter.emit(record, 1);
    }
    array_at = ElementLines::member_value_offset(text, root_at, array_member);
  } else {
    return Error::invalid("the JSON file holds a single value, not objects");
  }
  ElementLines lines(text, array_at);
  size_t index = 0;
  for (dom::element item : items) {
    ++index;
    if (item.type() != dom::element_type::OBJECT) {
      out.reject(lines.line_of(index - 1),
                 fmt::format("array element {} is not a JSON object", index));
      continue;
    }
    // The line is only looked for when the element is rejected.
    record.assign(element_as<dom::object>(item));
    COMPTOIR_TRY(emitter.emit(record, lines, index));
  }
  return {};
}

Status parse_ndjson(std::string_view text, const TimeContext& time, DocumentEmitter& out) {
  const size_t max_depth = out.options().max_json_depth;
  const size_t max_line = out.options().max_field_bytes;
  dom::parser parser;
  if (auto error = parser.allocate(64 * 1024, max_depth)) {
    return Error::invalid(describe(error, max_depth));
  }
  ObjectEmitter emitter(time, out);
  FlatRecord record;
  std::string padded;  // a line near the end of the text, with simdjson's padding after it
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    size_t start = 0;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
    line.remove_prefix(start);
    if (line.empty()) {
      ++out.summary().blank_lines;
      continue;
    }
    if (line.size() > max_line) {
      out.reject(line_no,
                 fmt::format("line is {} bytes, over the limit of {}", line.size(), max_line));
      continue;
    }
    // simdjson reads up to SIMDJSON_PADDING bytes past the end, whatever they hold:
    // the rest of the text serves, except near its end.
    const char* json = line.data();
    if (static_cast<size_t>(text.data() + text.size() - (line.data() + line.size())) <
        simdjson::SIMDJSON_PADDING) {
      padded.assign(line);
      padded.resize(line.size() + simdjson::SIMDJSON_PADDING);
      json = padded.data();
    }
    dom::element el;
    if (auto error = parser.parse(json, line.size(), false).get(el)) {
      out.reject(line_no, describe(error, max_depth));
      continue;
    }
    if (el.type() != dom::element_type::OBJECT) {
      out.reject(line_no, "line is not a JSON object");
      continue;
    }
    record.assign(element_as<dom::object>(el));
    COMPTOIR_TRY(emitter.emit(record, line_no));
  }
  return {};
}

}  // namespace comptoir::ingest
