// SearchHistory: validation and the store calls.
#include "core/search_history.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/catalogue.h"
#include "util/random_id.h"

namespace comptoir {

namespace json = boost::json;

namespace {
constexpr std::string_view kCollection = "searches";
constexpr size_t kMaxText = 1000;

// Microseconds, so two searches saved one after the other never tie in the
// newest-first order.
std::string now_with_micros() {
  const auto now = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  const auto secs = std::chrono::floor<std::chrono::seconds>(now);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06d}Z", secs, (now - secs).count());
}
}  // namespace

Result<json::object> SearchHistory::save(const json::object& body) {
  std::vector<FieldError> errors;
  json::object entry;
  const json::value* query = body.if_contains("query");
  if (query == nullptr || !query->is_string()) {
    errors.push_back({"query", "is required and must be a string"});
  } else if (query->as_string().size() > kMaxText) {
    errors.push_back({"query", fmt::format("must be at most {} bytes", kMaxText)});
  } else {
    entry["query"] = *query;
  }
  for (const char* field : {"level", "service", "start_date", "end_date"}) {
    const json::value* v = body.if_contains(field);
    if (v == nullptr || v->is_null()) continue;
    if (!v->is_string() || v->as_string().size() > kMaxText) {
      errors.push_back({field, fmt::format("must be a string of at most {} bytes", kMaxText)});
    } else {
      entry[field] = *v;
    }
  }
  const std::string saved_at = now_with_micros();
  const json::value* ts = body.if_contains("timestamp");
  if (ts == nullptr || ts->is_null()) {
    entry["timestamp"] = saved_at;
  } else if (!ts->is_string() || !is_iso_date(ts->as_string())) {
    errors.push_back({"timestamp", "must be an ISO 8601 date or date-time"});
  } else {
    entry["timestamp"] = *ts;
  }
  if (!errors.empty()) {
    std::string message = "invalid saved search:";
    for (const auto& e : errors) message += fmt::format(" {} {};", e.field, e.problem);
    message.pop_back();
    return Error::invalid_fields(std::move(message), std::move(errors));
  }
  const std::string id = random_hex_id();
  entry["id"] = id;
  entry["saved_at"] = saved_at;
  COMPTOIR_TRY(store_.insert(kCollection, id, entry));
  return entry;
}

Result<SearchHistoryPage> SearchHistory::recent(uint64_t limit) {
  auto count = store_.count(kCollection, {});
  COMPTOIR_TRY(count);
  FindOptions options;
  options.sort_field = "saved_at";
  options.descending = true;
  options.limit = limit;
  auto found = store_.find(kCollection, options);
  COMPTOIR_TRY(found);
  return SearchHistoryPage{*count, std::move(found.value())};
}

}  // namespace comptoir
