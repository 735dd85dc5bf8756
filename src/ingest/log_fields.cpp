// Name tables and value normalisation of the canonical log fields.
#include "ingest/log_fields.h"

#include <arpa/inet.h>

#include <cmath>

#include <fmt/format.h>

#include "ingest/typed_value.h"

namespace comptoir::ingest {

namespace json = boost::json;

namespace {

struct Spelling {
  std::string_view name;  // lower case
  LogRole role;
};

// Earlier spellings of a role win over later ones.
constexpr Spelling kSpellings[] = {
    {"@timestamp", LogRole::kTimestamp},
    {"timestamp", LogRole::kTimestamp},
    {"time", LogRole::kTimestamp},
    {"datetime", LogRole::kTimestamp},
    {"date", LogRole::kTimestamp},
    {"ts", LogRole::kTimestamp},
    {"level", LogRole::kLevel},
    {"severity", LogRole::kLevel},
    {"loglevel", LogRole::kLevel},
    {"log_level", LogRole::kLevel},
    {"log.level", LogRole::kLevel},
    {"levelname", LogRole::kLevel},
    {"service", LogRole::kService},
    {"service_name", LogRole::kService},
    {"service.name", LogRole::kService},
    {"application", LogRole::kService},
    {"app", LogRole::kService},
    {"source", LogRole::kService},
    {"component", LogRole::kService},
    {"logger", LogRole::kService},
    {"logger_name", LogRole::kService},
    {"message", LogRole::kMessage},
    {"msg", LogRole::kMessage},
    {"content", LogRole::kMessage},
    {"user", LogRole::kUser},
    {"user_id", LogRole::kUser},
    {"userid", LogRole::kUser},
    {"username", LogRole::kUser},
    {"user_name", LogRole::kUser},
    {"user.id", LogRole::kUser},
    {"user.name", LogRole::kUser},
    {"ip", LogRole::kIp},
    {"client_ip", LogRole::kIp},
    {"clientip", LogRole::kIp},
    {"ip_address", LogRole::kIp},
    {"remote_addr", LogRole::kIp},
    {"remote_ip", LogRole::kIp},
    {"source_ip", LogRole::kIp},
    {"src_ip", LogRole::kIp},
    {"client.ip", LogRole::kIp},
    {"duration", LogRole::kDuration},
    {"duration_ms", LogRole::kDuration},
    {"response_time", LogRole::kDuration},
    {"response_time_ms", LogRole::kDuration},
    {"latency", LogRole::kDuration},
    {"latency_ms", LogRole::kDuration},
    {"elapsed_ms", LogRole::kDuration},
    {"took_ms", LogRole::kDuration},
    {"event", LogRole::kEvent},
    {"page", LogRole::kPage},
};

bool iequals_lower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower[i]) return false;
  }
  return true;
}

const json::value* find(const json::object& doc, const std::string& name) {
  if (name.empty()) return nullptr;
  auto it = doc.find(name);
  return it == doc.end() ? nullptr : &it->value();
}

}  // namespace

void LogFieldMap::offer(std::string_view name) {
  int rank = 1;
  for (const Spelling& s : kSpellings) {
    const auto role = static_cast<size_t>(s.role);
    if (iequals_lower(name, s.name)) {
      if (s.name == "date") date_name_ = std::string(name);
      if (s.name == "time") time_name_ = std::string(name);
      // rank_ 0 = unset; a lower positive rank is a better spelling.
      const int r = rank;
      if (rank_[role] == 0 || r < rank_[role]) {
        rank_[role] = r;
        names_[role] = std::string(name);
      }
      return;
    }
    ++rank;
  }
}

std::optional<LogRole> log_role_of(std::string_view name) {
  for (const Spelling& s : kSpellings) {
    if (iequals_lower(name, s.name)) return s.role;
  }
  return std::nullopt;
}

LogFieldMap LogFieldMap::resolve(const std::vector<std::string_view>& names) {
  LogFieldMap map;
  for (std::string_view n : names) map.offer(n);
  return map;
}

LogFieldMap LogFieldMap::resolve(const json::object& doc) {
  LogFieldMap map;
  for (const auto& kv : doc) map.offer(kv.key());
  return map;
}

std::string normalize_level(std::string_view level) {
  level = trim(level);
  std::string up(level);
  for (char& c : up) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  if (up.size() == 1 && up[0] >= '0' && up[0] <= '7') {
    static constexpr std::string_view kSyslog[] = {"CRITICAL", "CRITICAL", "CRITICAL", "ERROR",
                                                   "WARNING",  "INFO",     "INFO",     "DEBUG"};
    return std::string(kSyslog[up[0] - '0']);
  }
  if (up == "WARN" || up == "WARNING") return "WARNING";
  if (up == "ERR" || up == "ERROR" || up == "SEVERE") return "ERROR";
  if (up == "FATAL" || up == "CRIT" || up == "CRITICAL" || up == "EMERG" || up == "EMERGENCY" ||
      up == "ALERT" || up == "PANIC") {
    return "CRITICAL";
  }
  if (up == "NOTICE" || up == "INFO" || up == "INFORMATION" || up == "INFORMATIONAL") return "INFO";
  return up;
}

bool is_ip_address(std::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  char buf[46];
  text.copy(buf, text.size());
  buf[text.size()] = '\0';
  unsigned char addr[16];
  return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}

std::string scalar_text(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_: {
      const double d = v.get_double();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
        return std::to_string(static_cast<int64_t>(d));
      }
      return fmt::format("{}", d);
    }
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    default:
      return "";
  }
}

void set_timestamp(json::object& doc, EpochMillis t) {
  char buf[kIsoMillisLength];
  format_iso8601_millis(t, buf);
  doc.insert_or_assign("@timestamp", std::string_view(buf, kIsoMillisLength));
}

namespace {

std::optional<EpochMillis> time_of(const json::value& v, const TimeContext& ctx) {
  if (v.is_string()) return parse_timestamp(std::string_view(v.get_string()), ctx);
  if (auto n = number_of(v)) return epoch_number_to_millis(*n);
  return std::nullopt;
}

bool blank(const json::value& v) {
  return v.is_null() || (v.is_string() && trim(std::string_view(v.get_string())).empty());
}

}  // namespace

LogTime normalize_log_document(json::object& doc, const LogFieldMap& map, const TimeContext& ctx) {
  // Read every role before inserting anything: insertion may move the values.
  LogTime t{ctx.reference, false};
  if (const json::value* v = find(doc, map.name(LogRole::kTimestamp)); v && !blank(*v)) {
    std::optional<EpochMillis> parsed = time_of(*v, ctx);
    if (!parsed && !map.date_name().empty() && !map.time_name().empty()) {
      const json::value* d = find(doc, map.date_name());
      const json::value* c = find(doc, map.time_name());
      if (d && c) {
        parsed = parse_timestamp(fmt::format("{} {}", scalar_text(*d), scalar_text(*c)), ctx);
      }
    }
    if (parsed) {
      t.time = *parsed;
    } else {
      t.defaulted = true;
    }
  }
  std::string level, service, message, user, ip;
  std::optional<int64_t> duration;
  if (const json::value* v = find(doc, map.name(LogRole::kLevel))) {
    level = normalize_level(scalar_text(*v));
  }
  if (const json::value* v = find(doc, map.name(LogRole::kService))) service = scalar_text(*v);
  if (const json::value* v = find(doc, map.name(LogRole::kMessage))) message = scalar_text(*v);
  if (const json::value* v = find(doc, map.name(LogRole::kUser))) user = scalar_text(*v);
  if (const json::value* v = find(doc, map.name(LogRole::kIp))) {
    ip = std::string(trim(scalar_text(*v)));
    if (!is_ip_address(ip)) ip.clear();
  }
  if (const json::value* v = find(doc, map.name(LogRole::kDuration))) {
    if (auto n = number_of(*v)) duration = std::llround(*n);
  }
  if (map.user_event_shape()) {
    const json::value* page = find(doc, map.name(LogRole::kPage));
    const std::string event = scalar_text(*find(doc, map.name(LogRole::kEvent)));
    level = "INFO";
    service = event;
    message = fmt::format("{} - User: {} - Page: {}", event, user, page ? scalar_text(*page) : "");
  }

  set_timestamp(doc, t.time);
  if (!level.empty()) doc.insert_or_assign("Level", std::string_view(level));
  if (!service.empty()) doc.insert_or_assign("Service", std::string_view(service));
  if (!message.empty()) doc.insert_or_assign("Message", std::string_view(message));
  if (!user.empty()) doc.insert_or_assign("User", std::string_view(user));
  if (!ip.empty()) doc.insert_or_assign("IP", std::string_view(ip));
  if (duration) doc.insert_or_assign("Duration", *duration);
  return t;
}

}  // namespace comptoir::ingest
