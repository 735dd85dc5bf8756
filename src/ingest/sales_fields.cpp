// Header recognition and value mapping of the two sales layouts.
#include "ingest/sales_fields.h"

#include <cmath>

#include <fmt/format.h>

#include "ingest/log_fields.h"
#include "ingest/typed_value.h"
#include "util/json_text.h"

namespace comptoir::ingest {

namespace json = boost::json;

namespace {

struct Spelling {
  std::string_view name;  // lower case, spaces and underscores removed
  SalesRole role;
};

constexpr Spelling kOrderExport[] = {
    {"timestamp", SalesRole::kTimestamp},
    {"orderdate", SalesRole::kTimestamp},
    {"date", SalesRole::kTimestamp},
    {"orderid", SalesRole::kOrderId},
    {"customerid", SalesRole::kCustomerId},
    {"customercountry", SalesRole::kCountry},
    {"country", SalesRole::kCountry},
    {"productname", SalesRole::kProduct},
    {"product", SalesRole::kProduct},
    {"productcategory", SalesRole::kCategory},
    {"category", SalesRole::kCategory},
    {"quantity", SalesRole::kQuantity},
    {"unitprice", SalesRole::kUnitPrice},
    {"price", SalesRole::kUnitPrice},
    {"totalamount", SalesRole::kTotal},
    {"total", SalesRole::kTotal},
    {"paymentmethod", SalesRole::kPaymentMethod},
    {"orderstatus", SalesRole::kStatus},
    {"status", SalesRole::kStatus},
};

constexpr Spelling kOnlineRetail[] = {
    {"invoicedate", SalesRole::kTimestamp}, {"invoiceno", SalesRole::kOrderId},
    {"invoice", SalesRole::kOrderId},       {"customerid", SalesRole::kCustomerId},
    {"country", SalesRole::kCountry},       {"description", SalesRole::kProduct},
    {"quantity", SalesRole::kQuantity},     {"unitprice", SalesRole::kUnitPrice},
    {"price", SalesRole::kUnitPrice},
};

// "Customer ID", "customer_id", "CustomerID" → "customerid".
std::string squash(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == ' ' || c == '_' || c == '-') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  return out;
}

template <size_t N>
std::array<std::string, static_cast<size_t>(SalesRole::kCount)> match(
    const std::vector<std::string_view>& names, const Spelling (&table)[N]) {
  std::array<std::string, static_cast<size_t>(SalesRole::kCount)> out;
  std::array<size_t, static_cast<size_t>(SalesRole::kCount)> rank;
  rank.fill(N);
  for (std::string_view n : names) {
    const std::string key = squash(n);
    for (size_t r = 0; r < N; ++r) {
      const auto role = static_cast<size_t>(table[r].role);
      if (key == table[r].name && r < rank[role]) {
        rank[role] = r;
        out[role] = std::string(n);
      }
    }
  }
  return out;
}

const json::value* find(const json::object& doc, const std::string& name) {
  if (name.empty()) return nullptr;
  auto it = doc.find(name);
  return it == doc.end() ? nullptr : &it->value();
}

bool absent(const json::value* v) {
  return v == nullptr || v->is_null() || (v->is_string() && trim(v->get_string()).empty());
}

std::string text_of(const json::value& v) {
  return std::string(trim(scalar_text(v)));
}

// An identifier written as a float by spreadsheets ("17850.0") reads "17850".
std::string identifier_of(const json::value& v) {
  std::string s = text_of(v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0 &&
      s.find_first_not_of("0123456789") == s.size() - 2) {
    s.resize(s.size() - 2);
  }
  return s;
}

double round_cents(double v) {
  return std::round(v * 100.0) / 100.0;
}

}  // namespace

std::string_view sales_layout_name(SalesLayout layout) {
  switch (layout) {
    case SalesLayout::kOrderExport:
      return "order_export";
    case SalesLayout::kOnlineRetail:
      return "online_retail";
    case SalesLayout::kNone:
      break;
  }
  return "";
}

SalesFieldMap SalesFieldMap::resolve(const std::vector<std::string_view>& names) {
  SalesFieldMap map;
  auto retail = match(names, kOnlineRetail);
  auto has = [](const auto& a, SalesRole r) { return !a[static_cast<size_t>(r)].empty(); };
  if (has(retail, SalesRole::kOrderId) && has(retail, SalesRole::kQuantity) &&
      has(retail, SalesRole::kUnitPrice) && has(retail, SalesRole::kTimestamp)) {
    map.layout_ = SalesLayout::kOnlineRetail;
    map.names_ = std::move(retail);
    return map;
  }
  auto order = match(names, kOrderExport);
  if (has(order, SalesRole::kOrderId) &&
      (has(order, SalesRole::kTotal) ||
       (has(order, SalesRole::kQuantity) && has(order, SalesRole::kUnitPrice)))) {
    map.layout_ = SalesLayout::kOrderExport;
    map.names_ = std::move(order);
  }
  return map;
}

Result<EpochMillis> normalize_sales_document(json::object& doc, const SalesFieldMap& map,
                                             const TimeContext& ctx) {
  auto value = [&](SalesRole r) { return find(doc, map.name(r)); };
  auto number = [&](SalesRole r, bool required) -> Result<std::optional<double>> {
    const json::value* v = value(r);
    if (absent(v)) {
      if (!required) return std::optional<double>();
      return Error::invalid(fmt::format("{} is missing", map.name(r)));
    }
    auto n = number_of(*v);
    if (!n) {
      return Error::invalid(fmt::format("{} '{}' is not a number", map.name(r),
                                        v->is_string() ? text_of(*v) : to_json_text(*v)));
    }
    return std::optional<double>(*n);
  };

  // Time.
  const json::value* tv = value(SalesRole::kTimestamp);
  if (absent(tv))
    return Error::invalid(fmt::format("{} is missing", map.name(SalesRole::kTimestamp)));
  std::optional<EpochMillis> t;
  if (tv->is_string()) {
    t = parse_timestamp(std::string_view(tv->get_string()), ctx);
  } else if (auto n = number_of(*tv)) {
    t = epoch_number_to_millis(*n);
  }
  if (!t) {
    return Error::invalid(fmt::format("{} '{}' is not a date in a known form",
                                      map.name(SalesRole::kTimestamp), text_of(*tv)));
  }

  // Numbers.
  auto quantity = number(SalesRole::kQuantity, !map.has(SalesRole::kTotal));
  if (!quantity.ok()) return quantity.error();
  auto unit_price = number(SalesRole::kUnitPrice, !map.has(SalesRole::kTotal));
  if (!unit_price.ok()) return unit_price.error();
  auto total = number(SalesRole::kTotal, false);
  if (!total.ok()) return total.error();
  std::optional<double> revenue = *total;
  if (!revenue && *quantity && *unit_price) revenue = round_cents(**quantity * **unit_price);
  if (!revenue) return Error::invalid("neither a total nor a quantity and unit price");

  // Text.
  std::string order_id, customer_id, country, product, category, payment, status;
  if (const json::value* v = value(SalesRole::kOrderId); !absent(v)) order_id = identifier_of(*v);
  if (order_id.empty())
    return Error::invalid(fmt::format("{} is missing", map.name(SalesRole::kOrderId)));
  if (const json::value* v = value(SalesRole::kCustomerId); !absent(v))
    customer_id = identifier_of(*v);
  if (const json::value* v = value(SalesRole::kCountry); !absent(v)) country = text_of(*v);
  if (const json::value* v = value(SalesRole::kProduct); !absent(v)) product = text_of(*v);
  if (const json::value* v = value(SalesRole::kCategory); !absent(v)) category = text_of(*v);
  if (const json::value* v = value(SalesRole::kPaymentMethod); !absent(v)) payment = text_of(*v);
  if (const json::value* v = value(SalesRole::kStatus); !absent(v)) status = text_of(*v);
  if (map.layout() == SalesLayout::kOnlineRetail) {
    status = (order_id[0] == 'C' || order_id[0] == 'c') ? "cancelled" : "completed";
  }

  set_timestamp(doc, *t);
  doc.insert_or_assign("order_id", std::string_view(order_id));
  if (!customer_id.empty()) doc.insert_or_assign("customer_id", std::string_view(customer_id));
  if (!country.empty()) doc.insert_or_assign("country", std::string_view(country));
  if (!product.empty()) doc.insert_or_assign("product", std::string_view(product));
  if (!category.empty()) doc.insert_or_assign("category", std::string_view(category));
  if (*quantity) {
    const double q = **quantity;
    if (q == std::floor(q) && std::fabs(q) < 9e15) {
      doc.insert_or_assign("quantity", static_cast<int64_t>(q));
    } else {
      doc.insert_or_assign("quantity", q);
    }
  }
  if (*unit_price) doc.insert_or_assign("unit_price", **unit_price);
  doc.insert_or_assign("revenue", *revenue);
  if (!payment.empty()) doc.insert_or_assign("payment_method", std::string_view(payment));
  if (!status.empty()) doc.insert_or_assign("status", std::string_view(status));
  return *t;
}

}  // namespace comptoir::ingest
