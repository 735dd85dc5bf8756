// Flattening walks the simdjson DOM once; a repeated name is found by a short
// linear scan over the names so far, hashes compared first.
#include "ingest/flat_record.h"

#include <cstring>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "ingest/simdjson_element.h"

namespace comptoir::ingest {

namespace json = boost::json;
namespace dom = simdjson::dom;

namespace {

uint32_t name_hash(std::string_view name) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

void flatten_into(dom::object obj, std::string& prefix, json::object& out) {
  for (dom::key_value_pair kv : obj) {
    const size_t keep = prefix.size();
    prefix.append(kv.key);
    if (kv.value.type() == dom::element_type::OBJECT) {
      prefix.push_back('.');
      flatten_into(element_as<dom::object>(kv.value), prefix, out);
    } else {
      out.insert_or_assign(prefix, to_flat_value(kv.value, out.storage()));
    }
    prefix.resize(keep);
  }
}

}  // namespace

json::value to_flat_value(dom::element el, const json::storage_ptr& sp) {
  switch (el.type()) {
    case dom::element_type::ARRAY: {
      json::array a(sp);
      const auto items = element_as<dom::array>(el);
      for (dom::element item : items) a.push_back(to_flat_value(item, sp));
      return a;
    }
    case dom::element_type::OBJECT: {
      json::object out(sp);
      std::string prefix;
      flatten_into(element_as<dom::object>(el), prefix, out);
      return out;
    }
    case dom::element_type::INT64:
      return json::value(element_as<int64_t>(el), sp);
    case dom::element_type::UINT64:
      return json::value(element_as<uint64_t>(el), sp);
    case dom::element_type::DOUBLE:
      return json::value(element_as<double>(el), sp);
    case dom::element_type::STRING:
      return json::value(json::string_view(element_as<std::string_view>(el)), sp);
    case dom::element_type::BOOL:
      return json::value(element_as<bool>(el), sp);
    case dom::element_type::NULL_VALUE:
      break;
  }
  return json::value(nullptr, sp);
}

// Enough for the arrays of ordinary objects; more spills to the heap.
constexpr size_t kArenaBytes = 64 * 1024;

FlatRecord::FlatRecord() : arena_buffer_(std::make_unique<unsigned char[]>(kArenaBytes)) {}

void FlatRecord::assign(dom::object object) {
  keys_.clear();
  entries_.clear();
  values_.clear();
  arrays_.clear();  // before their arena goes (their destructors do not touch it)
  arena_.emplace(arena_buffer_.get(), kArenaBytes);
  prefix_.clear();
  flatten(object, prefix_, json::storage_ptr(&*arena_));
  names_.resize(entries_.size());
  for (size_t i = 0; i < entries_.size(); ++i) {
    names_[i] = keys_.view().substr(entries_[i].offset, entries_[i].length);
  }
}

void FlatRecord::flatten(dom::object obj, std::string& prefix, const json::storage_ptr& sp) {
  for (dom::key_value_pair kv : obj) {
    const dom::element_type type = kv.value.type();
    if (type == dom::element_type::OBJECT) {
      const size_t keep = prefix.size();
      prefix.append(kv.key);
      prefix.push_back('.');
      flatten(element_as<dom::object>(kv.value), prefix, sp);
      prefix.resize(keep);
      continue;
    }
    FieldValue* value = nullptr;
    if (prefix.empty()) {
      value = &field(kv.key);
    } else {
      const size_t keep = prefix.size();
      prefix.append(kv.key);
      value = &field(prefix);
      prefix.resize(keep);
    }
    switch (type) {
      case dom::element_type::INT64:
        value->set_int(element_as<int64_t>(kv.value));
        break;
      case dom::element_type::UINT64:
        value->set_uint(element_as<uint64_t>(kv.value));
        break;
      case dom::element_type::DOUBLE:
        value->set_double(element_as<double>(kv.value));
        break;
      case dom::element_type::STRING:
        value->set_string(element_as<std::string_view>(kv.value));
        break;
      case dom::element_type::BOOL:
        value->set_bool(element_as<bool>(kv.value));
        break;
      case dom::element_type::ARRAY:
        value->set_array(arrays_.emplace_back(to_flat_value(kv.value, sp)));
        break;
      case dom::element_type::OBJECT:
      case dom::element_type::NULL_VALUE:
        value->set_null();
        break;
    }
  }
}

FieldValue& FlatRecord::field(std::string_view name) {
  const uint32_t hash = name_hash(name);
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (e.hash == hash && e.length == name.size() &&
        std::memcmp(keys_.view().data() + e.offset, name.data(), name.size()) == 0) {
      return values_[i];  // a repeated name: the last value, at the first position
    }
  }
  const auto length = static_cast<uint32_t>(name.size());
  char length_bytes[sizeof(length)];
  std::memcpy(length_bytes, &length, sizeof(length));
  keys_.append(length_bytes, sizeof(length));
  entries_.push_back({static_cast<uint32_t>(keys_.size()), length, hash});
  keys_.append(name);
  return values_.emplace_back();
}

}  // namespace comptoir::ingest
