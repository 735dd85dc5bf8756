// The input checks that every DocumentStore applies before it builds a query, so
// that both implementations reject the same filters with the same errors.
#include "backends/store/document_store.h"

#include <string>

namespace comptoir {

Status check_field_name(std::string_view field) {
  if (field.empty() || field.size() > 64) {
    return Error::invalid("field name must be 1 to 64 characters: '" + std::string(field) + "'");
  }
  for (char c : field) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return Error::invalid("field name may only hold letters, digits and '_': '" +
                            std::string(field) + "'");
    }
  }
  return {};
}

Status check_filter(const DocFilter& filter) {
  COMPTOIR_TRY(check_field_name(filter.field));
  const boost::json::value& v = filter.value;
  switch (filter.op) {
    case DocFilter::Op::kEq:
      if (v.is_object() || v.is_array()) {
        return Error::invalid("filter on '" + filter.field + "': equality takes a scalar");
      }
      return {};
    case DocFilter::Op::kContains:
      if (!v.is_string()) {
        return Error::invalid("filter on '" + filter.field + "': contains takes a string");
      }
      return {};
    case DocFilter::Op::kGt:
    case DocFilter::Op::kGte:
    case DocFilter::Op::kLt:
    case DocFilter::Op::kLte:
      if (!v.is_number() && !v.is_string()) {
        return Error::invalid("filter on '" + filter.field +
                              "': a range takes a number or a string");
      }
      return {};
  }
  return Error::invalid("filter on '" + filter.field + "': unknown operator");
}

}  // namespace comptoir
