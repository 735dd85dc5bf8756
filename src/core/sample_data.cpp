// Realistic demo data for `comptoir sample`. Each generator draws from its own
// std::mt19937_64 stream derived from the seed, so more sales lines never shift the
// log events (and so on). Logs are built as event skeletons (time, service,
// level), sorted by time, then rendered straight into one reserved string: no
// per-line allocation (a million lines in about 0.75 s on one core).
#include "core/sample_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <random>
#include <span>
#include <string_view>
#include <unordered_set>

#include <fmt/format.h>

#include "util/time_format.h"

namespace comptoir {
namespace {

namespace json = boost::json;
using std::chrono::days;
using std::chrono::milliseconds;

constexpr int64_t kMillisPerDay = 86'400'000;
constexpr int64_t kMillisPerHour = 3'600'000;
constexpr int64_t kMillisPerMinute = 60'000;
constexpr int kWindowDays = 30;

// Stream ids, so that each generator's draws are independent of the others.
constexpr uint64_t kLogStream = 1;
constexpr uint64_t kSalesStream = 2;
constexpr uint64_t kProductStream = 3;
constexpr uint64_t kOrderStream = 4;

// SplitMix64 finaliser: spreads a seed (or a user index) over all 64 bits.
uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The random source. Distributions are written out here rather than taken from
// <random> so the output is the same with every standard library.
class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) : engine_(mix64(seed ^ mix64(stream))) {}

  uint64_t next() { return engine_(); }
  // Uniform in [0, n); the modulo bias is below 2^-40 for the sizes used here.
  uint64_t below(uint64_t n) { return n == 0 ? 0 : engine_() % n; }
  int64_t between(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  double normal() {  // Box-Muller, one value per call
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double log_normal(double median, double sigma) { return median * std::exp(sigma * normal()); }

 private:
  std::mt19937_64 engine_;
};

// A fixed discrete distribution (weights need not sum to 1), sampled by binary
// search over the cumulative weights.
class Discrete {
 public:
  explicit Discrete(std::span<const double> weights) {
    cdf_.reserve(weights.size());
    double sum = 0;
    for (double w : weights) cdf_.push_back(sum += w);
  }
  static Discrete zipf(size_t n, double s) {
    std::vector<double> w(std::max<size_t>(n, 1));
    for (size_t i = 0; i < w.size(); ++i) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), s);
    return Discrete(w);
  }
  size_t pick(Rng& rng) const {
    const double u = rng.uniform() * cdf_.back();
    const auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
    return std::min<size_t>(static_cast<size_t>(it - cdf_.begin()), cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

// Relative traffic per UTC hour (peak 1.0): quiet nights, busy afternoons and evenings.
constexpr std::array<double, 24> kWebTraffic = {0.25, 0.15, 0.10, 0.08, 0.08, 0.12, 0.25, 0.45,
                                                0.65, 0.80, 0.88, 0.92, 0.95, 0.93, 0.92, 0.90,
                                                0.90, 0.92, 0.97, 1.00, 0.95, 0.80, 0.60, 0.40};
// Wholesale invoicing (the Online Retail data set): office hours only.
constexpr std::array<double, 24> kOfficeHours = {0,    0,    0,    0,    0,    0,    0,    0.15,
                                                 0.55, 0.85, 1.00, 0.95, 1.00, 0.95, 0.85, 0.70,
                                                 0.45, 0.25, 0.10, 0.05, 0,    0,    0,    0};

// The 30 days before `now`, in whole milliseconds strictly inside the range.
struct TimeWindow {
  int64_t start_ms = 0;  // inclusive
  int64_t end_ms = 0;    // inclusive

  static TimeWindow last_days(std::chrono::system_clock::time_point now) {
    const auto end = std::chrono::floor<milliseconds>(now);
    const auto start = std::chrono::ceil<milliseconds>(now - days(kWindowDays));
    return {start.time_since_epoch().count(), end.time_since_epoch().count()};
  }

  // A time whose hour of day follows `hourly` (by rejection: a uniform time is
  // kept with the probability of its hour).
  int64_t sample(Rng& rng, const std::array<double, 24>& hourly) const {
    int64_t t = start_ms;
    for (int attempt = 0; attempt < 256; ++attempt) {
      t = rng.between(start_ms, end_ms);
      const auto hour = static_cast<size_t>((t % kMillisPerDay) / kMillisPerHour);
      if (rng.uniform() < hourly[hour]) break;
    }
    return t;
  }
};

struct Civil {
  int year;
  unsigned month, day, hour, minute, second, millis;
};

Civil civil_from_millis(int64_t ms) {
  const std::chrono::sys_time<milliseconds> tp{milliseconds{ms}};
  const auto day = std::chrono::floor<days>(tp);
  const std::chrono::year_month_day ymd{day};
  const auto in_day = static_cast<unsigned>((tp - day).count());
  return {static_cast<int>(ymd.year()),
          static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()),
          in_day / 3'600'000,
          in_day / 60'000 % 60,
          in_day / 1000 % 60,
          in_day % 1000};
}

void put_digits(char* p, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) p[i] = static_cast<char>('0' + value % 10);
}

// "2025-12-23T10:30:00.123Z", written digit by digit (the hot path of the log generator).
void append_iso_millis(std::string& out, int64_t ms) {
  const Civil c = civil_from_millis(ms);
  char buf[24] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0',
                  '0', ':', '0', '0', ':', '0', '0', '.', '0', '0', '0', 'Z'};
  put_digits(buf, static_cast<unsigned>(c.year), 4);
  put_digits(buf + 5, c.month, 2);
  put_digits(buf + 8, c.day, 2);
  put_digits(buf + 11, c.hour, 2);
  put_digits(buf + 14, c.minute, 2);
  put_digits(buf + 17, c.second, 2);
  put_digits(buf + 20, c.millis, 3);
  out.append(buf, sizeof buf);
}

void append_uint(std::string& out, uint64_t v) {
  const fmt::format_int text(v);
  out.append(text.data(), text.size());
}

// Cents as "12.34".
void append_cents(std::string& out, int64_t cents) {
  if (cents < 0) {
    out.push_back('-');
    cents = -cents;
  }
  append_uint(out, static_cast<uint64_t>(cents / 100));
  char frac[3] = {'.', '0', '0'};
  put_digits(frac + 1, static_cast<unsigned>(cents % 100), 2);
  out.append(frac, 3);
}

// ---------------------------------------------------------------------------
// Log events

enum class Level : uint8_t { kDebug, kInfo, kWarning, kError, kCritical };
constexpr std::array<std::string_view, 5> kLevelNames = {"DEBUG", "INFO", "WARNING", "ERROR",
                                                         "CRITICAL"};
// Outside bursts; bursts add about 1.8% ERROR on top, for ~6% overall.
constexpr std::array<double, 5> kLevelMix = {1.5, 81.6, 12.2, 4.2, 0.5};
constexpr std::array<double, 5> kBurstLevelMix = {0, 0, 6, 90, 4};
constexpr double kBurstShare = 0.02;

struct ServiceProfile {
  std::string_view name;
  double traffic;    // relative share of events
  double median_ms;  // typical request duration
};
constexpr std::array<ServiceProfile, 8> kServices = {{
    {"payment-service", 8, 180},
    {"auth-service", 14, 35},
    {"cart-service", 14, 25},
    {"catalog-service", 20, 40},
    {"order-service", 9, 120},
    {"shipping-service", 6, 90},
    {"search-service", 18, 60},
    {"notification-service", 11, 45},
}};
enum Service : uint8_t { kPayment, kAuth, kCart, kCatalog, kOrder, kShipping, kSearch, kNotify };

struct MessageTemplate {
  Service service;
  Level level;
  std::string_view text;  // {name} marks a variable part; no '"' or '\\' (JSON as is)
};
using L = Level;
constexpr MessageTemplate kTemplates[] = {
    {kPayment, L::kInfo, "Payment authorized for order {order} amount={amount} EUR"},
    {kPayment, L::kInfo, "Payment captured for order {order} ({amount} EUR)"},
    {kPayment, L::kInfo, "Refund issued for order {order} amount={amount} EUR"},
    {kPayment, L::kInfo, "3-D Secure challenge passed for order {order}"},
    {kPayment, L::kWarning, "Payment retry {n}/3 for order {order}"},
    {kPayment, L::kWarning, "Slow response from payment gateway: {ms} ms"},
    {kPayment, L::kWarning, "Card declined for order {order}: insufficient funds"},
    {kPayment, L::kError, "Payment failed for order {order}: gateway timeout after {ms} ms"},
    {kPayment, L::kError, "Payment failed for order {order}: card declined (code {code})"},
    {kPayment, L::kError, "Fraud check unavailable for order {order}: connection refused"},
    {kPayment, L::kDebug, "Tokenizing card for order {order}"},
    {kPayment, L::kCritical,
     "Payment gateway unreachable: circuit breaker open after {attempts} failures"},
    {kAuth, L::kInfo, "User {user} logged in"},
    {kAuth, L::kInfo, "User {user} logged out"},
    {kAuth, L::kInfo, "Session token refreshed for {user}"},
    {kAuth, L::kInfo, "Password reset email requested by {user}"},
    {kAuth, L::kWarning, "Failed login attempt {n} for {user}"},
    {kAuth, L::kWarning, "Token expired for {user}, forcing re-authentication"},
    {kAuth, L::kError, "Login failed for {user}: identity provider timeout after {ms} ms"},
    {kAuth, L::kError, "Account {user} locked after {attempts} failed attempts"},
    {kAuth, L::kDebug, "JWT signature verified for {user}"},
    {kAuth, L::kCritical, "Session store unavailable: all logins failing"},
    {kCart, L::kInfo, "Added product {product} x{qty} to cart of {user}"},
    {kCart, L::kInfo, "Removed product {product} from cart of {user}"},
    {kCart, L::kInfo, "Cart of {user} updated: {items} items, subtotal {amount} EUR"},
    {kCart, L::kWarning, "Product {product} out of stock while adding to cart"},
    {kCart, L::kWarning, "Cart of {user} expired after 30 min of inactivity"},
    {kCart, L::kError, "Failed to persist cart of {user}: Redis timeout after {ms} ms"},
    {kCart, L::kError, "Price mismatch for product {product} in cart of {user}"},
    {kCart, L::kDebug, "Cart cache hit for {user}"},
    {kCart, L::kCritical, "Cart storage cluster down: carts read-only"},
    {kCatalog, L::kInfo, "Product {product} viewed"},
    {kCatalog, L::kInfo, "Category page {category} rendered with {results} products"},
    {kCatalog, L::kInfo, "Product {product} price updated to {amount} EUR"},
    {kCatalog, L::kInfo, "Stock for product {product} set to {results}"},
    {kCatalog, L::kWarning, "Product {product} image missing, placeholder served"},
    {kCatalog, L::kWarning, "Slow catalog query: {ms} ms"},
    {kCatalog, L::kError, "Failed to load product {product}: database timeout after {ms} ms"},
    {kCatalog, L::kError, "Inventory sync failed for product {product}"},
    {kCatalog, L::kDebug, "Catalog cache refreshed in {ms} ms"},
    {kCatalog, L::kCritical, "Catalog database connection pool exhausted"},
    {kOrder, L::kInfo, "Order {order} created with {items} items, total {amount} EUR"},
    {kOrder, L::kInfo, "Order {order} confirmed"},
    {kOrder, L::kInfo, "Order {order} status changed to shipped"},
    {kOrder, L::kInfo, "Order {order} cancelled by customer"},
    {kOrder, L::kWarning, "Order {order} awaiting payment for over 15 min"},
    {kOrder, L::kWarning, "Inventory reservation retry {n}/3 for order {order}"},
    {kOrder, L::kError, "Failed to create order {order}: inventory service unavailable"},
    {kOrder, L::kError, "Order {order} stuck in processing: payment callback lost"},
    {kOrder, L::kDebug, "Order {order} validated"},
    {kOrder, L::kCritical, "Order database write failures: orders cannot be placed"},
    {kShipping, L::kInfo, "Shipment {tracking} created for order {order} via {carrier}"},
    {kShipping, L::kInfo, "Label printed for order {order} ({carrier})"},
    {kShipping, L::kInfo, "Order {order} delivered, tracking {tracking}"},
    {kShipping, L::kWarning, "Carrier {carrier} API slow: {ms} ms"},
    {kShipping, L::kWarning, "Address validation warning for order {order}"},
    {kShipping, L::kError, "Failed to book shipment for order {order}: {carrier} API error {http}"},
    {kShipping, L::kError, "Tracking update failed for {tracking}"},
    {kShipping, L::kDebug, "Rate quote from {carrier}: {amount} EUR"},
    {kShipping, L::kCritical, "All carrier integrations failing: shipments queued"},
    {kSearch, L::kInfo, "Search query '{query}' returned {results} results in {ms} ms"},
    {kSearch, L::kInfo, "Autocomplete for '{query}' served in {ms} ms"},
    {kSearch, L::kInfo, "Search filters applied: category={category}"},
    {kSearch, L::kWarning, "Search query '{query}' returned 0 results"},
    {kSearch, L::kWarning, "Slow search query '{query}': {ms} ms"},
    {kSearch, L::kError, "Search index timeout for query '{query}' after {ms} ms"},
    {kSearch, L::kError, "Search cluster shard failure: {n} shards unavailable"},
    {kSearch, L::kDebug, "Search query '{query}' rewritten with synonyms"},
    {kSearch, L::kCritical, "Search cluster red: index unavailable"},
    {kNotify, L::kInfo, "Order confirmation email sent for order {order}"},
    {kNotify, L::kInfo, "Shipping notification sent to {user}"},
    {kNotify, L::kInfo, "Push notification delivered to {user}"},
    {kNotify, L::kInfo, "Newsletter batch sent to {results} recipients"},
    {kNotify, L::kWarning, "Email to {user} deferred: mailbox full"},
    {kNotify, L::kWarning, "SMS provider rate limit reached, retry in {n} s"},
    {kNotify, L::kError, "Failed to send email for order {order}: SMTP timeout after {ms} ms"},
    {kNotify, L::kError, "Push notification to {user} failed: invalid device token"},
    {kNotify, L::kDebug, "Rendering email template order_confirmation for {user}"},
    {kNotify, L::kCritical, "Email provider unreachable: notifications queued"},
};

constexpr std::string_view kSearchQueries[] = {
    "wireless headphones", "running shoes",     "coffee grinder", "yoga mat",    "gift for dad",
    "usb c cable",         "winter jacket",     "lego",           "e-reader",    "air fryer",
    "desk lamp",           "phone case",        "water bottle",   "board games", "face cream",
    "garden hose",         "bluetooth speaker", "cast iron pan",  "rain jacket", "puzzle"};
constexpr std::string_view kCarriers[] = {"DHL", "UPS", "Colissimo", "Royal Mail", "DPD", "FedEx"};
constexpr std::string_view kDeclineCodes[] = {"05", "51", "54", "61", "65"};
constexpr std::string_view kHttpErrors[] = {"500", "502", "503", "504"};
constexpr std::string_view kCategories[] = {
    "Electronics",       "Books",        "Home & Kitchen", "Clothing",
    "Sports & Outdoors", "Toys & Games", "Beauty",         "Garden"};

template <typename T, size_t N>
const T& pick(Rng& rng, const T (&items)[N]) {
  return items[rng.below(N)];
}

enum class Slot : uint8_t {
  kNone,
  kOrder,
  kAmount,
  kMs,
  kN,
  kAttempts,
  kCode,
  kProduct,
  kQty,
  kItems,
  kResults,
  kQuery,
  kCategory,
  kTracking,
  kCarrier,
  kHttp,
  kUser
};

Slot slot_named(std::string_view name) {
  static constexpr std::pair<std::string_view, Slot> kSlots[] = {{"order", Slot::kOrder},
                                                                 {"amount", Slot::kAmount},
                                                                 {"ms", Slot::kMs},
                                                                 {"n", Slot::kN},
                                                                 {"attempts", Slot::kAttempts},
                                                                 {"code", Slot::kCode},
                                                                 {"product", Slot::kProduct},
                                                                 {"qty", Slot::kQty},
                                                                 {"items", Slot::kItems},
                                                                 {"results", Slot::kResults},
                                                                 {"query", Slot::kQuery},
                                                                 {"category", Slot::kCategory},
                                                                 {"tracking", Slot::kTracking},
                                                                 {"carrier", Slot::kCarrier},
                                                                 {"http", Slot::kHttp},
                                                                 {"user", Slot::kUser}};
  for (const auto& [n, slot] : kSlots) {
    if (n == name) return slot;
  }
  return Slot::kNone;
}

// A template cut once into (literal, slot) pieces so rendering never re-parses it.
struct Piece {
  std::string_view literal;
  Slot slot = Slot::kNone;
};
using CompiledTemplate = std::vector<Piece>;

CompiledTemplate compile(std::string_view text) {
  CompiledTemplate pieces;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('{', pos);
    const size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      pieces.push_back({text.substr(pos), Slot::kNone});
      break;
    }
    pieces.push_back(
        {text.substr(pos, open - pos), slot_named(text.substr(open + 1, close - open - 1))});
    pos = close + 1;
  }
  return pieces;
}

// What a log line says about itself, for the variable parts of its message.
struct LineContext {
  std::string_view user;
  uint64_t duration_ms;
  uint64_t product_count;  // ids P0001.. as in the sample catalogue
};

void render_slot(std::string& out, Slot slot, const LineContext& line, Rng& rng,
                 const Discrete& query_popularity) {
  switch (slot) {
    case Slot::kNone:
      break;
    case Slot::kOrder:
      out.append("ORD-");
      append_uint(out, static_cast<uint64_t>(rng.between(100000, 999999)));
      break;
    case Slot::kAmount:
      append_cents(out, std::llround(rng.log_normal(4500, 0.8)) + 99);
      break;
    case Slot::kMs:
      append_uint(out, line.duration_ms);
      break;
    case Slot::kN:
      append_uint(out, static_cast<uint64_t>(rng.between(1, 3)));
      break;
    case Slot::kAttempts:
      append_uint(out, static_cast<uint64_t>(rng.between(3, 10)));
      break;
    case Slot::kCode:
      out.append(pick(rng, kDeclineCodes));
      break;
    case Slot::kProduct: {  // "P" + 4 digits, like the catalogue's ids
      char id[5] = {'P'};
      put_digits(id + 1, static_cast<unsigned>(1 + rng.below(line.product_count) % 9999), 4);
      out.append(id, 5);
      break;
    }
    case Slot::kQty:
      append_uint(out, static_cast<uint64_t>(rng.between(1, 4)));
      break;
    case Slot::kItems:
      append_uint(out, static_cast<uint64_t>(rng.between(1, 9)));
      break;
    case Slot::kResults:
      append_uint(out, static_cast<uint64_t>(rng.between(1, 240)));
      break;
    case Slot::kQuery:
      out.append(kSearchQueries[query_popularity.pick(rng)]);
      break;
    case Slot::kCategory:
      out.append(pick(rng, kCategories));
      break;
    case Slot::kTracking:
      out.append("TRK");
      append_uint(out, static_cast<uint64_t>(rng.between(1'000'000'000, 9'999'999'999)));
      break;
    case Slot::kCarrier:
      out.append(pick(rng, kCarriers));
      break;
    case Slot::kHttp:
      out.append(pick(rng, kHttpErrors));
      break;
    case Slot::kUser:
      out.append(line.user);
      break;
  }
}

// The skeleton of one event; the rest is drawn while rendering, in time order.
struct EventSkeleton {
  int64_t ms;
  Service service;
  Level level;
};

struct Burst {
  int64_t start_ms;
  int64_t length_ms;
  Service service;
};

std::vector<EventSkeleton> event_skeletons(const SampleOptions& options, Rng& rng) {
  const TimeWindow window = TimeWindow::last_days(options.now);
  std::array<double, kServices.size()> traffic{};
  for (size_t i = 0; i < kServices.size(); ++i) traffic[i] = kServices[i].traffic;
  const Discrete services(traffic);
  const Discrete levels(kLevelMix);
  const Discrete burst_levels(kBurstLevelMix);

  // A few incidents of 2 to 8 minutes, each with one service failing repeatedly.
  std::vector<Burst> bursts(static_cast<size_t>(rng.between(3, 5)));
  for (Burst& b : bursts) {
    b.length_ms = rng.between(2, 8) * kMillisPerMinute;
    b.start_ms =
        rng.between(window.start_ms, std::max(window.start_ms, window.end_ms - b.length_ms));
    b.service = static_cast<Service>(rng.below(kServices.size()));
  }

  std::vector<EventSkeleton> events(options.logs);
  for (EventSkeleton& e : events) {
    if (rng.chance(kBurstShare)) {
      const Burst& b = bursts[rng.below(bursts.size())];
      e = {std::min(window.end_ms, b.start_ms + rng.between(0, b.length_ms - 1)), b.service,
           static_cast<Level>(burst_levels.pick(rng))};
    } else {
      e = {window.sample(rng, kWebTraffic), static_cast<Service>(services.pick(rng)),
           static_cast<Level>(levels.pick(rng))};
    }
  }
  std::sort(events.begin(), events.end(),
            [](const EventSkeleton& a, const EventSkeleton& b) { return a.ms < b.ms; });
  return events;
}

// A user's usual address, stable for the user: one of a few private subnets.
void append_ip(std::string& out, uint64_t h) {
  static constexpr std::string_view kSubnets[] = {"10.0.", "10.20.", "172.16.", "192.168."};
  const uint64_t subnet = h % 4;
  out.append(kSubnets[subnet]);
  append_uint(out, subnet == 3 ? (h >> 8) % 4 : (h >> 8) % 256);
  out.push_back('.');
  append_uint(out, 1 + (h >> 16) % 254);
}

}  // namespace

std::string generate_log_ndjson(const SampleOptions& options) {
  Rng rng(options.seed, kLogStream);
  const std::vector<EventSkeleton> events = event_skeletons(options, rng);

  std::array<std::array<std::vector<CompiledTemplate>, 5>, kServices.size()> templates;
  for (const MessageTemplate& t : kTemplates) {
    templates[t.service][static_cast<size_t>(t.level)].push_back(compile(t.text));
  }
  const uint64_t user_count = std::clamp<uint64_t>(options.logs / 40, 20, 20000);
  const Discrete users = Discrete::zipf(user_count, 1.05);
  const Discrete queries = Discrete::zipf(std::size(kSearchQueries), 0.9);
  const uint64_t ip_salt = mix64(options.seed);

  std::string out;
  out.reserve(options.logs * 240);
  char user[32] = "user";
  for (const EventSkeleton& e : events) {
    const ServiceProfile& service = kServices[e.service];
    const auto level = static_cast<size_t>(e.level);

    const bool anonymous = (e.service == kCatalog || e.service == kSearch) && rng.chance(0.08);
    const uint64_t user_index = users.pick(rng);
    size_t user_len = 4;
    if (anonymous) {
      user_len = 0;
    } else {
      const fmt::format_int n(user_index + 1);
      std::copy(n.data(), n.data() + n.size(), user + 4);
      user_len += n.size();
    }
    static constexpr std::array<double, 5> kSlowdown = {0.3, 1.0, 2.5, 6.0, 10.0};
    const double duration = rng.log_normal(service.median_ms * kSlowdown[level], 0.6);
    const LineContext line{
        anonymous ? std::string_view("anonymous") : std::string_view(user, user_len),
        static_cast<uint64_t>(std::clamp(std::llround(duration), 1LL, 60000LL)),
        std::max<uint64_t>(options.products, 1)};

    out.append(R"({"timestamp":")");
    append_iso_millis(out, e.ms);
    out.append(R"(","level":")");
    out.append(kLevelNames[level]);
    out.append(R"(","service":")");
    out.append(service.name);
    out.append(R"(","message":")");
    const auto& choices = templates[e.service][level];
    for (const Piece& piece : choices[rng.below(choices.size())]) {
      out.append(piece.literal);
      render_slot(out, piece.slot, line, rng, queries);
    }
    out.append(R"(","user":")");
    out.append(line.user);
    out.append(R"(","ip":")");
    // Nine times in ten from the user's usual address, else from anywhere.
    append_ip(out, rng.chance(0.9) ? mix64(user_index ^ ip_salt) : rng.next());
    out.append(R"(","duration_ms":)");
    append_uint(out, line.duration_ms);
    out.append("}\n");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Sales lines (UCI Online Retail layout)

namespace {

struct RetailItem {
  std::string_view stock_code;
  std::string_view description;  // no ',' or '"' (written unquoted)
  int64_t unit_cents;
};
// Best sellers first: popularity follows this order.
constexpr RetailItem kRetailItems[] = {
    {"85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 255},
    {"22423", "REGENCY CAKESTAND 3 TIER", 1275},
    {"85099B", "JUMBO BAG RED RETROSPOT", 195},
    {"47566", "PARTY BUNTING", 465},
    {"20725", "LUNCH BAG RED RETROSPOT", 165},
    {"84879", "ASSORTED COLOUR BIRD ORNAMENT", 169},
    {"22720", "SET OF 3 CAKE TINS PANTRY DESIGN", 495},
    {"21212", "PACK OF 72 RETROSPOT CAKE CASES", 55},
    {"22197", "SMALL POPCORN HOLDER", 85},
    {"23084", "RABBIT NIGHT LIGHT", 208},
    {"22386", "JUMBO BAG PINK POLKADOT", 195},
    {"20727", "LUNCH BAG BLACK SKULL.", 165},
    {"23203", "JUMBO BAG DOILEY PATTERNS", 208},
    {"22457", "NATURAL SLATE HEART CHALKBOARD", 295},
    {"22469", "HEART OF WICKER SMALL", 165},
    {"22470", "HEART OF WICKER LARGE", 295},
    {"71053", "WHITE METAL LANTERN", 339},
    {"84406B", "CREAM CUPID HEARTS COAT HANGER", 275},
    {"84029G", "KNITTED UNION FLAG HOT WATER BOTTLE", 339},
    {"84029E", "RED WOOLLY HOTTIE WHITE HEART.", 339},
    {"22752", "SET 7 BABUSHKA NESTING BOXES", 765},
    {"21730", "GLASS STAR FROSTED T-LIGHT HOLDER", 425},
    {"22633", "HAND WARMER UNION JACK", 185},
    {"22632", "HAND WARMER RED POLKA DOT", 185},
    {"22745", "POPPY'S PLAYHOUSE BEDROOM", 210},
    {"22748", "POPPY'S PLAYHOUSE KITCHEN", 210},
    {"22749", "FELTCRAFT PRINCESS CHARLOTTE DOLL", 375},
    {"22310", "IVORY KNITTED MUG COSY", 165},
    {"84969", "BOX OF 6 ASSORTED COLOUR TEASPOONS", 425},
    {"22623", "BOX OF VINTAGE JIGSAW BLOCKS", 495},
    {"22622", "BOX OF VINTAGE ALPHABET BLOCKS", 995},
    {"21754", "HOME BUILDING BLOCK WORD", 595},
    {"21755", "LOVE BUILDING BLOCK WORD", 595},
    {"21777", "RECIPE BOX WITH METAL HEART", 795},
    {"48187", "DOORMAT NEW ENGLAND", 795},
    {"22960", "JAM MAKING SET WITH JARS", 425},
    {"22913", "RED COAT RACK PARIS FASHION", 495},
    {"22912", "YELLOW COAT RACK PARIS FASHION", 495},
    {"21731", "RED TOADSTOOL LED NIGHT LIGHT", 165},
    {"22726", "ALARM CLOCK BAKELIKE GREEN", 375},
    {"22727", "ALARM CLOCK BAKELIKE RED", 375},
    {"85152", "HAND OVER THE CHOCOLATE SIGN", 210},
    {"22086", "PAPER CHAIN KIT 50'S CHRISTMAS", 295},
    {"22139", "RETROSPOT TEA SET CERAMIC 11 PC", 495},
    {"21034", "REX CASH+CARRY JUMBO SHOPPER", 95},
};
constexpr RetailItem kPostage = {"POST", "POSTAGE", 1800};

constexpr std::string_view kCountries[] = {
    "United Kingdom", "Germany",     "France",   "EIRE",   "Spain",    "Netherlands",
    "Belgium",        "Switzerland", "Portugal", "Norway", "Australia"};
constexpr double kCountryMix[] = {82, 4.5, 4, 3, 1.2, 1.2, 1, 1, 0.8, 0.7, 0.6};

// Wholesale quantities: singles, dozens and boxes.
constexpr int64_t kQuantities[] = {1, 2, 3, 4, 6, 8, 10, 12, 24, 25, 36, 48, 72, 96, 144};
constexpr double kQuantityMix[] = {20, 12, 6, 8, 12, 5, 6, 18, 8, 2, 2, 3, 1, 1, 0.5};

constexpr double kCancelledShare = 0.02;
constexpr double kAnonymousShare = 0.03;  // lines without CustomerID, as in the real data set
constexpr uint64_t kFirstInvoice = 536365;
constexpr uint64_t kFirstCustomer = 12346;

// A stock code not yet on the invoice when one can be found in a few draws (an
// invoice rarely lists an item twice).
size_t distinct_pick(const Discrete& items, std::vector<size_t>& chosen, Rng& rng) {
  size_t index = items.pick(rng);
  for (int attempt = 0; attempt < 16; ++attempt) {
    if (std::find(chosen.begin(), chosen.end(), index) == chosen.end()) break;
    index = items.pick(rng);
  }
  chosen.push_back(index);
  return index;
}

struct Invoice {
  int64_t ms;
  uint64_t lines;
  bool cancelled;
  int64_t customer;  // index, or -1 when anonymous
};

}  // namespace

std::string generate_sales_csv(const SampleOptions& options) {
  Rng rng(options.seed, kSalesStream);
  const TimeWindow window = TimeWindow::last_days(options.now);

  // Invoice sizes first (so the line count is exact), then their times in order.
  std::vector<Invoice> invoices;
  for (uint64_t remaining = options.sales; remaining > 0;) {
    Invoice inv{};
    inv.cancelled = rng.chance(kCancelledShare);
    const double size = inv.cancelled ? rng.between(1, 2) : 1 + rng.log_normal(5, 0.8);
    inv.lines = std::min<uint64_t>(remaining, static_cast<uint64_t>(std::clamp(size, 1.0, 40.0)));
    remaining -= inv.lines;
    invoices.push_back(inv);
  }
  std::vector<int64_t> times(invoices.size());
  for (int64_t& t : times) t = window.sample(rng, kOfficeHours);
  std::sort(times.begin(), times.end());

  const uint64_t customer_count = std::clamp<uint64_t>(options.sales / 12, 20, 4300);
  const Discrete customers = Discrete::zipf(customer_count, 0.9);
  const Discrete countries(kCountryMix);
  const Discrete items = Discrete::zipf(std::size(kRetailItems), 1.0);
  const Discrete quantities(kQuantityMix);
  const uint64_t country_salt = mix64(options.seed ^ kSalesStream);

  std::string out;
  out.reserve(90 + options.sales * 100);
  out.append("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
  auto it = std::back_inserter(out);
  std::vector<size_t> chosen;  // stock codes already on the invoice
  for (size_t i = 0; i < invoices.size(); ++i) {
    Invoice& inv = invoices[i];
    inv.ms = times[i];
    inv.customer = rng.chance(kAnonymousShare) ? -1 : static_cast<int64_t>(customers.pick(rng));
    // A customer's country never changes: it is drawn from the customer id.
    std::string_view country = kCountries[0];
    if (inv.customer >= 0) {
      Rng by_customer(country_salt, static_cast<uint64_t>(inv.customer));
      country = kCountries[countries.pick(by_customer)];
    }
    const Civil c = civil_from_millis(inv.ms);
    chosen.clear();
    for (uint64_t line = 0; line < inv.lines; ++line) {
      // Foreign orders usually end with a postage line.
      const bool postage =
          country != kCountries[0] && line + 1 == inv.lines && line > 0 && rng.chance(0.6);
      const RetailItem& item = postage ? kPostage : kRetailItems[distinct_pick(items, chosen, rng)];
      int64_t quantity = postage ? 1 : kQuantities[quantities.pick(rng)];
      int64_t cents = item.unit_cents;
      if (quantity >= 24) cents = std::max<int64_t>(1, cents * 85 / 100);  // volume price
      if (inv.cancelled) quantity = -std::min<int64_t>(quantity, 12);

      if (inv.cancelled) out.push_back('C');
      append_uint(out, kFirstInvoice + i);
      out.push_back(',');
      out.append(item.stock_code);
      out.push_back(',');
      out.append(item.description);
      fmt::format_to(it, ",{},{}/{}/{} {}:{:02},", quantity, c.month, c.day, c.year, c.hour,
                     c.minute);
      append_cents(out, cents);
      out.push_back(',');
      if (inv.customer >= 0) append_uint(out, kFirstCustomer + static_cast<uint64_t>(inv.customer));
      out.push_back(',');
      out.append(country);
      out.push_back('\n');
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Product catalogue and orders

namespace {

struct CategoryProfile {
  std::string_view name;
  double median_price;
  std::array<std::string_view, 8> nouns;
};
constexpr std::array<CategoryProfile, 8> kProductCategories = {{
    {"Electronics",
     60,
     {"Wireless Headphones", "Bluetooth Speaker", "USB-C Charger", "Smart Watch", "Webcam",
      "Mechanical Keyboard", "Power Bank", "E-reader"}},
    {"Books",
     16,
     {"Cookbook", "Mystery Novel", "Travel Guide", "Science Fiction Novel", "Picture Book",
      "Programming Handbook", "Poetry Collection", "Graphic Novel"}},
    {"Home & Kitchen",
     35,
     {"Coffee Grinder", "Chef Knife", "Cast Iron Pan", "Tea Kettle", "Blender", "Toaster",
      "Cutting Board", "French Press"}},
    {"Clothing",
     40,
     {"Rain Jacket", "Wool Sweater", "Running Shorts", "Denim Jeans", "Linen Shirt", "Beanie",
      "Scarf", "Hoodie"}},
    {"Sports & Outdoors",
     30,
     {"Yoga Mat", "Water Bottle", "Camping Lantern", "Trekking Poles", "Dumbbell Set",
      "Bike Helmet", "Running Shoes", "Tent"}},
    {"Toys & Games",
     25,
     {"Jigsaw Puzzle", "Board Game", "Building Blocks", "Plush Bear", "Kite", "RC Car", "Card Game",
      "Doll House"}},
    {"Beauty",
     20,
     {"Face Cream", "Shampoo", "Lip Balm", "Perfume", "Hair Dryer", "Body Lotion", "Sunscreen",
      "Beard Oil"}},
    {"Garden",
     22,
     {"Watering Can", "Pruning Shears", "Plant Pot", "Bird Feeder", "Garden Gloves", "Hose Reel",
      "Seed Kit", "Compost Bin"}},
}};
constexpr std::string_view kProductLines[] = {"Classic", "Essential", "Deluxe",  "Compact",
                                              "Premium", "Everyday",  "Vintage", "Eco",
                                              "Pro",     "Nordic",    "Urban",   "Signature"};

// Round a price to the shop's usual endings: x.99 from 5 up, else cents.
int64_t shop_price_cents(double price) {
  if (price < 5) return std::max<int64_t>(50, std::llround(price * 100));
  return std::llround(std::floor(price)) * 100 + 99;
}

constexpr std::string_view kStatuses[] = {"pending",   "processing", "shipped",
                                          "delivered", "cancelled",  "refunded"};
constexpr double kRecentStatusMix[] = {15, 25, 35, 15, 7, 3};  // placed in the last 7 days
constexpr double kSettledStatusMix[] = {0, 1, 5, 84, 6, 4};    // older

// A product an order can contain: its id as stored and its price in cents.
struct Orderable {
  const json::value* id;
  int64_t cents;
};

}  // namespace

std::vector<json::object> generate_products(const SampleOptions& options) {
  Rng rng(options.seed, kProductStream);
  std::vector<json::object> products;
  products.reserve(options.products);
  std::unordered_set<std::string> names;
  for (uint64_t i = 0; i < options.products; ++i) {
    const CategoryProfile& category = kProductCategories[rng.below(kProductCategories.size())];
    std::string name = fmt::format("{} {}", pick(rng, kProductLines),
                                   category.nouns[rng.below(category.nouns.size())]);
    if (!names.insert(name).second) {
      name = fmt::format("{} {}", name, i + 1);  // plenty of products: number the repeats
      names.insert(name);
    }
    const int64_t cents = shop_price_cents(rng.log_normal(category.median_price, 0.5));
    const int64_t stock =
        rng.chance(0.06) ? 0 : std::min<int64_t>(1000, std::llround(rng.log_normal(80, 0.9)) + 1);
    json::object p;
    p["id"] = fmt::format("P{:04}", i + 1);
    p["name"] = name;
    p["price"] = static_cast<double>(cents) / 100.0;
    p["category"] = category.name;
    p["stock"] = stock;
    products.push_back(std::move(p));
  }
  return products;
}

std::vector<json::object> generate_orders(const SampleOptions& options,
                                          const std::vector<json::object>& products) {
  std::vector<Orderable> catalogue;
  for (const json::object& p : products) {
    const json::value* id = p.if_contains("id");
    const json::value* price = p.if_contains("price");
    if (id == nullptr || !(id->is_string() || id->is_int64() || id->is_uint64())) continue;
    if (price == nullptr || !price->is_number()) continue;
    const double amount = price->to_number<double>();
    if (!std::isfinite(amount) || amount < 0) continue;
    catalogue.push_back({id, std::llround(amount * 100)});
  }
  std::vector<json::object> orders;
  if (catalogue.empty()) return orders;

  Rng rng(options.seed, kOrderStream);
  const TimeWindow window = TimeWindow::last_days(options.now);
  std::vector<int64_t> times(options.orders);
  for (int64_t& t : times) t = window.sample(rng, kWebTraffic);
  std::sort(times.begin(), times.end());

  const Discrete popularity = Discrete::zipf(catalogue.size(), 1.0);
  const uint64_t customer_count = std::clamp<uint64_t>(options.orders / 3, 10, 20000);
  const Discrete customers = Discrete::zipf(customer_count, 1.05);
  static constexpr double kItemCountMix[] = {45, 25, 15, 10, 5};
  static constexpr double kQuantityMix[] = {70, 20, 7, 2, 1};
  const Discrete item_counts(kItemCountMix);
  const Discrete item_quantities(kQuantityMix);
  const Discrete recent_status(kRecentStatusMix);
  const Discrete settled_status(kSettledStatusMix);
  const int64_t settled_before = window.end_ms - 7 * kMillisPerDay;

  orders.reserve(options.orders);
  std::vector<size_t> chosen;
  for (uint64_t i = 0; i < options.orders; ++i) {
    const size_t wanted = std::min(catalogue.size(), item_counts.pick(rng) + 1);
    chosen.clear();
    // Distinct products; a popular one drawn twice is simply drawn again.
    for (int attempt = 0; chosen.size() < wanted && attempt < 64; ++attempt) {
      const size_t index = popularity.pick(rng);
      if (std::find(chosen.begin(), chosen.end(), index) == chosen.end()) chosen.push_back(index);
    }
    json::array items;
    int64_t total_cents = 0;
    for (size_t index : chosen) {
      const int64_t quantity = static_cast<int64_t>(item_quantities.pick(rng)) + 1;
      total_cents += catalogue[index].cents * quantity;
      items.push_back(json::object{{"product_id", *catalogue[index].id}, {"quantity", quantity}});
    }
    const Discrete& status = times[i] < settled_before ? settled_status : recent_status;
    json::object order;
    order["order_id"] = fmt::format("ORD-{:06}", 100001 + i);
    order["customer"] = fmt::format("user{}", customers.pick(rng) + 1);
    order["total"] = static_cast<double>(total_cents) / 100.0;
    order["date"] = iso8601_utc(std::chrono::system_clock::time_point(milliseconds(times[i])));
    order["status"] = kStatuses[status.pick(rng)];
    order["items"] = std::move(items);
    orders.push_back(std::move(order));
  }
  return orders;
}

}  // namespace comptoir
