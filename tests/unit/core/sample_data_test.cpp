// Sample data for `comptoir sample`: exact counts, determinism per seed, the shape
// of every log line and sales row, the level mix and error bursts, and orders whose
// totals agree with the catalogue. `now` is pinned so every run checks the same data.
#include "core/sample_data.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue.h"

namespace comptoir {
namespace {

namespace json = boost::json;
using namespace std::chrono;

// 2025-12-23T10:30:00.250Z: not on a whole second, to catch window rounding.
const system_clock::time_point kNow = sys_days{2025y / 12 / 23} + 10h + 30min + 250ms;

SampleOptions options_with(uint64_t logs, uint64_t sales, uint64_t seed = 42) {
  SampleOptions o;
  o.logs = logs;
  o.sales = sales;
  o.seed = seed;
  o.now = kNow;
  return o;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t pos; (pos = text.find(sep, start)) != std::string_view::npos; start = pos + 1) {
    parts.push_back(text.substr(start, pos - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

// Lines without the final newline.
std::vector<std::string_view> lines_of(std::string_view text) {
  EXPECT_TRUE(text.empty() || text.back() == '\n');
  if (!text.empty()) text.remove_suffix(1);
  return text.empty() ? std::vector<std::string_view>{} : split(text, '\n');
}

// "2025-12-23T10:30:00.123Z" → time point; nullopt when the text is not exactly that form.
std::optional<system_clock::time_point> parse_iso_millis(std::string_view s) {
  int y, mo, d, h, mi, sec, ms, n = 0;
  const std::string text(s);
  if (s.size() != 24 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &y, &mo, &d, &h, &mi, &sec, &ms,
                  &n) != 7 ||
      n != 24) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms};
}

// "12/1/2025 8:26" → time point.
std::optional<system_clock::time_point> parse_invoice_date(std::string_view s) {
  unsigned mo, d, h, mi;
  int y, n = 0;
  const std::string text(s);
  if (std::sscanf(text.c_str(), "%u/%u/%d %u:%2u%n", &mo, &d, &y, &h, &mi, &n) != 5 ||
      n != static_cast<int>(s.size()) || s[s.size() - 3] != ':') {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{mo}, day{d}};
  if (!ymd.ok() || h > 23 || mi > 59) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi};
}

bool in_window(system_clock::time_point t, system_clock::duration slack = {}) {
  return t >= kNow - days{30} - slack && t <= kNow;
}

TEST(SampleDataLogs, ExactLineCount) {
  for (uint64_t n : {0, 1, 2, 7, 1000, 12345}) {
    EXPECT_EQ(lines_of(generate_log_ndjson(options_with(n, 0))).size(), n) << n;
  }
  EXPECT_EQ(generate_log_ndjson(options_with(0, 0)), "");
}

TEST(SampleDataLogs, DeterministicPerSeed) {
  const std::string a = generate_log_ndjson(options_with(2000, 0, 7));
  EXPECT_EQ(a, generate_log_ndjson(options_with(2000, 0, 7)));
  EXPECT_NE(a, generate_log_ndjson(options_with(2000, 0, 8)));
  // The other generators' counts do not shift the log stream.
  EXPECT_EQ(a, generate_log_ndjson(options_with(2000, 999, 7)));
}

TEST(SampleDataLogs, EveryLineHasTheApplicationLogShape) {
  const std::string text = generate_log_ndjson(options_with(20000, 0));
  const std::set<std::string> services = {
      "payment-service", "auth-service",     "cart-service",   "catalog-service",
      "order-service",   "shipping-service", "search-service", "notification-service"};
  const std::set<std::string> levels = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"};
  std::set<std::string> services_seen;
  system_clock::time_point previous{};
  size_t line_no = 0;
  for (std::string_view line : lines_of(text)) {
    ++line_no;
    json::error_code ec;
    const json::value v = json::parse(line, ec);
    ASSERT_FALSE(ec) << line_no << ": " << line;
    ASSERT_TRUE(v.is_object()) << line;
    const json::object& o = v.as_object();
    EXPECT_EQ(o.size(), 7u) << line;
    for (const char* key : {"timestamp", "level", "service", "message", "user", "ip"}) {
      ASSERT_TRUE(o.contains(key) && o.at(key).is_string()) << key << " in " << line;
    }
    ASSERT_TRUE(o.contains("duration_ms") && o.at("duration_ms").is_int64()) << line;
    EXPECT_GE(o.at("duration_ms").as_int64(), 1) << line;
    EXPECT_LE(o.at("duration_ms").as_int64(), 60000) << line;

    const auto t = parse_iso_millis(o.at("timestamp").as_string());
    ASSERT_TRUE(t.has_value()) << line;
    EXPECT_TRUE(in_window(*t)) << line;
    EXPECT_GE(*t, previous) << "not in time order at line " << line_no;
    previous = *t;

    EXPECT_TRUE(levels.contains(std::string(o.at("level").as_string()))) << line;
    const std::string service(o.at("service").as_string());
    EXPECT_TRUE(services.contains(service)) << line;
    services_seen.insert(service);
    const std::string_view message = o.at("message").as_string();
    EXPECT_FALSE(message.empty()) << line;
    EXPECT_EQ(message.find('{'), std::string_view::npos) << "unexpanded template: " << line;

    const std::string_view user = o.at("user").as_string();
    const bool named = user.size() > 4 && user.substr(0, 4) == "user" &&
                       user.find_first_not_of("0123456789", 4) == std::string_view::npos;
    EXPECT_TRUE(named || user == "anonymous") << line;

    const auto octets = split(o.at("ip").as_string(), '.');
    ASSERT_EQ(octets.size(), 4u) << line;
    EXPECT_TRUE(octets[0] == "10" || (octets[0] == "172" && octets[1] == "16") ||
                (octets[0] == "192" && octets[1] == "168"))
        << line;
    for (std::string_view octet : octets) {
      EXPECT_TRUE(!octet.empty() && octet.size() <= 3 && std::stoi(std::string(octet)) <= 255)
          << line;
    }
  }
  EXPECT_EQ(line_no, 20000u);
  EXPECT_EQ(services_seen, services);
}

struct LogStats {
  std::map<std::string, double> level_share;
  size_t max_errors_in_ten_minutes = 0;  // for one service
  size_t day_events = 0;                 // 12:00-20:00 UTC
  size_t night_events = 0;               // 00:00-08:00 UTC
  std::map<std::string, size_t> per_user;
};

LogStats log_stats(const std::string& text) {
  LogStats stats;
  std::map<std::pair<std::string, int64_t>, size_t> errors;
  size_t total = 0;
  for (std::string_view line : lines_of(text)) {
    const json::object o = json::parse(line).as_object();
    const std::string level(o.at("level").as_string());
    stats.level_share[level] += 1;
    ++total;
    const auto t = *parse_iso_millis(o.at("timestamp").as_string());
    const auto since_epoch = duration_cast<minutes>(t.time_since_epoch()).count();
    if (level == "ERROR") {
      const auto key = std::make_pair(std::string(o.at("service").as_string()), since_epoch / 10);
      stats.max_errors_in_ten_minutes = std::max(stats.max_errors_in_ten_minutes, ++errors[key]);
    }
    const auto hour = since_epoch / 60 % 24;
    if (hour >= 12 && hour < 20) ++stats.day_events;
    if (hour < 8) ++stats.night_events;
    ++stats.per_user[std::string(o.at("user").as_string())];
  }
  for (auto& [level, share] : stats.level_share) share /= static_cast<double>(total);
  return stats;
}

TEST(SampleDataLogs, LevelMixBurstsDailyCycleAndUserSkew) {
  for (uint64_t seed : {1, 42, 2025}) {
    SCOPED_TRACE(seed);
    LogStats s = log_stats(generate_log_ndjson(options_with(30000, 0, seed)));
    EXPECT_GT(s.level_share["INFO"], 0.74);
    EXPECT_LT(s.level_share["INFO"], 0.86);
    EXPECT_GT(s.level_share["WARNING"], 0.08);
    EXPECT_LT(s.level_share["WARNING"], 0.16);
    EXPECT_GT(s.level_share["ERROR"], 0.03);
    EXPECT_LT(s.level_share["ERROR"], 0.10);
    EXPECT_GT(s.level_share["DEBUG"], 0.0);
    EXPECT_LT(s.level_share["DEBUG"], 0.04);
    EXPECT_GT(s.level_share["CRITICAL"], 0.0);
    EXPECT_LT(s.level_share["CRITICAL"], 0.02);
    // Outside bursts a service logs well under one error per ten minutes.
    EXPECT_GE(s.max_errors_in_ten_minutes, 20u);
    EXPECT_GT(s.day_events, 2 * s.night_events);
    // Zipf-like: the most active user far above the median one.
    EXPECT_GT(s.per_user["user1"], 10 * s.per_user["user400"] + 10);
  }
}

TEST(SampleDataSales, HeaderCountsAndParseableFields) {
  const std::string csv = generate_sales_csv(options_with(0, 5000));
  const auto lines = lines_of(csv);
  ASSERT_EQ(lines.size(), 5001u);
  EXPECT_EQ(lines[0],
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country");

  std::set<std::string_view> invoices, cancelled, countries;
  size_t uk = 0;
  system_clock::time_point previous{};
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto f = split(lines[i], ',');
    ASSERT_EQ(f.size(), 8u) << lines[i];
    ASSERT_FALSE(f[0].empty());
    const bool is_cancelled = f[0][0] == 'C';
    const std::string_view number = is_cancelled ? f[0].substr(1) : f[0];
    EXPECT_EQ(number.size(), 6u) << lines[i];
    EXPECT_EQ(number.find_first_not_of("0123456789"), std::string_view::npos) << lines[i];
    invoices.insert(f[0]);
    if (is_cancelled) cancelled.insert(f[0]);
    EXPECT_FALSE(f[1].empty() || f[2].empty()) << lines[i];

    size_t used = 0;
    const long quantity = std::stol(std::string(f[3]), &used);
    EXPECT_EQ(used, f[3].size()) << lines[i];
    EXPECT_EQ(quantity < 0, is_cancelled) << lines[i];
    EXPECT_NE(quantity, 0) << lines[i];

    const auto t = parse_invoice_date(f[4]);
    ASSERT_TRUE(t.has_value()) << lines[i];
    EXPECT_TRUE(in_window(*t, minutes{1})) << lines[i];  // minutes are truncated
    EXPECT_GE(*t, previous) << lines[i];
    previous = *t;

    const double price = std::stod(std::string(f[5]), &used);
    EXPECT_EQ(used, f[5].size()) << lines[i];
    EXPECT_GT(price, 0.0) << lines[i];
    EXPECT_EQ(f[5].size() - f[5].find('.'), 3u) << "two decimals: " << lines[i];

    EXPECT_TRUE(f[6].empty() || (f[6].size() == 5 && std::stoi(std::string(f[6])) >= 12346))
        << lines[i];
    countries.insert(f[7]);
    if (f[7] == "United Kingdom") ++uk;
  }
  EXPECT_FALSE(cancelled.empty());
  EXPECT_LT(cancelled.size() * 10, invoices.size());
  EXPECT_LT(invoices.size() * 3, lines.size());  // several lines per invoice
  EXPECT_GE(countries.size(), 8u);
  EXPECT_GT(uk * 10, (lines.size() - 1) * 6);  // UK dominant
}

TEST(SampleDataSales, ExactCountsAndDeterminism) {
  for (uint64_t n : {0, 1, 3, 41, 1000}) {
    EXPECT_EQ(lines_of(generate_sales_csv(options_with(0, n))).size(), n + 1) << n;
  }
  const std::string a = generate_sales_csv(options_with(0, 3000, 5));
  EXPECT_EQ(a, generate_sales_csv(options_with(0, 3000, 5)));
  EXPECT_NE(a, generate_sales_csv(options_with(0, 3000, 6)));
}

TEST(SampleDataCatalogue, ProductsAreValidAndDeterministic) {
  SampleOptions o = options_with(0, 0);
  o.products = 300;
  const auto products = generate_products(o);
  ASSERT_EQ(products.size(), 300u);
  std::set<std::string> ids, names;
  for (json::object p : products) {
    EXPECT_TRUE(validate_catalogue_document(CatalogueKind::kProduct, p).ok()) << json::serialize(p);
    ids.insert(std::string(p.at("id").as_string()));
    names.insert(std::string(p.at("name").as_string()));
    EXPECT_GT(p.at("price").as_double(), 0.0);
    EXPECT_GE(p.at("stock").as_int64(), 0);
    EXPECT_FALSE(p.at("category").as_string().empty());
  }
  EXPECT_EQ(ids.size(), 300u);
  EXPECT_EQ(names.size(), 300u);
  EXPECT_EQ(json::serialize(json::value_from(products)),
            json::serialize(json::value_from(generate_products(o))));
  o.seed = 43;
  EXPECT_NE(json::serialize(json::value_from(products)),
            json::serialize(json::value_from(generate_products(o))));
}

TEST(SampleDataCatalogue, OrderTotalsMatchTheProducts) {
  SampleOptions o = options_with(0, 0);
  o.products = 60;
  o.orders = 500;
  const auto products = generate_products(o);
  std::map<std::string, int64_t> cents;
  for (const auto& p : products) {
    cents[std::string(p.at("id").as_string())] = std::llround(p.at("price").as_double() * 100);
  }
  const auto orders = generate_orders(o, products);
  ASSERT_EQ(orders.size(), 500u);
  const std::set<std::string> statuses = {"pending",   "processing", "shipped",
                                          "delivered", "cancelled",  "refunded"};
  std::set<std::string> order_ids;
  std::string previous_date;
  for (json::object order : orders) {
    const std::string text = json::serialize(order);
    EXPECT_TRUE(validate_catalogue_document(CatalogueKind::kOrder, order).ok()) << text;
    order_ids.insert(std::string(order.at("order_id").as_string()));
    const std::string date(order.at("date").as_string());
    EXPECT_GE(date, previous_date);
    previous_date = date;
    const auto t = parse_iso_millis(date.substr(0, 19) + ".000Z");
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_TRUE(in_window(*t, seconds{1})) << text;
    EXPECT_TRUE(statuses.contains(std::string(order.at("status").as_string()))) << text;

    const json::array& items = order.at("items").as_array();
    ASSERT_GE(items.size(), 1u);
    ASSERT_LE(items.size(), 5u);
    int64_t expected = 0;
    std::set<std::string> in_order;
    for (const json::value& item : items) {
      const std::string id(item.at("product_id").as_string());
      ASSERT_TRUE(cents.contains(id)) << text;
      EXPECT_TRUE(in_order.insert(id).second) << "repeated product: " << text;
      const int64_t quantity = item.at("quantity").as_int64();
      EXPECT_GE(quantity, 1);
      expected += cents[id] * quantity;
    }
    EXPECT_EQ(std::llround(order.at("total").as_double() * 100), expected) << text;
  }
  EXPECT_EQ(order_ids.size(), 500u);
  EXPECT_EQ(json::serialize(json::value_from(orders)),
            json::serialize(json::value_from(generate_orders(o, products))));
}

TEST(SampleDataCatalogue, OrdersNeedPricedProducts) {
  SampleOptions o = options_with(0, 0);
  o.orders = 10;
  EXPECT_TRUE(generate_orders(o, {}).empty());
  EXPECT_TRUE(
      generate_orders(o, {json::object{{"id", "x"}}, json::object{{"price", 3.5}}}).empty());
  // Integer ids and prices from elsewhere are fine.
  const auto orders = generate_orders(o, {json::object{{"id", 7}, {"price", 2}}});
  ASSERT_EQ(orders.size(), 10u);
  for (const auto& order : orders) {
    const auto& item = order.at("items").as_array().at(0);
    EXPECT_EQ(item.at("product_id"), json::value(7));
    EXPECT_DOUBLE_EQ(order.at("total").as_double(), 2.0 * item.at("quantity").as_int64());
  }
}

TEST(SampleDataSpeed, MillionLogLinesUnderThreeSeconds) {
#ifndef NDEBUG
  GTEST_SKIP() << "timing is only meaningful in an optimised build";
#endif
  const auto start = steady_clock::now();
  const std::string text = generate_log_ndjson(options_with(1'000'000, 0));
  const auto elapsed = duration_cast<milliseconds>(steady_clock::now() - start);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1'000'000);
  EXPECT_LT(elapsed, seconds{3});
  RecordProperty("log_lines_1m_ms", static_cast<int>(elapsed.count()));
  std::printf("1M log lines (%zu MB) in %lld ms\n", text.size() >> 20,
              static_cast<long long>(elapsed.count()));
}

}  // namespace
}  // namespace comptoir
