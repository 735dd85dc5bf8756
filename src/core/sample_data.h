// Demo data behind `comptoir sample`: application-log events (NDJSON), Online-Retail
// sales lines (CSV), a product catalogue and orders drawn from it. Everything comes
// from one explicitly seeded std::mt19937_64 and an injected `now`, so the same
// options always give byte-identical output and tests can pin it down.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace comptoir {

struct SampleOptions {
  uint64_t logs = 10000;
  uint64_t sales = 5000;
  uint64_t products = 50;
  uint64_t orders = 200;
  uint64_t seed = 42;
  // Every timestamp falls in [now - 30 days, now].
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// Exactly `logs` lines, oldest first, each a JSON object with `timestamp`
// (ISO 8601 UTC with milliseconds), `level`, `service`, `message`, `user`, `ip` and
// `duration_ms`. Traffic follows a daily cycle and includes a few error bursts.
std::string generate_log_ndjson(const SampleOptions& options);

// The UCI Online Retail header, then exactly `sales` lines, oldest invoice first;
// `InvoiceDate` is `M/D/YYYY H:MM`; cancelled invoices start with `C` and have
// negative quantities.
std::string generate_sales_csv(const SampleOptions& options);

// `products` catalogue entries {id, name, price, category, stock}; ids "P0001", ...
std::vector<boost::json::object> generate_products(const SampleOptions& options);

// `orders` orders {order_id, customer, total, date, status, items: [{product_id,
// quantity}]} over `products`; `total` is exactly the sum of price × quantity (in
// cents). Products without a string or integer `id` and a numeric `price` are
// skipped; with none left the result is empty.
std::vector<boost::json::object> generate_orders(const SampleOptions& options,
                                                 const std::vector<boost::json::object>& products);

}  // namespace comptoir
