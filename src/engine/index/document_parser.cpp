// Document parsing with simdjson's DOM (hot path of indexing); see document_parser.h.
#include "engine/index/document_parser.h"

#include <charconv>
#include <cmath>

#include "engine/dsl/dsl_error.h"
#include "engine/dsl/query_json.h"
#include "engine/schema/date_format.h"
#include "engine/schema/dynamic_mapping.h"

namespace comptoir::engine {

struct DocumentParser::Ctx {
  Mapping& mapping;
  std::string_view id;
  std::vector<FieldDef> pending;  // dynamic additions, applied on success
  ParsedDocument& doc;
  DocumentParser& parser;

  const FieldDef* find(std::string_view name) {
    if (const FieldDef* f = parser.lookup(mapping, name).def) return f;
    for (const auto& p : pending)
      if (p.name == name) return &p;
    return nullptr;
  }
  // The document's entry for `def`, reusing a slot (and its capacity) of an earlier one.
  // `ord`: def's ordinal, when the lookups gave one (not for fields this document adds).
  ParsedField& field(const FieldDef& def, uint32_t ord) {
    const uint64_t bit = uint64_t{1} << ((reinterpret_cast<uintptr_t>(&def) >> 4) & 63);
    ParsedDocument::OrdSlot* at = nullptr;
    if (ord != ParsedDocument::kNoOrd && doc.ords_valid_) {
      at = &doc.ord_slots_[ord];
      if (at->serial == doc.serial_) return doc.fields_[at->slot];
    } else {
      // Most fields come once per document: a bit per field identity (one word, reset
      // per document) says when this one cannot be among the document's entries yet.
      if ((doc.seen_ & bit) != 0) {
        for (size_t i = 0; i < doc.count_; ++i)
          if (doc.fields_[i].def == &def) return doc.fields_[i];
      }
      // A field this document adds may have moved (pending grows): known by its name.
      if (!pending.empty()) {
        for (size_t i = 0; i < doc.count_; ++i)
          if (doc.fields_[i].name == def.name) return doc.fields_[i];
      }
      // A known field reached without its ordinal is still found by it later.
      if (auto o = parser.def_ords_.find(&def); o != parser.def_ords_.end() && doc.ords_valid_)
        at = &doc.ord_slots_[o->second];
    }
    doc.seen_ |= bit;
    if (at != nullptr) *at = {doc.serial_, static_cast<uint32_t>(doc.count_)};
    if (doc.count_ == doc.fields_.size()) doc.fields_.emplace_back();
    ParsedField& f = doc.fields_[doc.count_++];
    // Documents repeat their fields in the same order: the slot usually held this very
    // field last time, under the same mapping version, and keeps its name.
    if (f.def != &def || f.version != parser.lookups_version_ || !pending.empty()) {
      f.name = def.name;
      f.def = &def;
      // A field this document adds has no lasting identity (its definition is pending).
      f.version = pending.empty() ? parser.lookups_version_ : 0;
    }
    f.type = def.type;
    f.strings.clear();
    f.ints.clear();
    f.doubles.clear();
    return f;
  }
  std::string_view own(std::string s) { return doc.owned_.emplace_back(std::move(s)); }
};

namespace {

std::string preview(simdjson::dom::element v) {
  std::string s = simdjson::minify(v);
  if (v.is_string()) s = std::string(std::string_view(v.get_string().value_unsafe()));
  if (s.size() > 20) s = s.substr(0, 20) + "...";
  return s;
}

Error parse_error(std::string_view field, FieldType type, std::string_view id,
                  simdjson::dom::element v, std::string_view why = "") {
  std::string msg = "failed to parse field [" + std::string(field) + "] of type [" +
                    std::string(field_type_name(type)) + "] in document with id '" +
                    std::string(id) + "'. Preview of field's value: '" + preview(v) + "'";
  if (!why.empty()) msg += " (" + std::string(why) + ")";
  return dsl_error("document_parsing_exception", std::move(msg));
}

std::string number_text(simdjson::dom::element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::INT64:
      return std::to_string(int64_t(v.get_int64().value_unsafe()));
    case simdjson::dom::element_type::UINT64:
      return std::to_string(uint64_t(v.get_uint64().value_unsafe()));
    case simdjson::dom::element_type::DOUBLE:
      return scalar_to_string(JsonScalar{double(v.get_double().value_unsafe())});
    case simdjson::dom::element_type::BOOL:
      return v.get_bool().value_unsafe() ? "true" : "false";
    default:
      return "";
  }
}

bool parse_number_string(std::string_view s, double& out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}

size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

const DocumentParser::PathLookup& DocumentParser::lookup(const Mapping& mapping,
                                                         std::string_view path) {
  constexpr size_t kMaxPaths = 4096;  // documents with ever new keys: start over
  if (lookups_version_ != mapping.version() || lookups_.size() >= kMaxPaths) {
    lookups_.clear();
    recent_.clear();
    def_ords_.clear();
    lookups_version_ = mapping.version();
    // Ordinals start over: the fields this document entered so far are found by a scan.
    if (lookups_in_doc_ > 0) doc_.ords_valid_ = false;
  }
  const size_t n = lookups_in_doc_++;
  if (n < recent_.size() && recent_[n].path == path) return *recent_[n].lookup;
  auto it = lookups_.find(path);
  if (it == lookups_.end()) {
    PathLookup l;
    l.def = mapping.find(path);
    l.is_object = mapping.is_object(path);
    l.disabled = mapping.is_disabled(path);
    if (l.def != nullptr) {
      l.ord = ord_of(l.def);
      for (const std::string& sub : l.def->multi_fields) {
        if (const FieldDef* sd = mapping.find(sub)) l.multi_fields.push_back({sd, ord_of(sd)});
      }
    }
    it = lookups_.emplace(std::string(path), std::move(l)).first;
  }
  if (n >= recent_.size()) recent_.resize(n + 1);
  recent_[n].path.assign(path);
  recent_[n].lookup = &it->second;
  return it->second;
}

uint32_t DocumentParser::ord_of(const FieldDef* def) {
  auto [it, added] = def_ords_.try_emplace(def, static_cast<uint32_t>(def_ords_.size()));
  if (added && doc_.ord_slots_.size() < def_ords_.size()) doc_.ord_slots_.resize(def_ords_.size());
  return it->second;
}

Result<const ParsedDocument*> DocumentParser::parse(std::string_view source, std::string_view id,
                                                    Mapping& mapping, size_t readable_past_end) {
  simdjson::dom::element root;
  auto err = parser_.parse(source.data(), source.size(), readable_past_end < kPadding).get(root);
  if (err)
    return dsl_error("document_parsing_exception",
                     "failed to parse: " + std::string(simdjson::error_message(err)));
  if (!root.is_object())
    return dsl_error("document_parsing_exception",
                     "failed to parse, document is empty or not an object");
  doc_.id = id;
  doc_.source = source;
  doc_.count_ = 0;
  doc_.seen_ = 0;
  doc_.owned_.clear();
  ++doc_.serial_;
  doc_.ords_valid_ = true;
  lookups_in_doc_ = 0;
  Ctx ctx{mapping, id, {}, doc_, *this};
  simdjson::dom::object obj;
  if (root.get_object().get(obj))
    return dsl_error("document_parsing_exception", "failed to parse, document is not an object");
  COMPTOIR_TRY(walk_object(ctx, obj, ""));
  for (auto& def : ctx.pending) {
    Status s = mapping.add(std::move(def));
    if (!s.ok()) return s.error();
  }
  return &doc_;
}

Status DocumentParser::walk_object(Ctx& ctx, simdjson::dom::object obj, std::string_view prefix) {
  std::string nested;  // prefix + key, for objects inside the document
  for (auto kv : obj) {
    std::string_view path = kv.key;
    if (!prefix.empty()) {
      nested.assign(prefix);
      nested.append(kv.key);
      path = nested;
    }
    if (path.empty() || kv.key.empty())
      return dsl_error("document_parsing_exception", "field name cannot be an empty string");
    if (path == "_id" || path == "_index" || path == "_source")
      return dsl_error("document_parsing_exception",
                       "Field [" + std::string(path) +
                           "] is a metadata field and cannot be added inside a document.");
    COMPTOIR_TRY(add_value(ctx, path, kv.value));
  }
  return {};
}

Status DocumentParser::add_value(Ctx& ctx, std::string_view path, simdjson::dom::element v) {
  using T = simdjson::dom::element_type;
  // The mapping's answers for this path, read before any other lookup (one may reset
  // the cache).
  const PathLookup& known = lookup(ctx.mapping, path);
  // A disabled object's content, whatever its type, stays in _source only.
  if (known.disabled) return {};
  switch (v.type()) {
    case T::NULL_VALUE:
      return {};
    case T::ARRAY: {
      simdjson::dom::array arr;
      if (v.get_array().get(arr)) return {};
      for (simdjson::dom::element item : arr) COMPTOIR_TRY(add_value(ctx, path, item));
      return {};
    }
    case T::OBJECT: {
      if (const FieldDef* f = ctx.find(path))
        return parse_error(path, f->type, ctx.id, v, "object value");
      simdjson::dom::object obj;
      if (v.get_object().get(obj)) return {};
      return walk_object(ctx, obj, std::string(path) + ".");
    }
    default:
      break;
  }
  if (known.is_object)
    return dsl_error("document_parsing_exception",
                     "object mapping for [" + std::string(path) + "] tried to parse field [" +
                         std::string(path) + "] as object, but found a concrete value");
  const FieldDef* def = known.def;
  const uint32_t def_ord = known.ord;
  const auto* known_subs = def ? &known.multi_fields : nullptr;
  if (def == nullptr) def = ctx.find(path);  // added by this document
  if (def == nullptr) {
    if (!ctx.mapping.dynamic) return {};
    JsonValueKind kind = v.type() == T::STRING   ? JsonValueKind::kString
                         : v.type() == T::BOOL   ? JsonValueKind::kBoolean
                         : v.type() == T::DOUBLE ? JsonValueKind::kFloat
                                                 : JsonValueKind::kInteger;
    std::string_view s =
        v.type() == T::STRING ? std::string_view(v.get_string().value_unsafe()) : "";
    // A dotted prefix that is already a leaf field cannot become an object.
    for (size_t dot = path.find('.'); dot != std::string_view::npos;
         dot = path.find('.', dot + 1)) {
      if (const FieldDef* leaf = ctx.find(path.substr(0, dot)); leaf && leaf->parent.empty())
        return dsl_error("document_parsing_exception",
                         "Could not dynamically add mapping for field [" + std::string(path) +
                             "]. Existing mapping for [" + leaf->name +
                             "] must be of type object but found [" +
                             std::string(field_type_name(leaf->type)) + "].");
    }
    for (auto& d : dynamic_field_defs(ctx.mapping, path, kind, s))
      ctx.pending.push_back(std::move(d));
    def = ctx.find(path);
  }
  // Convert to the field's type, then fill its multi-fields with the same source value.
  auto convert = [&](const FieldDef& f, uint32_t ord) -> Status {
    if (!f.index && storage_kind(f.type) != StorageKind::kInt64 &&
        storage_kind(f.type) != StorageKind::kDouble)
      return {};
    ParsedField& out = ctx.field(f, ord);
    const bool is_string = v.type() == T::STRING;
    std::string_view str = is_string ? std::string_view(v.get_string().value_unsafe()) : "";
    switch (f.type) {
      case FieldType::kText:
        out.strings.push_back(is_string ? str : ctx.own(number_text(v)));
        return {};
      case FieldType::kKeyword:
      case FieldType::kIp: {
        std::string_view s = is_string ? str : ctx.own(number_text(v));
        // Characters never outnumber bytes: only a value longer in bytes is counted.
        if (f.ignore_above && s.size() > *f.ignore_above && utf8_chars(s) > *f.ignore_above)
          return {};
        out.strings.push_back(s);
        return {};
      }
      case FieldType::kBoolean:
        if (v.type() == T::BOOL) {
          out.ints.push_back(v.get_bool().value_unsafe() ? 1 : 0);
          return {};
        }
        if (is_string && (str == "true" || str == "false" || str.empty())) {
          out.ints.push_back(str == "true" ? 1 : 0);
          return {};
        }
        return parse_error(f.name, f.type, ctx.id, v);
      case FieldType::kDate:
        if (v.type() == T::INT64 || v.type() == T::UINT64 || v.type() == T::DOUBLE) {
          double d = v.type() == T::DOUBLE  ? v.get_double().value_unsafe()
                     : v.type() == T::INT64 ? double(v.get_int64().value_unsafe())
                                            : double(v.get_uint64().value_unsafe());
          out.ints.push_back(static_cast<int64_t>(d));
          return {};
        }
        if (is_string) {
          auto ms = parse_date(str, f.format ? std::string_view(*f.format) : kDefaultDateFormat);
          if (!ms) return parse_error(f.name, f.type, ctx.id, v, ms.error().message);
          out.ints.push_back(*ms);
          return {};
        }
        return parse_error(f.name, f.type, ctx.id, v);
      default:
        break;
    }
    // Numbers: JSON numbers, or numeric strings (coerce), never booleans.
    double d;
    int64_t i = 0;
    bool exact_int = false;
    if (v.type() == T::INT64) {
      i = v.get_int64().value_unsafe();
      d = double(i);
      exact_int = true;
    } else if (v.type() == T::UINT64) {
      d = double(v.get_uint64().value_unsafe());
    } else if (v.type() == T::DOUBLE) {
      d = v.get_double().value_unsafe();
    } else if (is_string && parse_number_string(str, d)) {
      auto [p, ec] = std::from_chars(str.data(), str.data() + str.size(), i);
      exact_int = ec == std::errc() && p == str.data() + str.size();
    } else {
      return parse_error(f.name, f.type, ctx.id, v);
    }
    if (storage_kind(f.type) == StorageKind::kDouble) {
      if (f.type == FieldType::kFloat || f.type == FieldType::kHalfFloat) d = double(float(d));
      if (!std::isfinite(d))  // 1E300 as a float: rejected as Elasticsearch does
        return parse_error(f.name, f.type, ctx.id, v,
                           "[" + std::string(field_type_name(f.type)) +
                               "] supports only finite values, but got [" +
                               (d > 0 ? "Infinity" : "-Infinity") + "]");
      out.doubles.push_back(d);
      return {};
    }
    if (!exact_int) {
      if (!(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18))
        return parse_error(f.name, f.type, ctx.id, v, "out of range");
      i = static_cast<int64_t>(d);  // coerce: truncate decimals
    }
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    if (f.type == FieldType::kInteger) lo = INT32_MIN, hi = INT32_MAX;
    if (f.type == FieldType::kShort) lo = INT16_MIN, hi = INT16_MAX;
    if (f.type == FieldType::kByte) lo = INT8_MIN, hi = INT8_MAX;
    if (i < lo || i > hi) return parse_error(f.name, f.type, ctx.id, v, "out of range");
    out.ints.push_back(i);
    return {};
  };
  // A field this document adds has no ordinal (def_ord is kNoOrd when known.def was null).
  COMPTOIR_TRY(convert(*def, def_ord));
  // `def` stays valid: converting adds no pending field.
  if (known_subs != nullptr) {
    for (const auto& sub : *known_subs) COMPTOIR_TRY(convert(*sub.def, sub.ord));
    return {};
  }
  for (const std::string& sub : def->multi_fields) {
    if (const FieldDef* sd = ctx.find(sub)) {
      Status s = convert(*sd, ParsedDocument::kNoOrd);
      if (!s.ok()) return s.error();
    }
  }
  return {};
}

}  // namespace comptoir::engine
