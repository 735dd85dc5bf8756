// The catalogue: products and orders kept in the DocumentStore (collections
// "products" and "orders"), with the validation rules of the API. A product is
// {id, name, price, category, ...}; an order is {order_id, customer, total, date,
// ...}; any other field is kept as given. Ids are strings (a number is accepted and
// stored as its decimal text); one is generated when absent.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backends/store/document_store.h"
#include "util/result.h"

namespace comptoir {

struct Paging {
  uint64_t page = 1;    // from 1
  uint64_t size = 100;  // 1..1000
};

struct ProductQuery {
  std::optional<std::string> category;       // exact
  std::optional<std::string> name_contains;  // case-insensitive
  std::optional<double> min_price;
  std::optional<double> max_price;
  Paging paging;
};

struct OrderQuery {
  std::optional<std::string> customer;    // exact
  std::optional<std::string> start_date;  // YYYY-MM-DD, inclusive
  std::optional<std::string> end_date;    // YYYY-MM-DD, inclusive through that day
  Paging paging;
};

// One page of matches and how many match in all.
struct CataloguePage {
  uint64_t count = 0;
  std::vector<boost::json::object> items;
};

// Which kind of catalogue document; the two differ only in field rules.
enum class CatalogueKind { kProduct, kOrder };

class Catalogue {
 public:
  explicit Catalogue(DocumentStore& store) : store_(store) {}

  Result<CataloguePage> list_products(const ProductQuery& query);
  Result<CataloguePage> list_orders(const OrderQuery& query);

  Result<boost::json::object> get(CatalogueKind kind, std::string_view id);
  // Validates, assigns an id when the body has none; Conflict when it exists.
  Result<boost::json::object> create(CatalogueKind kind, boost::json::object body);
  // Validates and replaces the whole document; the body's id, if any, must be `id`.
  Result<boost::json::object> replace(CatalogueKind kind, std::string_view id,
                                      boost::json::object body);
  Status remove(CatalogueKind kind, std::string_view id);

 private:
  Result<CataloguePage> list(CatalogueKind kind, std::vector<DocFilter> filters,
                             const Paging& paging);
  DocumentStore& store_;
};

// The name of the id field ("id" or "order_id").
std::string_view catalogue_id_field(CatalogueKind kind);

// Checks a document against the kind's rules and normalises its id field to a
// string. The error lists every failing field.
Status validate_catalogue_document(CatalogueKind kind, boost::json::object& body);

// Whether `id` is an acceptable document id: 1-128 characters from
// [A-Za-z0-9_.:-].
bool is_valid_document_id(std::string_view id);

// Whether `s` is a calendar date YYYY-MM-DD, optionally followed by a time
// (THH:MM[:SS[.fff]][Z|±HH:MM]).
bool is_iso_date(std::string_view s);

}  // namespace comptoir
