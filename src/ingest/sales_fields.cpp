// Header recognition and value mapping of the two sales layouts.
#include "ingest/sales_fields.h"

#include <cmath>

#include <fmt/format.h>

#include "ingest/canonical_key.h"
#include "ingest/typed_value.h"

namespace comptoir::ingest {

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
    std::span<const std::string_view> names, const Spelling (&table)[N]) {
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

// The value as text, trimmed (numbers written into `buf`).
std::string_view text_of(const FieldValue& v, ScalarBuffer& buf) {
  return trim(scalar_text(v, buf));
}

std::string text_of(const FieldValue& v) {
  ScalarBuffer buf;
  return std::string(text_of(v, buf));
}

// An identifier written as a float by spreadsheets ("17850.0") reads "17850".
std::string_view identifier_of(const FieldValue& v, ScalarBuffer& buf) {
  std::string_view s = text_of(v, buf);
  if (s.size() > 2 && s.ends_with(".0") && s.find_first_not_of("0123456789") == s.size() - 2) {
    s.remove_suffix(2);
  }
  return s;
}

// How a value that is not a number reads in a rejection: strings as text, the
// rest as JSON.
std::string quoted_in_error(const FieldValue& v) {
  if (v.is_string()) return text_of(v);
  TextBuffer json;
  append_json(json, v);
  return std::string(json.view());
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

void SalesFieldMap::add_carried_names(std::set<std::string, std::less<>>& out) const {
  if (layout_ == SalesLayout::kNone) return;
  for (const std::string& name : names_) {
    if (!name.empty() && canonical_key_of(name) == CanonicalKey::kNone) out.insert(name);
  }
}

SalesFieldMap SalesFieldMap::resolve(std::span<const std::string_view> names) {
  SalesFieldMap map;
  auto retail = match(names, kOnlineRetail);
  auto has = [](const auto& a, SalesRole r) { return !a[static_cast<size_t>(r)].empty(); };
  if (has(retail, SalesRole::kOrderId) && has(retail, SalesRole::kQuantity) &&
      has(retail, SalesRole::kUnitPrice) && has(retail, SalesRole::kTimestamp)) {
    map.layout_ = SalesLayout::kOnlineRetail;
    map.names_ = std::move(retail);
  } else {
    auto order = match(names, kOrderExport);
    if (has(order, SalesRole::kOrderId) &&
        (has(order, SalesRole::kTotal) ||
         (has(order, SalesRole::kQuantity) && has(order, SalesRole::kUnitPrice)))) {
      map.layout_ = SalesLayout::kOrderExport;
      map.names_ = std::move(order);
    }
  }
  map.locate(names);
  return map;
}

void SalesFieldMap::locate(std::span<const std::string_view> names) {
  for (size_t r = 0; r < names_.size(); ++r) {
    fields_[r] = kAbsent;
    if (names_[r].empty()) continue;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == names_[r]) {
        fields_[r] = static_cast<int>(i);
        break;
      }
    }
  }
}

Result<EpochMillis> normalize_sales_fields(const SalesFieldMap& map,
                                           std::span<const FieldValue> values,
                                           const TimeContext& ctx, DocumentText& doc) {
  auto value = [&](SalesRole r) -> const FieldValue* {
    const int f = map.field(r);
    if (f == SalesFieldMap::kAbsent || values[static_cast<size_t>(f)].absent()) return nullptr;
    return &values[static_cast<size_t>(f)];
  };
  auto absent = [](const FieldValue* v) { return v == nullptr || is_blank(*v); };
  auto number = [&](SalesRole r, bool required) -> Result<std::optional<double>> {
    const FieldValue* v = value(r);
    if (absent(v)) {
      if (!required) return std::optional<double>();
      return Error::invalid(fmt::format("{} is missing", map.name(r)));
    }
    auto n = number_of(*v);
    if (!n) {
      return Error::invalid(
          fmt::format("{} '{}' is not a number", map.name(r), quoted_in_error(*v)));
    }
    return std::optional<double>(*n);
  };

  // Time.
  const FieldValue* tv = value(SalesRole::kTimestamp);
  if (absent(tv))
    return Error::invalid(fmt::format("{} is missing", map.name(SalesRole::kTimestamp)));
  std::optional<EpochMillis> t;
  if (tv->is_string()) {
    t = parse_timestamp(tv->text, ctx);
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
  ScalarBuffer order_buf;
  std::string_view order_id;
  if (const FieldValue* v = value(SalesRole::kOrderId); !absent(v)) {
    order_id = identifier_of(*v, order_buf);
  }
  if (order_id.empty())
    return Error::invalid(fmt::format("{} is missing", map.name(SalesRole::kOrderId)));

  doc.set_timestamp(*t);
  doc.set_string(CanonicalKey::kOrderId, order_id);
  if (const FieldValue* v = value(SalesRole::kCustomerId); !absent(v)) {
    ScalarBuffer buf;
    const std::string_view customer_id = identifier_of(*v, buf);
    if (!customer_id.empty()) doc.set_string(CanonicalKey::kCustomerId, customer_id);
  }
  auto set_text = [&](SalesRole role, CanonicalKey key) {
    if (const FieldValue* v = value(role); !absent(v)) {
      ScalarBuffer buf;
      const std::string_view text = text_of(*v, buf);
      if (!text.empty()) doc.set_string(key, text);
    }
  };
  set_text(SalesRole::kCountry, CanonicalKey::kCountry);
  set_text(SalesRole::kProduct, CanonicalKey::kProduct);
  set_text(SalesRole::kCategory, CanonicalKey::kCategory);
  if (*quantity) {
    const double q = **quantity;
    if (q == std::floor(q) && std::fabs(q) < 9e15) {
      doc.set_int(CanonicalKey::kQuantity, static_cast<int64_t>(q));
    } else {
      doc.set_double(CanonicalKey::kQuantity, q);
    }
  }
  if (*unit_price) {
    // A double is written as the record's value (its text when it has it).
    const FieldValue* v = value(SalesRole::kUnitPrice);
    if (v->kind == FieldValue::Kind::kDouble) {
      doc.set_value(CanonicalKey::kUnitPrice, *v);
    } else {
      doc.set_double(CanonicalKey::kUnitPrice, **unit_price);
    }
  }
  doc.set_double(CanonicalKey::kRevenue, *revenue);
  set_text(SalesRole::kPaymentMethod, CanonicalKey::kPaymentMethod);
  if (map.layout() == SalesLayout::kOnlineRetail) {
    doc.set_string(CanonicalKey::kStatus,
                   (order_id[0] == 'C' || order_id[0] == 'c') ? "cancelled" : "completed");
  } else {
    set_text(SalesRole::kStatus, CanonicalKey::kStatus);
  }
  return *t;
}

}  // namespace comptoir::ingest
