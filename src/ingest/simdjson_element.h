// Reading a simdjson DOM element whose type the caller has already checked, without the
// error plumbing: the JSON parsers switch on element_type first, then take the value.
#pragma once

#include <simdjson.h>

namespace comptoir::ingest {

// The element as T (int64_t, uint64_t, double, bool, std::string_view, dom::object,
// dom::array); T{} if it is not one after all.
template <typename T>
T element_as(simdjson::dom::element el) {
  T v{};
  if (el.get(v) != simdjson::SUCCESS) return T{};
  return v;
}

}  // namespace comptoir::ingest
