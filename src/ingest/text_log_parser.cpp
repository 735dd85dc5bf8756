// Line layouts of text logs, each a hand-written scanner returning the pieces of
// one line; then the document builder with continuation lines.
#include "ingest/text_log_parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ingest/byte_scan.h"
#include "ingest/log_fields.h"
#include "ingest/typed_value.h"

namespace comptoir::ingest {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return c == ' ' || c == '\t';
}
// ASCII only, as std::isalnum in the C locale the server runs in.
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string_view skip_spaces(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The text up to the first space (or the whole text).
std::string_view token(std::string_view s) {
  return s.substr(0, s.find(' '));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

bool is_level_word(std::string_view w) {
  const auto known = level_word(w);
  return known && known->text_log_level;
}

// Index of the ']' matching the '[' at s[0] (nested brackets counted), or npos.
size_t matching_bracket(std::string_view s) {
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') ++depth;
    if (s[i] == ']' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// "a.b.c.d:port" → "a.b.c.d"; IPv6 and plain addresses unchanged.
std::string_view strip_port(std::string_view s) {
  const size_t colon = s.rfind(':');
  if (colon != std::string_view::npos && s.find(':') == colon) return s.substr(0, colon);
  return s;
}

// ---- [ts] [LEVEL] [service] message  |  [ctime] [level] message (Apache error log)
bool parse_bracketed(std::string_view line, const TimeContext& ctx, LogLine& out) {
  if (line.size() < 8 || line[0] != '[') return false;
  const size_t close = line.find(']');
  if (close == std::string_view::npos) return false;
  const std::string_view ts = line.substr(1, close - 1);
  bool apache = false;
  if (auto t = parse_ctime(ts)) {
    out.time = t->to_utc(ctx.zone);
    apache = true;
  } else if (auto t2 = parse_iso8601(ts)) {
    out.time = t2->to_utc(ctx.zone);
  } else {
    return false;
  }
  std::string_view rest = skip_spaces(line.substr(close + 1));
  if (rest.empty() || rest[0] != '[') return false;
  const size_t lclose = rest.find(']');
  if (lclose == std::string_view::npos) return false;
  std::string_view level = rest.substr(1, lclose - 1);
  if (const size_t colon = level.find(':'); colon != std::string_view::npos) {
    out.service = level.substr(0, colon);  // Apache 2.4 "[core:error]"
    level = level.substr(colon + 1);
  }
  if (!is_level_word(level)) return false;
  out.level = level;
  rest = skip_spaces(rest.substr(lclose + 1));
  if (apache) {
    out.layout = "apache_error";
    out.message = rest;  // the [pid ...] [client ...] prefixes stay in the message
    for (std::string_view r = rest; !r.empty() && r[0] == '[';) {
      const size_t e = r.find(']');
      if (e == std::string_view::npos) break;
      const std::string_view inner = r.substr(1, e - 1);
      if (inner.substr(0, 7) == "client ") out.ip = strip_port(inner.substr(7));
      if (inner.substr(0, 4) == "pid ")
        out.pid = token(inner.substr(4)).substr(0, inner.substr(4).find(':'));
      r = skip_spaces(r.substr(e + 1));
    }
    return true;
  }
  out.layout = "platform";
  if (!rest.empty() && rest[0] == '[') {
    const size_t sclose = matching_bracket(rest);
    if (sclose != std::string_view::npos) {
      out.service = rest.substr(1, sclose - 1);
      rest = skip_spaces(rest.substr(sclose + 1));
    }
  }
  out.message = rest;
  out.key_values = true;
  return true;
}

// ---- ISO timestamp first: "ts LEVEL [service] msg", "ts [LEVEL] service: msg",
// log4j "ts - LEVEL  [thread:Class@line] - msg", Python "ts - name - LEVEL - msg".
bool parse_iso_led(std::string_view line, const TimeContext& ctx, LogLine& out) {
  if (line.size() < 20 || !is_digit(line[0])) return false;
  size_t n = 0;
  auto t = parse_iso8601(line, &n);
  if (!t || n < 16) return false;
  std::string_view rest = line.substr(n);
  if (rest.empty() || !is_space(rest[0])) return false;
  rest = skip_spaces(rest);
  if (rest.substr(0, 2) == "- ") rest = skip_spaces(rest.substr(2));
  if (!rest.empty() && rest[0] == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos || !is_level_word(rest.substr(1, close - 1))) return false;
    out.level = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
  } else {
    const std::string_view word = token(rest);
    if (is_level_word(word)) {
      out.level = word;
      rest = rest.substr(word.size());
    } else {
      // Python logging: "name - LEVEL - message"
      const size_t dash = rest.find(" - ");
      if (dash == std::string_view::npos) return false;
      std::string_view after = rest.substr(dash + 3);
      const std::string_view lvl = token(after);
      if (!is_level_word(lvl) || after.substr(lvl.size(), 3) != " - ") return false;
      out.service = rest.substr(0, dash);
      out.level = lvl;
      out.message = after.substr(lvl.size() + 3);
      out.layout = "app";
      out.key_values = true;
      out.time = t->to_utc(ctx.zone);
      return true;
    }
  }
  out.time = t->to_utc(ctx.zone);
  rest = skip_spaces(rest);
  out.layout = "app";
  if (!rest.empty() && rest[0] == '[') {
    const size_t close = matching_bracket(rest);
    if (close != std::string_view::npos) {
      const std::string_view inner = rest.substr(1, close - 1);
      rest = skip_spaces(rest.substr(close + 1));
      if (rest.substr(0, 2) == "- ") rest = rest.substr(2);
      const size_t at = inner.rfind('@');
      const size_t colon = at == std::string_view::npos ? at : inner.rfind(':', at);
      if (at != std::string_view::npos && colon != std::string_view::npos &&
          all_digits(inner.substr(at + 1))) {
        out.layout = "log4j";
        out.thread = inner.substr(0, colon);
        out.service = inner.substr(colon + 1, at - colon - 1);
        out.line_number = inner.substr(at + 1);
      } else {
        out.service = inner;
      }
      out.message = rest;
      out.key_values = out.layout == "app";
      return true;
    }
  }
  const std::string_view word = token(rest);
  if (word.size() > 1 && word.back() == ':') {
    out.service = word.substr(0, word.size() - 1);
    rest = skip_spaces(rest.substr(word.size()));
  }
  out.message = rest;
  out.key_values = true;
  return true;
}

// "<PRI>" at the start: facility and severity.
bool read_pri(std::string_view& rest, LogLine& out) {
  if (rest.empty() || rest[0] != '<') return true;
  const size_t close = rest.find('>');
  if (close == std::string_view::npos || close < 2 || close > 4) return false;
  int pri = 0;
  const std::string_view digits = rest.substr(1, close - 1);
  if (std::from_chars(digits.data(), digits.data() + digits.size(), pri).ec != std::errc() ||
      pri > 191) {
    return false;
  }
  static constexpr std::string_view kSeverity[] = {"EMERG",   "ALERT",  "CRIT", "ERROR",
                                                   "WARNING", "NOTICE", "INFO", "DEBUG"};
  out.level = kSeverity[pri % 8];
  out.facility = pri / 8;
  rest.remove_prefix(close + 1);
  return true;
}

// ---- RFC 5424: <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG
bool parse_syslog_5424(std::string_view line, const TimeContext& ctx, LogLine& out) {
  if (line.empty() || line[0] != '<') return false;
  std::string_view rest = line;
  if (!read_pri(rest, out) || rest.substr(0, 2) != "1 ") return false;
  rest.remove_prefix(2);
  std::string_view fields[5];
  for (auto& f : fields) {
    const size_t sp = rest.find(' ');
    if (sp == std::string_view::npos) return false;
    f = rest.substr(0, sp);
    rest.remove_prefix(sp + 1);
  }
  if (fields[0] == "-") {
    out.time = ctx.reference;
  } else if (auto t = parse_iso8601(fields[0])) {
    out.time = t->to_utc(ctx.zone);
  } else {
    return false;
  }
  auto nil = [](std::string_view v) { return v == "-" ? std::string_view() : v; };
  out.host = nil(fields[1]);
  out.service = nil(fields[2]);
  out.pid = nil(fields[3]);
  out.msgid = nil(fields[4]);
  if (rest.substr(0, 1) == "-") {
    rest.remove_prefix(1);
  } else if (!rest.empty() && rest[0] == '[') {
    size_t i = 0;
    while (i < rest.size() && rest[i] == '[') {
      bool closed = false;
      for (++i; i < rest.size(); ++i) {
        if (rest[i] == '\\') {
          ++i;
        } else if (rest[i] == ']') {
          closed = true;
          ++i;
          break;
        }
      }
      if (!closed) return false;
    }
    out.structured_data = rest.substr(0, i);
    rest.remove_prefix(i);
  } else {
    return false;
  }
  rest = skip_spaces(rest);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  out.message = rest;
  out.layout = "syslog_rfc5424";
  return true;
}

// ---- RFC 3164: [<PRI>]Mmm dd HH:MM:SS host tag[pid]: message
bool parse_syslog_3164(std::string_view line, const TimeContext& ctx, LogLine& out) {
  std::string_view rest = line;
  if (!read_pri(rest, out)) return false;
  size_t n = 0;
  if (auto t = parse_syslog_time(rest, 2000, &n)) {
    out.time = syslog_to_utc(*t, ctx);
  } else if (auto t2 = parse_iso8601(rest, &n); t2 && n >= 16) {
    out.time = t2->to_utc(ctx.zone);  // rsyslog's high-precision form
  } else {
    return false;
  }
  rest = rest.substr(n);
  if (rest.empty() || rest[0] != ' ') return false;
  rest = skip_spaces(rest);
  out.host = token(rest);
  if (out.host.empty()) return false;
  rest = skip_spaces(rest.substr(out.host.size()));
  // The tag runs to the first ": " (it may hold spaces: "syslogd 1.4.1: restart.").
  size_t colon = std::string_view::npos;
  for (size_t i = 0; i < rest.size() && i < 64; ++i) {
    if (rest[i] == ':' && (i + 1 == rest.size() || rest[i + 1] == ' ')) {
      colon = i;
      break;
    }
  }
  if (colon != std::string_view::npos && colon > 0) {
    std::string_view tag = rtrim(rest.substr(0, colon));
    if (!tag.empty() && tag.back() == ']') {
      const size_t open = tag.rfind('[');
      if (open != std::string_view::npos) {
        out.pid = tag.substr(open + 1, tag.size() - open - 2);
        tag = rtrim(tag.substr(0, open));
      }
    }
    out.service = tag;
    rest = skip_spaces(rest.substr(colon + 1));
  }
  out.message = rest;
  out.layout = "syslog_rfc3164";
  return true;
}

// A double-quoted string at s[0]; returns its content and advances past it.
bool quoted(std::string_view& s, std::string_view& content) {
  if (s.empty() || s[0] != '"') return false;
  for (size_t i = find_first_of(s.data(), 1, s.size(), '"', '\\', '"'); i < s.size();
       i = find_first_of(s.data(), i + 2, s.size(), '"', '\\', '"')) {
    if (s[i] == '"') {
      content = s.substr(1, i - 1);
      s.remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

// A response time after the combined fields: "0.123" (seconds), "123456"
// (microseconds, Apache %D), or rt=/request_time=/response_time= seconds.
std::optional<double> response_time_ms(std::string_view rest) {
  while (!(rest = skip_spaces(rest)).empty()) {
    std::string_view tok = token(rest);
    rest.remove_prefix(tok.size());
    if (const size_t eq = tok.find('='); eq != std::string_view::npos) {
      const std::string_view key = tok.substr(0, eq);
      if (key != "rt" && key != "request_time" && key != "response_time") continue;
      tok = tok.substr(eq + 1);
      if (!tok.empty() && tok.front() == '"') tok = tok.substr(1, tok.size() - 2);
      if (auto v = parse_decimal(tok)) return *v * 1000;
      continue;
    }
    if (tok.size() >= 2 && tok.front() == '"' && tok.back() == '"')
      tok = tok.substr(1, tok.size() - 2);
    if (auto v = parse_decimal(tok)) {
      return tok.find('.') != std::string_view::npos ? *v * 1000 : *v / 1000;
    }
  }
  return std::nullopt;
}

// ---- Apache/nginx: client ident user [time] "request" status bytes ["ref" "ua"] [rt]
bool parse_access(std::string_view line, const TimeContext& ctx, LogLine& out) {
  std::string_view rest = line;
  std::string_view parts[3];
  for (auto& p : parts) {
    const size_t sp = rest.find(' ');
    if (sp == std::string_view::npos || sp == 0) return false;
    p = rest.substr(0, sp);
    rest.remove_prefix(sp + 1);
  }
  if (rest.empty() || rest[0] != '[') return false;
  const size_t close = rest.find(']');
  if (close == std::string_view::npos) return false;
  auto t = parse_apache_time(rest.substr(1, close - 1));
  if (!t) return false;
  rest.remove_prefix(close + 1);
  if (rest.substr(0, 2) != " \"") return false;
  rest.remove_prefix(1);
  std::string_view request;
  if (!quoted(rest, request) || rest.empty() || rest[0] != ' ') return false;
  rest = skip_spaces(rest);
  const std::string_view status = token(rest);
  if (status.size() != 3 || !all_digits(status)) return false;
  rest = skip_spaces(rest.substr(3));
  const std::string_view bytes = token(rest);
  if (bytes != "-" && !all_digits(bytes)) return false;
  rest = rest.substr(bytes.size());

  out.layout = "access_log";
  out.time = t->to_utc(ctx.zone);
  out.host = parts[0];
  if (is_ip_address(parts[0])) out.ip = parts[0];
  if (parts[2] != "-") out.user = parts[2];
  out.status = (status[0] - '0') * 100 + (status[1] - '0') * 10 + (status[2] - '0');
  out.level = out.status >= 500 ? "ERROR" : out.status >= 400 ? "WARNING" : "INFO";
  if (bytes != "-") std::from_chars(bytes.data(), bytes.data() + bytes.size(), out.bytes);
  // "GET /path HTTP/1.1"; anything else (garbage, "-") is the path as written.
  const size_t sp1 = request.find(' ');
  const size_t sp2 = request.rfind(' ');
  if (sp1 != std::string_view::npos && sp2 > sp1) {
    out.method = request.substr(0, sp1);
    out.path = request.substr(sp1 + 1, sp2 - sp1 - 1);
    out.protocol = request.substr(sp2 + 1);
  } else if (sp1 != std::string_view::npos) {
    out.method = request.substr(0, sp1);
    out.path = request.substr(sp1 + 1);
  } else {
    out.path = request;
  }
  out.message = out.path;
  rest = skip_spaces(rest);
  if (quoted(rest, out.referrer)) {
    rest = skip_spaces(rest);
    quoted(rest, out.user_agent);
  }
  out.duration_ms = response_time_ms(rest);
  return true;
}

// "LEVEL component: message" after a Loghub short timestamp.
bool level_component_message(std::string_view rest, LogLine& out) {
  rest = skip_spaces(rest);
  const std::string_view level = token(rest);
  if (!is_level_word(level)) return false;
  out.level = level;
  rest = skip_spaces(rest.substr(level.size()));
  const size_t colon = rest.find(": ");
  const size_t space = rest.find(' ');
  if (colon != std::string_view::npos && colon < space) {
    out.service = rest.substr(0, colon);
    rest = rest.substr(colon + 2);
  } else if (!rest.empty() && rest.back() == ':' && space == std::string_view::npos) {
    out.service = rest.substr(0, rest.size() - 1);
    rest = {};
  }
  out.message = rest;
  return true;
}

// ---- HDFS: yyMMdd HHmmss pid LEVEL component: message
bool parse_hdfs(std::string_view line, const TimeContext& ctx, LogLine& out) {
  if (line.size() < 20 || line[6] != ' ' || line[13] != ' ') return false;
  const std::string_view d = line.substr(0, 6), c = line.substr(7, 6);
  if (!all_digits(d) || !all_digits(c)) return false;
  auto two = [](std::string_view s, size_t i) {
    return unsigned((s[i] - '0') * 10 + (s[i + 1] - '0'));
  };
  CivilTime t;
  t.year = 2000 + two(d, 0);
  t.month = two(d, 2);
  t.day = two(d, 4);
  t.hour = two(c, 0);
  t.minute = two(c, 2);
  t.second = two(c, 4);
  if (!t.valid()) return false;
  std::string_view rest = line.substr(14);
  const std::string_view pid = token(rest);
  if (!all_digits(pid)) return false;
  if (!level_component_message(rest.substr(pid.size()), out)) return false;
  out.pid = pid;
  out.time = t.to_utc(ctx.zone);
  out.layout = "hdfs";
  return true;
}

// ---- Spark / log4j short: yy/MM/dd HH:mm:ss LEVEL component: message
bool parse_log4j_short(std::string_view line, const TimeContext& ctx, LogLine& out) {
  if (line.size() < 20 || line[2] != '/' || line[5] != '/' || line[8] != ' ' || line[11] != ':' ||
      line[14] != ':') {
    return false;
  }
  unsigned v[6];
  for (int k = 0; k < 6; ++k) {
    const size_t i = static_cast<size_t>(k) * 3;
    if (!is_digit(line[i]) || !is_digit(line[i + 1])) return false;
    v[k] = unsigned((line[i] - '0') * 10 + (line[i + 1] - '0'));
  }
  CivilTime t;
  t.year = 2000 + v[0];
  t.month = v[1];
  t.day = v[2];
  t.hour = v[3];
  t.minute = v[4];
  t.second = v[5];
  if (!t.valid() || !level_component_message(line.substr(17), out)) return false;
  out.time = t.to_utc(ctx.zone);
  out.layout = "log4j_short";
  return true;
}

using LayoutParser = bool (*)(std::string_view, const TimeContext&, LogLine&);
constexpr std::array<LayoutParser, 8> kLayouts = {
    parse_bracketed,   parse_iso_led, parse_access,      parse_syslog_5424,
    parse_syslog_3164, parse_hdfs,    parse_log4j_short, nullptr};
constexpr size_t kLayoutCount = kLayouts.size() - 1;

// Whether an unrecognised line continues the previous event.
bool is_continuation(std::string_view line) {
  if (is_space(line[0])) return true;
  if (line.substr(0, 3) == "at " || line.substr(0, 10) == "Caused by:" ||
      line.substr(0, 4) == "... " || line.substr(0, 11) == "Traceback (") {
    return true;
  }
  // "java.lang.IllegalStateException: ..." / "com.foo.BarError"
  const std::string_view name = line.substr(0, line.find_first_of(": "));
  if (name.find('.') == std::string_view::npos) return false;
  for (char c : name) {
    if (!(is_alnum(c) || c == '.' || c == '_' || c == '$')) return false;
  }
  return name.ends_with("Exception") || name.ends_with("Error") || name.ends_with("Throwable");
}

// key=value (or key="v w") tokens of a message, values kept as text.
template <typename F>
void for_each_key_value(std::string_view msg, F&& f) {
  size_t i = 0;
  while (i < msg.size()) {
    while (i < msg.size() && msg[i] == ' ') ++i;
    const size_t start = i;
    while (i < msg.size() &&
           (is_alnum(msg[i]) || msg[i] == '_' || msg[i] == '.' || msg[i] == '-')) {
      ++i;
    }
    if (i > start && i + 1 < msg.size() && msg[i] == '=' && msg[i + 1] != ' ' &&
        !is_digit(msg[start])) {
      const std::string_view key = msg.substr(start, i - start);
      ++i;
      std::string_view value;
      if (msg[i] == '"') {
        const size_t close = msg.find('"', i + 1);
        if (close == std::string_view::npos) return;
        value = msg.substr(i + 1, close - i - 1);
        i = close + 1;
      } else {
        const size_t end = std::min(msg.find(' ', i), msg.size());
        value = msg.substr(i, end - i);
        while (!value.empty() && (value.back() == ',' || value.back() == ';'))
          value.remove_suffix(1);
        i = end;
      }
      f(key, value);
    }
    while (i < msg.size() && msg[i] != ' ') ++i;
  }
}

bool reserved_key(std::string_view k) {
  static constexpr std::string_view kReserved[] = {
      "@timestamp", "Level", "Service", "Message",     "User",          "IP",        "Duration",
      "host",       "pid",   "thread",  "source_file", "source_format", "log_format"};
  for (std::string_view r : kReserved) {
    if (k == r) return true;
  }
  return false;
}

// The document of one line as it is written: the names so far, for the key=value
// pairs that must not repeat one. Every name is plain (see member_plain): the
// layouts' own, and keys of letters, digits, '_', '.' and '-'.
class LineDocument {
 public:
  LineDocument(DocumentText& doc, std::vector<std::string_view>& names) : doc_(doc), names_(names) {
    names_.clear();
  }

  void add(std::string_view name, const FieldValue& value) {
    names_.push_back(name);
    doc_.member_plain(name, value);
  }
  void add(std::string_view name, std::string_view text) { add(name, FieldValue::of_string(text)); }
  void add(std::string_view name, int64_t number) { add(name, FieldValue::of_int(number)); }

  bool contains(std::string_view name) const {
    return std::find(names_.begin(), names_.end(), name) != names_.end();
  }

 private:
  DocumentText& doc_;
  std::vector<std::string_view>& names_;
};

// All of a recognised line's document but its Message, which continuation lines
// may still extend (written last, by the caller).
void write_document(const LogLine& l, LineDocument doc) {
  char iso[kIsoMillisLength];
  format_iso8601_millis(l.time, iso);
  doc.add("@timestamp", std::string_view(iso, kIsoMillisLength));
  if (!l.level.empty()) doc.add("Level", normalize_level(l.level));
  if (!l.service.empty()) doc.add("Service", l.service);
  if (!l.host.empty()) doc.add("host", l.host);
  if (!l.pid.empty()) doc.add("pid", l.pid);
  if (!l.thread.empty()) doc.add("thread", l.thread);
  if (!l.line_number.empty()) doc.add("code_line", l.line_number);
  if (l.facility) doc.add("facility", int64_t{*l.facility});
  if (!l.msgid.empty()) doc.add("msgid", l.msgid);
  if (!l.structured_data.empty()) doc.add("structured_data", l.structured_data);
  if (!l.ip.empty() && is_ip_address(l.ip)) doc.add("IP", l.ip);
  if (!l.user.empty()) doc.add("User", l.user);
  if (l.status >= 0) {
    if (!l.method.empty()) doc.add("method", l.method);
    doc.add("path", l.path);
    if (!l.protocol.empty()) doc.add("protocol", l.protocol);
    doc.add("status", int64_t{l.status});
    if (l.bytes >= 0) doc.add("bytes", l.bytes);
    if (!l.referrer.empty() && l.referrer != "-") doc.add("referrer", l.referrer);
    if (!l.user_agent.empty() && l.user_agent != "-") doc.add("user_agent", l.user_agent);
  }
  if (l.duration_ms) doc.add("Duration", static_cast<int64_t>(std::llround(*l.duration_ms)));
  if (l.key_values) {
    for_each_key_value(l.message, [&](std::string_view key, std::string_view value) {
      if (reserved_key(key) || doc.contains(key)) return;
      doc.add(key, value);
      // user=..., ip=..., duration_ms=... also give the canonical fields.
      const auto role = log_role_of(key);
      if (role == LogRole::kUser && !doc.contains("User")) doc.add("User", value);
      if (role == LogRole::kIp && !doc.contains("IP") && is_ip_address(value)) doc.add("IP", value);
      if (role == LogRole::kDuration && !doc.contains("Duration")) {
        if (auto d = parse_decimal(value))
          doc.add("Duration", static_cast<int64_t>(std::llround(*d)));
      }
    });
  }
  doc.add("log_format", l.layout);
}

// The event being written (in the emitter's document): continuation lines may
// still extend its Message, a view into the text until one does.
struct PendingEvent {
  bool active = false;
  std::string_view message;
  bool extended = false;  // message is in `lines`
  std::string lines;
  EpochMillis time = 0;

  void start(std::string_view first_line_message, EpochMillis t) {
    active = true;
    message = first_line_message;
    extended = false;
    time = t;
  }
  void extend(std::string_view line) {
    if (!extended) {
      lines.assign(message);
      extended = true;
    }
    lines.push_back('\n');
    lines.append(line);
    message = lines;
  }
};

// The physical lines of a text: LF, CRLF or a lone CR ends one. The next LF and
// the next CR are found with memchr and remembered, so each byte is scanned once.
class LineSplitter {
 public:
  explicit LineSplitter(std::string_view text)
      : p_(text.data()),
        end_(text.data() + text.size()),
        lf_(find(p_, '\n')),
        cr_(find(p_, '\r')) {}

  bool next(std::string_view& line) {
    if (p_ >= end_) return false;
    if (lf_ < p_) lf_ = find(p_, '\n');
    if (cr_ < p_) cr_ = find(p_, '\r');
    const char* e = std::min(lf_, cr_);
    line = std::string_view(p_, static_cast<size_t>(e - p_));
    p_ = (e + 1 < end_ && e[0] == '\r' && e[1] == '\n') ? e + 2 : std::min(e + 1, end_);
    return true;
  }

 private:
  const char* find(const char* from, char c) const {
    const void* at = std::memchr(from, c, static_cast<size_t>(end_ - from));
    return at != nullptr ? static_cast<const char*>(at) : end_;
  }

  const char* p_;
  const char* end_;
  const char* lf_;
  const char* cr_;
};

// Events per layout name in the summary, the counter of the last layout kept at hand.
class PatternCounts {
 public:
  explicit PatternCounts(std::map<std::string, uint64_t, std::less<>>& counts) : counts_(counts) {}
  void count(std::string_view layout) {
    // Layout names are literals: the same pointer is the same name.
    if (layout.data() != last_.data() || layout.size() != last_.size()) {
      last_ = layout;
      auto it = counts_.find(layout);
      if (it == counts_.end()) it = counts_.emplace(std::string(layout), 0).first;
      counter_ = &it->second;
    }
    ++*counter_;
  }

 private:
  std::map<std::string, uint64_t, std::less<>>& counts_;
  std::string_view last_;
  uint64_t* counter_ = nullptr;
};

}  // namespace

bool parse_log_line(std::string_view line, const TimeContext& time, LogLine& out) {
  for (size_t i = 0; i < kLayoutCount; ++i) {
    out = LogLine{};
    if (kLayouts[i](line, time, out)) return true;
  }
  return false;
}

bool looks_like_log_line(std::string_view line) {
  LogLine l;
  return parse_log_line(rtrim(line), TimeContext{}, l);
}

Status parse_text_log(std::string_view text, const TimeContext& time, DocumentEmitter& out) {
  IngestSummary& summary = out.summary();
  const size_t max_line = out.options().max_field_bytes;
  PendingEvent pending;
  PatternCounts patterns(summary.text_patterns);
  std::vector<std::string_view> names;
  size_t last_layout = 0;
  uint64_t line_no = 0;
  LogLine parsed;

  auto flush = [&]() -> Status {
    if (!pending.active) return {};
    pending.active = false;
    LineDocument doc(out.document(), names);
    if (!pending.message.empty()) doc.add("Message", pending.message);
    return out.emit_log(pending.time);
  };

  LineSplitter lines(text);
  std::string_view line;
  while (lines.next(line)) {
    ++line_no;
    line = rtrim(line);
    if (line.empty()) {
      ++summary.blank_lines;
      continue;
    }
    if (line.size() > max_line) {
      COMPTOIR_TRY(flush());
      out.reject(line_no,
                 fmt::format("line is {} bytes, over the limit of {}", line.size(), max_line));
      continue;
    }

    bool matched = false;
    for (size_t k = 0; k < kLayoutCount && !matched; ++k) {
      const size_t idx = k == 0 ? last_layout : (k <= last_layout ? k - 1 : k);
      parsed = LogLine{};
      if (kLayouts[idx](line, time, parsed)) {
        matched = true;
        last_layout = idx;
      }
    }
    if (matched) {
      COMPTOIR_TRY(flush());
      write_document(parsed, LineDocument(out.begin(), names));
      pending.start(rtrim(parsed.message), parsed.time);
      patterns.count(parsed.layout);
      continue;
    }
    if (pending.active && is_continuation(line) &&
        pending.message.size() + line.size() + 1 <= max_line) {
      pending.extend(line);
      continue;
    }
    // Unknown: its own document, whole line as Message, at the ingest time.
    COMPTOIR_TRY(flush());
    LineDocument doc(out.begin(), names);
    char iso[kIsoMillisLength];
    format_iso8601_millis(time.reference, iso);
    doc.add("@timestamp", std::string_view(iso, kIsoMillisLength));
    doc.add("Message", line);
    doc.add("log_format", "unparsed");
    ++summary.unparsed_lines;
    COMPTOIR_TRY(out.emit_log(time.reference));
  }
  return flush();
}

}  // namespace comptoir::ingest
