// DocumentParser: turns one JSON _source into typed field values following the mapping
// (objects flattened to dotted names, arrays multi-valued, multi-fields filled, ES's
// coercions), growing the mapping dynamically. A value that does not fit its field is a
// per-document "document_parsing_exception" error; the mapping is then left untouched.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/schema/mapping.h"
#include "util/result.h"

namespace comptoir::engine {

struct ParsedField {
  std::string name;
  FieldType type = FieldType::kKeyword;
  std::vector<std::string> strings;  // text and keyword values
  std::vector<int64_t> ints;         // long, integer, date (epoch ms), boolean (0/1)
  std::vector<double> doubles;       // double, float
};

struct ParsedDocument {
  std::string id;
  std::string source;
  std::vector<ParsedField> fields;
};

class DocumentParser {
 public:
  // Parses `source`; new dynamic fields are added to `mapping` only if the whole
  // document parses. `id` is only used in error messages and copied to the result.
  Result<ParsedDocument> parse(std::string_view source, std::string_view id, Mapping& mapping);

 private:
  struct Ctx;
  Status walk_object(Ctx& ctx, simdjson::dom::object obj, const std::string& prefix);
  Status add_value(Ctx& ctx, const std::string& path, simdjson::dom::element v);

  simdjson::dom::parser parser_;
};

}  // namespace comptoir::engine
