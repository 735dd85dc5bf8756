// Mapping parsing, serialisation and lookup (see mapping.h).
#include "engine/schema/mapping.h"

#include <atomic>

#include "engine/dsl/dsl_error.h"
#include "util/glob_match.h"

namespace comptoir::engine {

namespace json = boost::json;

std::string_view field_type_name(FieldType t) {
  switch (t) {
    case FieldType::kText:
      return "text";
    case FieldType::kKeyword:
      return "keyword";
    case FieldType::kLong:
      return "long";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kShort:
      return "short";
    case FieldType::kByte:
      return "byte";
    case FieldType::kDouble:
      return "double";
    case FieldType::kFloat:
      return "float";
    case FieldType::kHalfFloat:
      return "half_float";
    case FieldType::kDate:
      return "date";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kIp:
      return "ip";
    case FieldType::kObject:
      return "object";
  }
  return "unknown";
}

std::optional<FieldType> parse_field_type(std::string_view n) {
  for (FieldType t : {FieldType::kText, FieldType::kKeyword, FieldType::kLong, FieldType::kInteger,
                      FieldType::kShort, FieldType::kByte, FieldType::kDouble, FieldType::kFloat,
                      FieldType::kHalfFloat, FieldType::kDate, FieldType::kBoolean, FieldType::kIp,
                      FieldType::kObject}) {
    if (field_type_name(t) == n) return t;
  }
  if (n == "match_only_text") return FieldType::kText;
  if (n == "constant_keyword" || n == "wildcard") return FieldType::kKeyword;
  if (n == "date_nanos") return FieldType::kDate;
  if (n == "scaled_float") return FieldType::kDouble;
  if (n == "unsigned_long") return FieldType::kLong;
  return std::nullopt;
}

bool field_pattern_match(std::string_view pattern, std::string_view text) {
  return glob_match(pattern, text);
}

const FieldDef* Mapping::find(std::string_view name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? nullptr : &it->second;
}

std::vector<const FieldDef*> Mapping::match(std::string_view pattern) const {
  std::vector<const FieldDef*> out;
  if (pattern.find('*') == std::string_view::npos) {
    if (const FieldDef* f = find(pattern)) out.push_back(f);
    return out;
  }
  for (const auto& [name, def] : fields_)
    if (field_pattern_match(pattern, name)) out.push_back(&def);
  return out;
}

uint64_t MappingVersion::next() {
  static std::atomic<uint64_t> counter{0};
  return ++counter;
}

Status Mapping::add(FieldDef def) {
  version_.bump();
  if (is_disabled(def.name))
    return dsl_error("illegal_argument_exception", "can't merge a non object mapping [" + def.name +
                                                       "] with a disabled object mapping");
  auto it = fields_.find(def.name);
  if (it != fields_.end()) {
    if (it->second.type != def.type)
      return dsl_error("illegal_argument_exception",
                       "mapper [" + def.name + "] cannot be changed from type [" +
                           std::string(field_type_name(it->second.type)) + "] to [" +
                           std::string(field_type_name(def.type)) + "]");
    return {};
  }
  if (objects_.count(def.name))
    return dsl_error("illegal_argument_exception",
                     "can't merge a non object mapping [" + def.name + "] with an object mapping");
  // Every proper prefix of a dotted name is an object (unless it is a multi-field parent).
  if (def.parent.empty()) {
    for (size_t dot = def.name.find('.'); dot != std::string::npos;
         dot = def.name.find('.', dot + 1)) {
      std::string prefix = def.name.substr(0, dot);
      if (fields_.count(prefix))
        return dsl_error("illegal_argument_exception", "can't merge a non object mapping [" +
                                                           prefix + "] with an object mapping");
      objects_.insert(prefix);
    }
  }
  std::string name = def.name;
  fields_.emplace(std::move(name), std::move(def));
  return {};
}

bool Mapping::is_disabled(std::string_view path) const {
  if (disabled_.empty()) return false;
  if (disabled_.find(path) != disabled_.end()) return true;
  for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1))
    if (disabled_.find(path.substr(0, dot)) != disabled_.end()) return true;
  return false;
}

namespace {

Status parse_properties(const json::object& props, const std::string& prefix, Mapping& m);

Status parse_field(const std::string& name, const json::object& spec, Mapping& m,
                   const std::string& parent) {
  if (const auto* p = spec.if_contains("properties")) {
    if (!p->is_object())
      return dsl_error("mapper_parsing_exception",
                       "[properties] must be an object on [" + name + "]");
    if (const auto* t = spec.if_contains("type");
        t && (!t->is_string() || t->get_string() != "object"))
      return dsl_error("mapper_parsing_exception",
                       "field [" + name + "] has properties and a type");
    m.add_object(name);
    return parse_properties(p->get_object(), name + ".", m);
  }
  FieldDef def;
  def.name = name;
  def.parent = parent;
  const auto* t = spec.if_contains("type");
  if (t == nullptr || !t->is_string())
    return dsl_error("mapper_parsing_exception", "No type specified for field [" + name + "]");
  auto type = parse_field_type(t->get_string());
  if (!type)
    return dsl_error("mapper_parsing_exception", "No handler for type [" +
                                                     std::string(t->get_string()) +
                                                     "] declared on field [" + name + "]");
  def.type = *type;
  if (def.type == FieldType::kObject) {
    if (const auto* en = spec.if_contains("enabled"); en && en->is_bool() && !en->get_bool()) {
      m.add_disabled(name);
    } else {
      m.add_object(name);
    }
    return {};
  }
  if (const auto* ia = spec.if_contains("ignore_above"); ia && ia->is_number())
    def.ignore_above = static_cast<uint32_t>(ia->to_number<int64_t>());
  if (const auto* f = spec.if_contains("format"); f && f->is_string())
    def.format = std::string(f->get_string());
  if (const auto* ix = spec.if_contains("index"); ix && ix->is_bool()) def.index = ix->get_bool();
  std::vector<std::pair<std::string, const json::object*>> subs;
  if (const auto* fs = spec.if_contains("fields"); fs && fs->is_object()) {
    for (const auto& kv : fs->get_object()) {
      if (!kv.value().is_object())
        return dsl_error("mapper_parsing_exception",
                         "multi-field [" + std::string(kv.key()) + "] must be an object");
      std::string sub = name + "." + std::string(kv.key());
      def.multi_fields.push_back(sub);
      subs.emplace_back(sub, &kv.value().get_object());
    }
  }
  COMPTOIR_TRY(m.add(std::move(def)));
  for (const auto& [sub, sub_spec] : subs) COMPTOIR_TRY(parse_field(sub, *sub_spec, m, name));
  return {};
}

Status parse_properties(const json::object& props, const std::string& prefix, Mapping& m) {
  for (const auto& kv : props) {
    if (!kv.value().is_object())
      return dsl_error("mapper_parsing_exception", "Expected map for property [fields] on field [" +
                                                       std::string(kv.key()) + "]");
    COMPTOIR_TRY(parse_field(prefix + std::string(kv.key()), kv.value().get_object(), m, ""));
  }
  return {};
}

json::object field_json(const Mapping& m, const FieldDef& f) {
  json::object o{{"type", field_type_name(f.type)}};
  if (f.ignore_above) o["ignore_above"] = *f.ignore_above;
  if (f.format) o["format"] = *f.format;
  if (!f.index) o["index"] = false;
  if (!f.multi_fields.empty()) {
    json::object subs;
    for (const auto& s : f.multi_fields) {
      const FieldDef* sd = m.find(s);
      if (sd != nullptr) subs[s.substr(f.name.size() + 1)] = field_json(m, *sd);
    }
    o["fields"] = std::move(subs);
  }
  return o;
}

}  // namespace

Result<Mapping> parse_mapping(const json::value& v) {
  Mapping m;
  if (v.is_null()) return m;
  if (!v.is_object()) return dsl_error("mapper_parsing_exception", "mapping must be an object");
  const json::object* o = &v.get_object();
  if (const auto* inner = o->if_contains("mappings"); inner && inner->is_object())
    o = &inner->get_object();
  for (const auto& kv : *o) {
    std::string_view k = kv.key();
    if (k == "properties") {
      if (!kv.value().is_object())
        return dsl_error("mapper_parsing_exception", "[properties] must be an object");
      COMPTOIR_TRY(parse_properties(kv.value().get_object(), "", m));
    } else if (k == "dynamic") {
      const auto& d = kv.value();
      m.dynamic = !(d.is_bool() ? !d.get_bool()
                                : (d.is_string() &&
                                   (d.get_string() == "false" || d.get_string() == "strict")));
    } else if (k == "date_detection" && kv.value().is_bool()) {
      m.date_detection = kv.value().get_bool();
    } else if (k == "numeric_detection" && kv.value().is_bool()) {
      m.numeric_detection = kv.value().get_bool();
    } else if (k == "_source" || k == "_meta" || k == "dynamic_templates" || k == "settings") {
      // accepted, no effect
    } else {
      return dsl_error(
          "mapper_parsing_exception",
          "Root mapping definition has unsupported parameters: [" + std::string(k) + "]");
    }
  }
  return m;
}

json::value to_es_json(const Mapping& m) {
  json::object root;
  // Walk/create the nested "properties" objects for a dotted path; set its leaf.
  auto put = [&](const std::string& name, json::value leaf) {
    json::object* props = &root;
    size_t start = 0;
    for (size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', start)) {
      std::string part = name.substr(start, dot - start);
      json::value& obj = (*props)[part];
      if (!obj.is_object()) obj = json::object{};
      json::value& sub = obj.get_object()["properties"];
      if (!sub.is_object()) sub = json::object{};
      props = &sub.get_object();
      start = dot + 1;
    }
    (*props)[name.substr(start)] = std::move(leaf);
  };
  for (const auto& [name, def] : m.fields()) {
    if (def.parent.empty()) put(name, field_json(m, def));
  }
  for (const std::string& name : m.disabled())
    put(name, json::object{{"type", "object"}, {"enabled", false}});
  json::object out{{"properties", std::move(root)}};
  if (!m.dynamic) out["dynamic"] = false;
  if (!m.date_detection) out["date_detection"] = false;
  return out;
}

}  // namespace comptoir::engine
