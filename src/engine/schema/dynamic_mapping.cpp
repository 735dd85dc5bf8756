// Dynamic mapping rules (see dynamic_mapping.h).
#include "engine/schema/dynamic_mapping.h"

#include <charconv>

#include "engine/schema/date_format.h"

namespace comptoir::engine {

std::vector<FieldDef> dynamic_field_defs(const Mapping& mapping, std::string_view path,
                                         JsonValueKind kind, std::string_view s) {
  FieldDef def;
  def.name = std::string(path);
  switch (kind) {
    case JsonValueKind::kBoolean:
      def.type = FieldType::kBoolean;
      return {def};
    case JsonValueKind::kInteger:
      def.type = FieldType::kLong;
      return {def};
    case JsonValueKind::kFloat:
      def.type = FieldType::kFloat;
      return {def};
    case JsonValueKind::kString:
      break;
  }
  if (mapping.date_detection && looks_like_date(s)) {
    def.type = FieldType::kDate;
    // ES records the dynamic date format that matched.
    if (s.size() > 4 && s[4] == '/')
      def.format = "yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd HH:mm:ss||yyyy/MM/dd Z||yyyy/MM/dd";
    return {def};
  }
  if (mapping.numeric_detection && !s.empty()) {
    int64_t i;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec == std::errc() && p == s.data() + s.size()) {
      def.type = FieldType::kLong;
      return {def};
    }
    double d;
    auto [p2, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec2 == std::errc() && p2 == s.data() + s.size()) {
      def.type = FieldType::kFloat;
      return {def};
    }
  }
  def.type = FieldType::kText;
  def.multi_fields.push_back(def.name + ".keyword");
  FieldDef kw;
  kw.name = def.name + ".keyword";
  kw.type = FieldType::kKeyword;
  kw.ignore_above = kDynamicKeywordIgnoreAbove;
  kw.parent = def.name;
  return {def, kw};
}

}  // namespace comptoir::engine
