// Name tables and value normalisation of the canonical log fields.
#include "ingest/log_fields.h"

#include <arpa/inet.h>

#include <cmath>

#include <fmt/format.h>

#include "ingest/canonical_key.h"
#include "ingest/typed_value.h"

namespace comptoir::ingest {

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
constexpr size_t kSpellingCount = std::size(kSpellings);
static_assert(kSpellingCount <= 64, "a bit per spelling");

constexpr size_t kMaxSpelling = 16;  // "response_time_ms"

// For each name length, a bit per spelling of that length.
constexpr std::array<uint64_t, kMaxSpelling + 1> kSpellingsByLength = [] {
  std::array<uint64_t, kMaxSpelling + 1> t{};
  for (size_t k = 0; k < kSpellingCount; ++k) t[kSpellings[k].name.size()] |= uint64_t{1} << k;
  return t;
}();

// The index in kSpellings of the spelling `name` matches case-insensitively, or -1.
int spelling_of(std::string_view name) {
  if (name.size() > kMaxSpelling) return -1;
  uint64_t candidates = kSpellingsByLength[name.size()];
  if (candidates == 0) return -1;
  char lower[kMaxSpelling];
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  const std::string_view l(lower, name.size());
  for (; candidates != 0; candidates &= candidates - 1) {
    const int k = __builtin_ctzll(candidates);
    if (kSpellings[k].name == l) return k;
  }
  return -1;
}

std::optional<EpochMillis> time_of(const FieldValue& v, const TimeContext& ctx) {
  if (v.is_string()) return parse_timestamp(v.text, ctx);
  if (auto n = number_of(v)) return epoch_number_to_millis(*n);
  return std::nullopt;
}

}  // namespace

void LogFieldMap::offer(std::string_view name, int position) {
  const int k = spelling_of(name);
  if (k < 0) return;
  const Spelling& s = kSpellings[k];
  if (s.name == "date") date_field_ = position;
  if (s.name == "time") time_field_ = position;
  // rank_ 0 = unset; a lower positive rank is a better spelling.
  const auto role = static_cast<size_t>(s.role);
  const int rank = k + 1;
  if (rank_[role] == 0 || rank < rank_[role]) {
    rank_[role] = rank;
    fields_[role] = position;
  }
}

std::optional<LogRole> log_role_of(std::string_view name) {
  const int k = spelling_of(name);
  if (k < 0) return std::nullopt;
  return kSpellings[k].role;
}

void LogFieldMap::add_carried_names(std::span<const std::string_view> names,
                                    std::set<std::string, std::less<>>& out) const {
  auto add = [&](int position) {
    if (position == kAbsent || static_cast<size_t>(position) >= names.size()) return;
    const std::string_view name = names[static_cast<size_t>(position)];
    if (canonical_key_of(name) == CanonicalKey::kNone) out.emplace(name);
  };
  // Event and page only make up parts of Service and Message (shape 2): kept.
  for (LogRole role : {LogRole::kTimestamp, LogRole::kLevel, LogRole::kService, LogRole::kMessage,
                       LogRole::kUser, LogRole::kIp, LogRole::kDuration}) {
    add(field(role));
  }
  add(date_field_);
  add(time_field_);
}

LogFieldMap LogFieldMap::resolve(std::span<const std::string_view> names) {
  LogFieldMap map;
  for (size_t i = 0; i < names.size(); ++i) map.offer(names[i], static_cast<int>(i));
  return map;
}

namespace {

// Up to 16 bytes as two integers, zero-padded: a level word compared in two steps.
struct PackedWord {
  uint64_t low = 0;
  uint64_t high = 0;
  size_t size = 0;
  bool operator==(const PackedWord&) const = default;
};

constexpr size_t kMaxLevelWord = 16;

// `word` (at most kMaxLevelWord bytes) with ASCII letters upper-cased.
constexpr PackedWord pack_upper(std::string_view word) {
  PackedWord p;
  p.size = word.size();
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    const uint64_t byte = static_cast<unsigned char>(c);
    if (i < 8) {
      p.low |= byte << (8 * i);
    } else {
      p.high |= byte << (8 * (i - 8));
    }
  }
  return p;
}

struct LevelEntry {
  PackedWord word;
  LevelWord meaning;
};

constexpr LevelEntry kLevelWords[] = {
    {pack_upper("TRACE"), {"TRACE", true}},        {pack_upper("DEBUG"), {"DEBUG", true}},
    {pack_upper("INFO"), {"INFO", true}},          {pack_upper("NOTICE"), {"INFO", true}},
    {pack_upper("INFORMATION"), {"INFO", false}},  {pack_upper("INFORMATIONAL"), {"INFO", false}},
    {pack_upper("WARN"), {"WARNING", true}},       {pack_upper("WARNING"), {"WARNING", true}},
    {pack_upper("ERR"), {"ERROR", true}},          {pack_upper("ERROR"), {"ERROR", true}},
    {pack_upper("SEVERE"), {"ERROR", true}},       {pack_upper("CRIT"), {"CRITICAL", true}},
    {pack_upper("CRITICAL"), {"CRITICAL", true}},  {pack_upper("FATAL"), {"CRITICAL", true}},
    {pack_upper("ALERT"), {"CRITICAL", true}},     {pack_upper("EMERG"), {"CRITICAL", true}},
    {pack_upper("EMERGENCY"), {"CRITICAL", true}}, {pack_upper("PANIC"), {"CRITICAL", false}},
};

}  // namespace

std::optional<LevelWord> level_word(std::string_view word) {
  if (word.size() > kMaxLevelWord) return std::nullopt;
  const PackedWord packed = pack_upper(word);
  for (const LevelEntry& e : kLevelWords) {
    if (e.word == packed) return e.meaning;
  }
  return std::nullopt;
}

std::string normalize_level(std::string_view level) {
  level = trim(level);
  if (level.size() == 1 && level[0] >= '0' && level[0] <= '7') {
    static constexpr std::string_view kSyslog[] = {"CRITICAL", "CRITICAL", "CRITICAL", "ERROR",
                                                   "WARNING",  "INFO",     "INFO",     "DEBUG"};
    return std::string(kSyslog[level[0] - '0']);
  }
  if (const auto known = level_word(level)) return std::string(known->level);
  std::string up(level);
  for (char& c : up) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return up;
}

namespace {

// Dotted-quad IPv4 exactly as glibc's inet_pton(AF_INET) reads it: four decimal
// parts, each at most 255 and without a leading zero. The common case of
// is_ip_address without a copy or a library call.
bool is_ipv4(std::string_view text) {
  int octets = 0;
  bool saw_digit = false;
  unsigned part = 0;
  for (const char c : text) {
    if (c == '\0') break;  // inet_pton reads a C string
    if (c >= '0' && c <= '9') {
      if (saw_digit && part == 0) return false;
      part = part * 10 + static_cast<unsigned>(c - '0');
      if (part > 255) return false;
      if (!saw_digit) {
        if (++octets > 4) return false;
        saw_digit = true;
      }
    } else if (c == '.' && saw_digit) {
      if (octets == 4) return false;
      part = 0;
      saw_digit = false;
    } else {
      return false;
    }
  }
  return octets == 4;
}

}  // namespace

bool is_ip_address(std::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  if (is_ipv4(text)) return true;
  char buf[46];
  text.copy(buf, text.size());
  buf[text.size()] = '\0';
  unsigned char addr[16];
  return inet_pton(AF_INET6, buf, addr) == 1;
}

LogTime normalize_log_fields(const LogFieldMap& map, std::span<const FieldValue> values,
                             const TimeContext& ctx, DocumentText& doc) {
  auto value = [&](int field) -> const FieldValue* {
    if (field == LogFieldMap::kAbsent || values[static_cast<size_t>(field)].absent()) {
      return nullptr;
    }
    return &values[static_cast<size_t>(field)];
  };
  auto role = [&](LogRole r) { return value(map.field(r)); };

  LogTime t{ctx.reference, false};
  if (const FieldValue* v = role(LogRole::kTimestamp); v && !is_blank(*v)) {
    std::optional<EpochMillis> parsed = time_of(*v, ctx);
    if (!parsed && map.date_field() != LogFieldMap::kAbsent &&
        map.time_field() != LogFieldMap::kAbsent) {
      const FieldValue* d = value(map.date_field());
      const FieldValue* c = value(map.time_field());
      if (d && c) {
        ScalarBuffer db, cb;
        parsed =
            parse_timestamp(fmt::format("{} {}", scalar_text(*d, db), scalar_text(*c, cb)), ctx);
      }
    }
    if (parsed) {
      t.time = *parsed;
    } else {
      t.defaulted = true;
    }
  }
  ScalarBuffer level_buf, service_buf, message_buf, user_buf, ip_buf;
  std::string level;
  std::string_view service, message, user, ip;
  std::optional<int64_t> duration;
  if (const FieldValue* v = role(LogRole::kLevel))
    level = normalize_level(scalar_text(*v, level_buf));
  if (const FieldValue* v = role(LogRole::kService)) service = scalar_text(*v, service_buf);
  if (const FieldValue* v = role(LogRole::kMessage)) message = scalar_text(*v, message_buf);
  if (const FieldValue* v = role(LogRole::kUser)) user = scalar_text(*v, user_buf);
  if (const FieldValue* v = role(LogRole::kIp)) {
    ip = trim(scalar_text(*v, ip_buf));
    if (!is_ip_address(ip)) ip = {};
  }
  if (const FieldValue* v = role(LogRole::kDuration)) {
    if (auto n = number_of(*v)) duration = std::llround(*n);
  }
  std::string user_event_message;
  ScalarBuffer event_buf, page_buf;
  if (map.user_event_shape()) {
    const FieldValue* event = role(LogRole::kEvent);
    const FieldValue* page = role(LogRole::kPage);
    service = event ? scalar_text(*event, event_buf) : std::string_view();
    level = "INFO";
    user_event_message = fmt::format("{} - User: {} - Page: {}", service, user,
                                     page ? scalar_text(*page, page_buf) : std::string_view());
    message = user_event_message;
  }

  doc.set_timestamp(t.time);
  if (!level.empty()) doc.set_string(CanonicalKey::kLevel, level);
  if (!service.empty()) doc.set_string(CanonicalKey::kService, service);
  if (!message.empty()) doc.set_string(CanonicalKey::kMessage, message);
  if (!user.empty()) doc.set_string(CanonicalKey::kUser, user);
  if (!ip.empty()) doc.set_string(CanonicalKey::kIp, ip);
  if (duration) doc.set_int(CanonicalKey::kDuration, *duration);
  return t;
}

}  // namespace comptoir::ingest
