// Reading the five displayed fields of a log source.
#include "core/log_row.h"

#include "util/json_text.h"

namespace comptoir {

namespace json = boost::json;

std::span<const std::string_view> log_field_keys(LogField field) {
  static constexpr std::string_view kTimestamp[] = {"@timestamp", "timestamp", "Timestamp"};
  static constexpr std::string_view kLevel[] = {"Level", "level", "severity"};
  static constexpr std::string_view kService[] = {"Service", "service", "source"};
  static constexpr std::string_view kMessage[] = {"Message", "message", "msg"};
  static constexpr std::string_view kUser[] = {"User", "user"};
  switch (field) {
    case LogField::kTimestamp:
      return kTimestamp;
    case LogField::kLevel:
      return kLevel;
    case LogField::kService:
      return kService;
    case LogField::kMessage:
      return kMessage;
    case LogField::kUser:
      return kUser;
  }
  return {};
}

namespace {

json::value as_json(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

std::optional<std::string> log_field(const json::value& source, LogField field) {
  const json::object* o = source.if_object();
  if (o == nullptr) return std::nullopt;
  for (std::string_view name : log_field_keys(field)) {
    auto it = o->find(name);
    if (it == o->end() || it->value().is_null()) continue;
    if (const json::string* s = it->value().if_string()) return std::string(*s);
    return to_json_text(it->value());
  }
  return std::nullopt;
}

json::object log_row_json(const engine::SearchHit& hit) {
  static const json::value kEmpty = json::object();
  const json::value& source = hit.source ? *hit.source : kEmpty;
  return json::object{{"timestamp", as_json(log_field(source, LogField::kTimestamp))},
                      {"level", as_json(log_field(source, LogField::kLevel))},
                      {"service", as_json(log_field(source, LogField::kService))},
                      {"message", as_json(log_field(source, LogField::kMessage))},
                      {"user", as_json(log_field(source, LogField::kUser))},
                      {"id", hit.id},
                      {"index", hit.index},
                      {"source", source}};
}

}  // namespace comptoir
