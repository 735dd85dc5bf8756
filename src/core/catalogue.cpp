// Catalogue use cases: validation rules, filters for the list endpoints, and the
// mapping between documents and DocumentStore calls.
#include "core/catalogue.h"

#include <cctype>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "util/random_id.h"

namespace comptoir {
namespace {

namespace json = boost::json;

constexpr std::string_view kProducts = "products";
constexpr std::string_view kOrders = "orders";
constexpr size_t kMaxTextField = 1000;

std::string_view collection_of(CatalogueKind kind) {
  return kind == CatalogueKind::kProduct ? kProducts : kOrders;
}

std::string_view noun(CatalogueKind kind) {
  return kind == CatalogueKind::kProduct ? "product" : "order";
}

int two_digits(std::string_view s, size_t at) {
  if (at + 2 > s.size() || !std::isdigit(static_cast<unsigned char>(s[at])) ||
      !std::isdigit(static_cast<unsigned char>(s[at + 1]))) {
    return -1;
  }
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

// Checks that `body[field]` is a non-empty string of bounded length.
void require_text(const json::object& body, std::string_view field, bool required,
                  std::vector<FieldError>& errors) {
  const json::value* v = body.if_contains(field);
  if (v == nullptr || v->is_null()) {
    if (required) errors.push_back({std::string(field), "is required"});
    return;
  }
  if (!v->is_string() || v->as_string().empty()) {
    errors.push_back({std::string(field), "must be a non-empty string"});
  } else if (v->as_string().size() > kMaxTextField) {
    errors.push_back({std::string(field), fmt::format("must be at most {} bytes", kMaxTextField)});
  }
}

void require_amount(const json::object& body, std::string_view field,
                    std::vector<FieldError>& errors) {
  const json::value* v = body.if_contains(field);
  if (v == nullptr || v->is_null()) {
    errors.push_back({std::string(field), "is required"});
    return;
  }
  if (!v->is_number()) {
    errors.push_back({std::string(field), "must be a number"});
    return;
  }
  const double d = v->to_number<double>();
  if (!std::isfinite(d) || d < 0) errors.push_back({std::string(field), "must be 0 or more"});
}

}  // namespace

std::string_view catalogue_id_field(CatalogueKind kind) {
  return kind == CatalogueKind::kProduct ? "id" : "order_id";
}

bool is_valid_document_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' &&
        c != ':') {
      return false;
    }
  }
  return true;
}

bool is_iso_date(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0u, 1u, 2u, 3u}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  const int year = std::stoi(std::string(s.substr(0, 4)));
  const int month = two_digits(s, 5);
  const int day = two_digits(s, 8);
  if (month < 0 || day < 0) return false;
  const std::chrono::year_month_day ymd{std::chrono::year(year),
                                        std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return false;
  if (s.size() == 10) return true;
  // Time part: [T ]HH:MM[:SS[.fff]][Z|±HH:MM]
  if (s[10] != 'T' && s[10] != ' ') return false;
  const int hour = two_digits(s, 11);
  const int minute = s.size() > 13 && s[13] == ':' ? two_digits(s, 14) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    const int second = two_digits(s, pos + 1);
    if (second < 0 || second > 60) return false;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      const size_t digits_start = pos;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
      if (pos == digits_start || pos - digits_start > 9) return false;
    }
  }
  if (pos == s.size()) return true;
  if (s[pos] == 'Z') return pos + 1 == s.size();
  if (s[pos] != '+' && s[pos] != '-') return false;
  const int oh = two_digits(s, pos + 1);
  const int om = pos + 3 < s.size() && s[pos + 3] == ':' ? two_digits(s, pos + 4) : -1;
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59 && pos + 6 == s.size();
}

Status validate_catalogue_document(CatalogueKind kind, json::object& body) {
  std::vector<FieldError> errors;
  const std::string id_field(catalogue_id_field(kind));
  if (json::value* id = body.if_contains(id_field); id != nullptr && !id->is_null()) {
    if (id->is_int64() || id->is_uint64()) *id = json::string(json::serialize(*id));
    if (!id->is_string() || !is_valid_document_id(id->as_string())) {
      errors.push_back({id_field, "must be 1-128 characters from A-Z a-z 0-9 _ - . :"});
    }
  }
  if (kind == CatalogueKind::kProduct) {
    require_text(body, "name", true, errors);
    require_amount(body, "price", errors);
    require_text(body, "category", false, errors);
  } else {
    require_text(body, "customer", true, errors);
    require_amount(body, "total", errors);
    const json::value* date = body.if_contains("date");
    if (date == nullptr || date->is_null()) {
      errors.push_back({"date", "is required"});
    } else if (!date->is_string() || !is_iso_date(date->as_string())) {
      errors.push_back({"date", "must be an ISO 8601 date (YYYY-MM-DD or a date-time)"});
    }
  }
  if (body.contains("_id")) errors.push_back({"_id", "is reserved"});
  if (errors.empty()) return {};
  std::string message = fmt::format("invalid {}:", noun(kind));
  for (const auto& e : errors) message += fmt::format(" {} {};", e.field, e.problem);
  message.pop_back();
  return Error::invalid_fields(std::move(message), std::move(errors));
}

Result<CataloguePage> Catalogue::list(CatalogueKind kind, std::vector<DocFilter> filters,
                                      const Paging& paging) {
  auto count = store_.count(collection_of(kind), filters);
  COMPTOIR_TRY(count);
  FindOptions options;
  options.filters = std::move(filters);
  options.skip = (paging.page - 1) * paging.size;
  options.limit = paging.size;
  CataloguePage page;
  page.count = *count;
  if (options.skip >= page.count) return page;
  auto items = store_.find(collection_of(kind), options);
  COMPTOIR_TRY(items);
  page.items = std::move(items.value());
  return page;
}

Result<CataloguePage> Catalogue::list_products(const ProductQuery& q) {
  std::vector<DocFilter> filters;
  if (q.category) filters.push_back({"category", DocFilter::Op::kEq, json::string(*q.category)});
  if (q.name_contains) {
    filters.push_back({"name", DocFilter::Op::kContains, json::string(*q.name_contains)});
  }
  if (q.min_price) filters.push_back({"price", DocFilter::Op::kGte, *q.min_price});
  if (q.max_price) filters.push_back({"price", DocFilter::Op::kLte, *q.max_price});
  return list(CatalogueKind::kProduct, std::move(filters), q.paging);
}

Result<CataloguePage> Catalogue::list_orders(const OrderQuery& q) {
  std::vector<DocFilter> filters;
  if (q.customer) filters.push_back({"customer", DocFilter::Op::kEq, json::string(*q.customer)});
  if (q.start_date) {
    filters.push_back({"date", DocFilter::Op::kGte, json::string(q.start_date->substr(0, 10))});
  }
  if (q.end_date) {
    // Inclusive through the end of that day: every "YYYY-MM-DD..." string of the
    // day sorts below "YYYY-MM-DD\x7f".
    filters.push_back(
        {"date", DocFilter::Op::kLt, json::string(q.end_date->substr(0, 10) + "\x7f")});
  }
  return list(CatalogueKind::kOrder, std::move(filters), q.paging);
}

Result<json::object> Catalogue::get(CatalogueKind kind, std::string_view id) {
  auto doc = store_.get(collection_of(kind), id);
  if (!doc.ok() && doc.error().code == ErrorCode::kNotFound) {
    return Error::not_found(fmt::format("no {} with id '{}'", noun(kind), id));
  }
  return doc;
}

Result<json::object> Catalogue::create(CatalogueKind kind, json::object body) {
  COMPTOIR_TRY(validate_catalogue_document(kind, body));
  const std::string id_field(catalogue_id_field(kind));
  json::value& id = body[id_field];
  if (id.is_null()) id = json::string(random_hex_id());
  const std::string id_text(id.as_string());
  auto st = store_.insert(collection_of(kind), id_text, body);
  if (!st.ok() && st.error().code == ErrorCode::kConflict) {
    return Error::conflict(fmt::format("a {} with id '{}' exists already", noun(kind), id_text));
  }
  COMPTOIR_TRY(st);
  return body;
}

Result<json::object> Catalogue::replace(CatalogueKind kind, std::string_view id,
                                        json::object body) {
  COMPTOIR_TRY(validate_catalogue_document(kind, body));
  const std::string id_field(catalogue_id_field(kind));
  json::value& body_id = body[id_field];
  if (body_id.is_null()) {
    body_id = json::string(id);
  } else if (body_id.as_string() != id) {
    return Error::invalid_fields(
        fmt::format("invalid {}: {} in the body differs from the URL", noun(kind), id_field),
        {{id_field, "must match the id in the URL"}});
  }
  auto st = store_.replace(collection_of(kind), id, body);
  if (!st.ok() && st.error().code == ErrorCode::kNotFound) {
    return Error::not_found(fmt::format("no {} with id '{}'", noun(kind), id));
  }
  COMPTOIR_TRY(st);
  return body;
}

Status Catalogue::remove(CatalogueKind kind, std::string_view id) {
  auto st = store_.remove(collection_of(kind), id);
  if (!st.ok() && st.error().code == ErrorCode::kNotFound) {
    return Error::not_found(fmt::format("no {} with id '{}'", noun(kind), id));
  }
  return st;
}

}  // namespace comptoir
