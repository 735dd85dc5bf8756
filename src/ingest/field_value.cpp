// Writing a FieldValue as text (its number or boolean) and as JSON.
#include "ingest/field_value.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "ingest/document_json.h"

namespace comptoir::ingest {

std::string_view written_scalar_text(const FieldValue& v, ScalarBuffer& buffer) {
  char* const b = buffer.data();
  auto view = [b](const char* end) { return std::string_view(b, static_cast<size_t>(end - b)); };
  switch (v.kind) {
    case FieldValue::Kind::kString:
      return v.text;
    case FieldValue::Kind::kInt64:
      return view(std::to_chars(b, b + buffer.size(), v.int64).ptr);
    case FieldValue::Kind::kUint64:
      return view(std::to_chars(b, b + buffer.size(), v.uint64).ptr);
    case FieldValue::Kind::kDouble: {
      const double d = v.number;
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
        return view(std::to_chars(b, b + buffer.size(), static_cast<int64_t>(d)).ptr);
      }
      return view(fmt::format_to_n(b, buffer.size(), "{}", d).out);
    }
    case FieldValue::Kind::kBool:
      return v.boolean ? "true" : "false";
    case FieldValue::Kind::kAbsent:
    case FieldValue::Kind::kNull:
    case FieldValue::Kind::kArray:
      break;
  }
  return {};
}

void append_json(TextBuffer& out, const FieldValue& v) {
  switch (v.kind) {
    case FieldValue::Kind::kAbsent:
      return;
    case FieldValue::Kind::kNull:
      out.append("null");
      return;
    case FieldValue::Kind::kBool:
      out.append(v.boolean ? "true" : "false");
      return;
    case FieldValue::Kind::kInt64:
      append_json_int(out, v.int64);
      return;
    case FieldValue::Kind::kUint64:
      append_json_uint(out, v.uint64);
      return;
    case FieldValue::Kind::kDouble:
      if (!v.text.empty()) {
        out.append(v.text);
      } else {
        append_json_double(out, v.number);
      }
      return;
    case FieldValue::Kind::kString:
      append_json_string(out, v.text);
      return;
    case FieldValue::Kind::kArray:
      append_json_value(out, *v.array);
      return;
  }
}

}  // namespace comptoir::ingest
