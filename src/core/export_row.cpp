// ExportRow: a hit's cells from the source text in one pass, or from the parsed source.
#include "core/export_row.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstring>
#include <optional>

#include "util/json_scan.h"
#include "util/json_text.h"

namespace comptoir {

namespace json = boost::json;

namespace {

// A source value by key, else by the parts of its dotted name through nested objects.
const json::value* source_value(const json::value& source, const std::string& name,
                                const std::vector<std::string>& parts) {
  const json::object* o = source.if_object();
  if (o == nullptr) return nullptr;
  if (auto it = o->find(name); it != o->end()) return &it->value();
  if (parts.empty()) return nullptr;
  const json::value* v = &source;
  for (const std::string& part : parts) {
    const json::object* obj = v->if_object();
    if (obj == nullptr) return nullptr;
    auto it = obj->find(part);
    if (it == obj->end()) return nullptr;
    v = &it->value();
  }
  return v;
}

// The parts of a dotted name, empty ones included ("a..b" is a, "", b).
std::vector<std::string> name_parts(std::string_view name) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= name.size()) {
    const size_t dot = std::min(name.find('.', start), name.size());
    parts.emplace_back(name.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

}  // namespace

ExportRow::ExportRow(std::vector<ExportColumn> columns)
    : columns_(std::move(columns)), values_(columns_.size()), cells_(columns_.size()) {
  for (const ExportColumn& c : columns_) {
    Lookup lookup;
    if (c.kind == ExportColumn::Kind::kLogField) {
      for (std::string_view key : log_field_keys(c.field)) lookup.slots.push_back(slot(key));
    } else if (c.kind == ExportColumn::Kind::kSourceField) {
      lookup.slots.push_back(slot(c.name));
      if (c.name.find('.') != std::string::npos) {
        lookup.path = name_parts(c.name);
        lookup.slots.push_back(slot(lookup.path.front()));
      }
    }
    lookups_.push_back(std::move(lookup));
  }
  raw_.resize(keys_.size());
  for (uint32_t s = 0; s < keys_.size(); ++s) {
    if (keys_[s].size() >= slots_by_length_.size()) slots_by_length_.resize(keys_[s].size() + 1);
    slots_by_length_[keys_[s].size()].push_back(s);
  }
}

uint32_t ExportRow::slot(std::string_view key) {
  auto it = std::find(keys_.begin(), keys_.end(), key);
  if (it == keys_.end()) it = keys_.insert(keys_.end(), std::string(key));
  return static_cast<uint32_t>(it - keys_.begin());
}

Status ExportRow::read(const engine::SearchHit& hit) {
  if (hit.source_text) {
    if (read_text(hit)) return {};
    boost::system::error_code ec;
    const json::value source = json::parse(*hit.source_text, ec);
    if (ec) return Error::corruption("stored _source is not JSON for [" + hit.id + "]");
    read_tree(hit, source);
    return {};
  }
  static const json::value kEmpty = json::object();
  read_tree(hit, hit.source ? *hit.source : kEmpty);
  return {};
}

bool ExportRow::read_text(const engine::SearchHit& hit) {
  std::fill(raw_.begin(), raw_.end(), std::string_view());
  const bool object = for_each_json_member(
      *hit.source_text, key_scratch_, [&](std::string_view key, std::string_view value) {
        // A repeated key overwrites: the parser keeps the last one too.
        if (key.size() >= slots_by_length_.size()) return;
        for (uint32_t s : slots_by_length_[key.size()]) {
          if (std::memcmp(keys_[s].data(), key.data(), key.size()) == 0) {
            raw_[s] = value;
            return;
          }
        }
      });
  if (!object) return false;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Lookup& lookup = lookups_[i];
    std::optional<std::string_view> text;
    switch (columns_[i].kind) {
      case ExportColumn::Kind::kLogField:
        for (uint32_t s : lookup.slots) {
          if (raw_[s].empty() || raw_[s] == "null") continue;
          if (!json_value_text(raw_[s], values_[i], text)) return false;
          break;
        }
        break;
      case ExportColumn::Kind::kId:
        text = hit.id;
        break;
      case ExportColumn::Kind::kIndex:
        text = hit.index;
        break;
      case ExportColumn::Kind::kSourceField: {
        std::string_view raw = raw_[lookup.slots[0]];
        if (raw.empty() && lookup.slots.size() > 1) {
          raw = raw_[lookup.slots[1]];
          for (size_t p = 1; p < lookup.path.size() && !raw.empty(); ++p) {
            if (raw.front() != '{') {  // not an object: nothing below it
              raw = {};
              break;
            }
            const std::optional<std::string_view> member = find_json_member(raw, lookup.path[p]);
            if (!member) return false;
            raw = *member;
          }
        }
        if (!raw.empty() && !json_value_text(raw, values_[i], text)) return false;
        break;
      }
    }
    cells_[i] = text.value_or(std::string_view());
  }
  return true;
}

void ExportRow::read_tree(const engine::SearchHit& hit, const json::value& source) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    const ExportColumn& c = columns_[i];
    std::string& value = values_[i];
    value.clear();
    switch (c.kind) {
      case ExportColumn::Kind::kLogField:
        value = log_field(source, c.field).value_or("");
        break;
      case ExportColumn::Kind::kId:
        value = hit.id;
        break;
      case ExportColumn::Kind::kIndex:
        value = hit.index;
        break;
      case ExportColumn::Kind::kSourceField: {
        const json::value* v = source_value(source, c.name, lookups_[i].path);
        if (v == nullptr || v->is_null()) break;
        if (const json::string* s = v->if_string()) {
          value.assign(s->data(), s->size());
        } else {
          value = to_json_text(*v);
        }
        break;
      }
    }
    cells_[i] = value;
  }
}

}  // namespace comptoir
