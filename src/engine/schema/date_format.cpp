// Date parsing, formatting and date math (see date_format.h).
#include "engine/schema/date_format.h"

#include <unicode/timezone.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace comptoir::engine {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

namespace {

constexpr int64_t kMsPerSecond = 1000, kMsPerMinute = 60000, kMsPerHour = 3600000,
                  kMsPerDay = 86400000;

enum class Unit { kYear, kMonth, kWeek, kDay, kHour, kMinute, kSecond, kMilli };

struct DateFields {
  int64_t year = 1970;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0, milli = 0;
  Unit precision = Unit::kYear;
  std::optional<int64_t> offset_ms;  // explicit zone in the text
};

Error bad_date(std::string_view text, std::string_view format) {
  return Error::invalid("failed to parse date field [" + std::string(text) + "] with format [" +
                        std::string(format) + "]");
}

bool read_digits(std::string_view s, size_t& i, size_t min, size_t max, int64_t& out) {
  size_t start = i;
  int64_t v = 0;
  while (i < s.size() && i - start < max && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
  if (i - start < min) return false;
  out = v;
  return true;
}

bool read_offset(std::string_view s, size_t& i, int64_t& offset_ms) {
  if (i < s.size() && s[i] == 'Z') {
    ++i;
    offset_ms = 0;
    return true;
  }
  if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return false;
  int sign = s[i] == '-' ? -1 : 1;
  ++i;
  int64_t h = 0, m = 0;
  if (!read_digits(s, i, 2, 2, h)) return false;
  if (i < s.size() && s[i] == ':') ++i;
  if (i < s.size()) {
    if (!read_digits(s, i, 2, 2, m)) return false;
  }
  offset_ms = sign * (h * kMsPerHour + m * kMsPerMinute);
  return true;
}

bool valid_fields(const DateFields& f) {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.hour > 23 || f.minute > 59 || f.second > 59)
    return false;
  static const unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (f.day > kDays[f.month - 1]) return false;
  if (f.month == 2 && f.day == 29) {
    bool leap = (f.year % 4 == 0 && f.year % 100 != 0) || f.year % 400 == 0;
    if (!leap) return false;
  }
  return true;
}

// yyyy[-MM[-dd]]['T'HH[:mm[:ss[.S+]]]][Z|±HH[:]mm]
bool parse_iso(std::string_view s, DateFields& f, bool require_day) {
  size_t i = 0;
  int64_t v;
  if (!read_digits(s, i, 4, 4, v)) return false;
  f.year = v;
  f.precision = Unit::kYear;
  if (i < s.size() && s[i] == '-') {
    ++i;
    if (!read_digits(s, i, 2, 2, v)) return false;
    f.month = unsigned(v);
    f.precision = Unit::kMonth;
    if (i < s.size() && s[i] == '-') {
      ++i;
      if (!read_digits(s, i, 2, 2, v)) return false;
      f.day = unsigned(v);
      f.precision = Unit::kDay;
    }
  }
  if (require_day && f.precision != Unit::kDay) return false;
  if (i < s.size() && s[i] == 'T') {
    if (f.precision != Unit::kDay) return false;
    ++i;
    if (!read_digits(s, i, 2, 2, v)) return false;
    f.hour = unsigned(v);
    f.precision = Unit::kHour;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_digits(s, i, 2, 2, v)) return false;
      f.minute = unsigned(v);
      f.precision = Unit::kMinute;
      if (i < s.size() && s[i] == ':') {
        ++i;
        if (!read_digits(s, i, 2, 2, v)) return false;
        f.second = unsigned(v);
        f.precision = Unit::kSecond;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
          ++i;
          size_t start = i;
          if (!read_digits(s, i, 1, 9, v)) return false;
          size_t n = i - start;
          while (n < 3) {
            v *= 10;
            ++n;
          }
          while (n > 3) {
            v /= 10;
            --n;
          }
          f.milli = unsigned(v);
          f.precision = Unit::kMilli;
        }
      }
    }
    if (i < s.size()) {
      int64_t off;
      if (!read_offset(s, i, off)) return false;
      f.offset_ms = off;
    }
  }
  return i == s.size() && valid_fields(f);
}

// Java-time style patterns: y M d H m s S Z X x, 'quoted', other characters literal.
bool parse_pattern(std::string_view s, std::string_view pattern, DateFields& f) {
  size_t i = 0, p = 0;
  bool any = false;
  while (p < pattern.size()) {
    char c = pattern[p];
    if (c == '\'') {
      size_t end = pattern.find('\'', p + 1);
      if (end == std::string_view::npos) return false;
      std::string_view lit = pattern.substr(p + 1, end - p - 1);
      if (s.substr(i, lit.size()) != lit) return false;
      i += lit.size();
      p = end + 1;
      continue;
    }
    size_t run = 1;
    while (p + run < pattern.size() && pattern[p + run] == c) ++run;
    int64_t v = 0;
    auto field = [&](size_t min, size_t max) { return read_digits(s, i, min, max, v); };
    switch (c) {
      case 'y':
      case 'u':
        if (!field(run == 2 ? 2 : 4, run == 2 ? 2 : 9)) return false;
        f.year = run == 2 ? 2000 + v : v;
        any = true;
        break;
      case 'M':
        if (!field(run, 2)) return false;
        f.month = unsigned(v);
        f.precision = std::max(f.precision, Unit::kMonth);
        break;
      case 'd':
        if (!field(run, 2)) return false;
        f.day = unsigned(v);
        f.precision = std::max(f.precision, Unit::kDay);
        break;
      case 'H':
        if (!field(run, 2)) return false;
        f.hour = unsigned(v);
        f.precision = std::max(f.precision, Unit::kHour);
        break;
      case 'm':
        if (!field(run, 2)) return false;
        f.minute = unsigned(v);
        f.precision = std::max(f.precision, Unit::kMinute);
        break;
      case 's':
        if (!field(run, 2)) return false;
        f.second = unsigned(v);
        f.precision = std::max(f.precision, Unit::kSecond);
        break;
      case 'S': {
        size_t start = i;
        if (!field(1, 9)) return false;
        size_t n = i - start;
        while (n < 3) {
          v *= 10;
          ++n;
        }
        while (n > 3) {
          v /= 10;
          --n;
        }
        f.milli = unsigned(v);
        f.precision = Unit::kMilli;
        break;
      }
      case 'Z':
      case 'X':
      case 'x': {
        int64_t off;
        if (!read_offset(s, i, off)) return false;
        f.offset_ms = off;
        break;
      }
      default:
        for (size_t k = 0; k < run; ++k) {
          if (i >= s.size() || s[i] != c) return false;
          ++i;
        }
        break;
    }
    p += run;
  }
  return any && i == s.size() && valid_fields(f);
}

int64_t local_millis(const DateFields& f) {
  return days_from_civil(f.year, f.month, f.day) * kMsPerDay + f.hour * kMsPerHour +
         f.minute * kMsPerMinute + f.second * kMsPerSecond + f.milli;
}

// Local wall-clock ms -> start of the next unit (for round-up) in local ms.
int64_t add_units(int64_t local_ms, Unit unit, int64_t n);
int64_t floor_unit(int64_t local_ms, Unit unit);

Result<int64_t> to_utc(int64_t local_ms, std::optional<int64_t> explicit_offset,
                       std::string_view tz) {
  if (explicit_offset) return local_ms - *explicit_offset;
  if (tz.empty()) return local_ms;
  auto off = zone_offset_ms(tz, local_ms, true);
  if (!off) return off.error();
  return local_ms - *off;
}

Result<int64_t> parse_one(std::string_view text, std::string_view fmt, std::string_view tz,
                          bool round_up) {
  if (fmt == "epoch_millis" || fmt == "epoch_second") {
    if (text.empty()) return bad_date(text, fmt);
    double v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) return bad_date(text, fmt);
    return static_cast<int64_t>(fmt == "epoch_second" ? v * 1000 : v);
  }
  DateFields f;
  bool ok;
  if (fmt == "strict_date_optional_time" || fmt == "date_optional_time" ||
      fmt == "strict_date_optional_time_nanos" || fmt == "strict_date_time" || fmt == "date_time" ||
      fmt == "strict_date" || fmt == "date" || fmt == "iso8601") {
    ok = parse_iso(text, f, false);
  } else if (fmt == "strict_date_hour_minute_second" || fmt == "date_hour_minute_second") {
    ok = parse_pattern(text, "yyyy-MM-dd'T'HH:mm:ss", f);
  } else if (fmt == "basic_date") {
    ok = parse_pattern(text, "yyyyMMdd", f);
  } else if (fmt == "year_month_day" || fmt == "strict_year_month_day") {
    ok = parse_pattern(text, "yyyy-MM-dd", f);
  } else {
    ok = parse_pattern(text, fmt, f);
  }
  if (!ok) return bad_date(text, fmt);
  int64_t local = local_millis(f);
  if (round_up && f.precision != Unit::kMilli)
    local = add_units(floor_unit(local, f.precision), f.precision, 1) - 1;
  return to_utc(local, f.offset_ms, tz);
}

int64_t floor_unit(int64_t ms, Unit unit) {
  int64_t days = floor_div(ms, kMsPerDay);
  int64_t y;
  unsigned m, d;
  switch (unit) {
    case Unit::kYear:
      civil_from_days(days, y, m, d);
      return days_from_civil(y, 1, 1) * kMsPerDay;
    case Unit::kMonth:
      civil_from_days(days, y, m, d);
      return days_from_civil(y, m, 1) * kMsPerDay;
    case Unit::kWeek: {
      int64_t weekday = floor_div(days + 3, 7) * 7 - 3;  // 1970-01-01 was a Thursday; Monday start
      return weekday * kMsPerDay;
    }
    case Unit::kDay:
      return days * kMsPerDay;
    case Unit::kHour:
      return floor_div(ms, kMsPerHour) * kMsPerHour;
    case Unit::kMinute:
      return floor_div(ms, kMsPerMinute) * kMsPerMinute;
    case Unit::kSecond:
      return floor_div(ms, kMsPerSecond) * kMsPerSecond;
    case Unit::kMilli:
      return ms;
  }
  return ms;
}

int64_t add_units(int64_t ms, Unit unit, int64_t n) {
  switch (unit) {
    case Unit::kYear:
    case Unit::kMonth: {
      int64_t days = floor_div(ms, kMsPerDay);
      int64_t rem = ms - days * kMsPerDay;
      int64_t y;
      unsigned m, d;
      civil_from_days(days, y, m, d);
      int64_t months = y * 12 + (m - 1) + (unit == Unit::kYear ? n * 12 : n);
      y = floor_div(months, 12);
      m = unsigned(months - y * 12 + 1);
      static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      unsigned max_day =
          kDays[m - 1] + ((m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) ? 1 : 0);
      if (d > max_day) d = max_day;
      return days_from_civil(y, m, d) * kMsPerDay + rem;
    }
    case Unit::kWeek:
      return ms + n * 7 * kMsPerDay;
    case Unit::kDay:
      return ms + n * kMsPerDay;
    case Unit::kHour:
      return ms + n * kMsPerHour;
    case Unit::kMinute:
      return ms + n * kMsPerMinute;
    case Unit::kSecond:
      return ms + n * kMsPerSecond;
    case Unit::kMilli:
      return ms + n;
  }
  return ms;
}

std::optional<Unit> unit_of(char c) {
  switch (c) {
    case 'y':
      return Unit::kYear;
    case 'M':
      return Unit::kMonth;
    case 'w':
      return Unit::kWeek;
    case 'd':
      return Unit::kDay;
    case 'h':
    case 'H':
      return Unit::kHour;
    case 'm':
      return Unit::kMinute;
    case 's':
      return Unit::kSecond;
    default:
      return std::nullopt;
  }
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

Result<int64_t> zone_offset_ms(std::string_view tz, int64_t at_ms, bool local) {
  if (tz.empty() || tz == "Z" || tz == "UTC" || tz == "GMT" || tz == "Etc/UTC") return int64_t{0};
  if (tz[0] == '+' || tz[0] == '-') {
    size_t i = 0;
    int64_t off;
    if (read_offset(tz, i, off) && i == tz.size()) return off;
    return Error::invalid("invalid time zone [" + std::string(tz) + "]");
  }
  static std::mutex mu;
  static std::unordered_map<std::string, std::unique_ptr<icu::TimeZone>> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(std::string(tz));
  if (it == cache.end()) {
    std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
        icu::StringPiece(tz.data(), static_cast<int32_t>(tz.size())))));
    icu::UnicodeString id;
    zone->getID(id);
    if (id == icu::UnicodeString("Etc/Unknown"))
      return Error::invalid("unknown time zone [" + std::string(tz) + "]");
    it = cache.emplace(std::string(tz), std::move(zone)).first;
  }
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  it->second->getOffset(static_cast<UDate>(at_ms), local, raw, dst, status);
  if (U_FAILURE(status)) return Error::invalid("time zone error for [" + std::string(tz) + "]");
  return static_cast<int64_t>(raw) + dst;
}

Result<int64_t> parse_date(std::string_view text, std::string_view format, std::string_view tz,
                           bool round_up) {
  if (format.empty()) format = kDefaultDateFormat;
  std::optional<Error> first_error;
  size_t start = 0;
  for (;;) {
    size_t bar = format.find("||", start);
    std::string_view one = format.substr(start, bar == std::string_view::npos ? bar : bar - start);
    auto r = parse_one(text, one, tz, round_up);
    if (r) return r;
    if (!first_error) first_error = r.error();
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }
  return Error::invalid("failed to parse date field [" + std::string(text) + "] with format [" +
                        std::string(format) + "]");
}

Result<int64_t> parse_date_math(std::string_view expr, int64_t now_ms, std::string_view format,
                                std::string_view tz, bool round_up) {
  int64_t anchor;
  std::string_view math;
  if (expr.substr(0, 3) == "now") {
    anchor = now_ms;
    math = expr.substr(3);
  } else {
    size_t bars = expr.find("||");
    if (bars == std::string_view::npos) return parse_date(expr, format, tz, round_up);
    math = expr.substr(bars + 2);
    auto a = parse_date(expr.substr(0, bars), format, tz, round_up && math.empty());
    if (!a) return a.error();
    anchor = *a;
  }
  if (math.empty()) return anchor;
  // Date math works on wall-clock time in the zone (never affecting "now" itself).
  auto off = zone_offset_ms(tz, anchor, false);
  if (!off) return off.error();
  int64_t local = anchor + *off;
  size_t i = 0;
  auto bad = [&] {
    return Error::invalid("failed to parse date math [" + std::string(expr) + "]");
  };
  while (i < math.size()) {
    char op = math[i++];
    if (op == '/') {
      if (i >= math.size()) return bad();
      auto unit = unit_of(math[i++]);
      if (!unit) return bad();
      local = floor_unit(local, *unit);
      if (round_up) local = add_units(local, *unit, 1) - 1;
    } else if (op == '+' || op == '-') {
      int64_t n = 1;
      if (i < math.size() && math[i] >= '0' && math[i] <= '9') {
        if (!read_digits(math, i, 1, 18, n)) return bad();
      }
      if (i >= math.size()) return bad();
      auto unit = unit_of(math[i++]);
      if (!unit) return bad();
      local = add_units(local, *unit, op == '+' ? n : -n);
    } else {
      return bad();
    }
  }
  return to_utc(local, std::nullopt, tz);
}

bool looks_like_date(std::string_view text) {
  if (text.size() < 10 || text.size() > 40) return false;
  if (text[4] == '-') {
    DateFields f;
    return parse_iso(text, f, true);
  }
  if (text[4] == '/') {
    DateFields f;
    return parse_pattern(text, "yyyy/MM/dd HH:mm:ss Z", f) ||
           parse_pattern(text, "yyyy/MM/dd HH:mm:ss", f) ||
           parse_pattern(text, "yyyy/MM/dd Z", f) || parse_pattern(text, "yyyy/MM/dd", f);
  }
  return false;
}

std::string format_date_iso(int64_t ms) {
  std::string out;
  append_date_iso(ms, out);
  return out;
}

void append_date_iso(int64_t ms, std::string& out) {
  const int64_t days = floor_div(ms, kMsPerDay);
  const int64_t rem = ms - days * kMsPerDay;
  // The date part of the last day formatted on this thread: documents in a batch mostly
  // share their day.
  thread_local int64_t cached_days = INT64_MIN;
  thread_local char cached_date[11];
  if (days != cached_days) {
    int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    if (y < 0 || y > 9999) {  // outside four digits: the general form
      char buf[48];
      int n = std::snprintf(
          buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
          static_cast<long long>(y), m, d, static_cast<long long>(rem / kMsPerHour),
          static_cast<long long>(rem / kMsPerMinute % 60),
          static_cast<long long>(rem / kMsPerSecond % 60), static_cast<long long>(rem % 1000));
      out.append(buf, static_cast<size_t>(n));
      return;
    }
    std::snprintf(cached_date, sizeof cached_date, "%04lld-%02u-%02u", static_cast<long long>(y), m,
                  d);
    cached_days = days;
  }
  char buf[24];
  std::memcpy(buf, cached_date, 10);
  auto put = [&buf](size_t at, int64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i, v /= 10)
      buf[at + static_cast<size_t>(i)] = char('0' + v % 10);
  };
  buf[10] = 'T';
  put(11, rem / kMsPerHour, 2);
  buf[13] = ':';
  put(14, rem / kMsPerMinute % 60, 2);
  buf[16] = ':';
  put(17, rem / kMsPerSecond % 60, 2);
  buf[19] = '.';
  put(20, rem % 1000, 3);
  buf[23] = 'Z';
  out.append(buf, sizeof buf);
}

namespace {

std::string offset_text(int64_t offset_ms, bool colon) {
  if (offset_ms == 0) return "Z";
  char sign = offset_ms < 0 ? '-' : '+';
  int64_t a = offset_ms < 0 ? -offset_ms : offset_ms;
  char buf[16];
  std::snprintf(buf, sizeof buf, colon ? "%c%02lld:%02lld" : "%c%02lld%02lld", sign,
                static_cast<long long>(a / kMsPerHour),
                static_cast<long long>(a / kMsPerMinute % 60));
  return buf;
}

void append_padded(std::string& out, int64_t v, size_t width) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (v < 0) out += '-';
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

}  // namespace

std::string format_date(int64_t ms, std::string_view format, std::string_view tz) {
  size_t bars = format.find("||");
  if (bars != std::string_view::npos) format = format.substr(0, bars);
  if (format == "epoch_millis") return std::to_string(ms);
  if (format == "epoch_second") return std::to_string(floor_div(ms, kMsPerSecond));
  int64_t offset = 0;
  if (!tz.empty()) {
    auto off = zone_offset_ms(tz, ms, false);
    if (off) offset = *off;
  }
  std::string_view pattern = format;
  if (format.empty() || format == "strict_date_optional_time" || format == "date_optional_time" ||
      format == "strict_date_time" || format == "date_time" ||
      format == "strict_date_optional_time_nanos")
    pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
  else if (format == "date" || format == "strict_date")
    pattern = "yyyy-MM-dd";
  else if (format == "date_hour_minute_second" || format == "strict_date_hour_minute_second")
    pattern = "yyyy-MM-dd'T'HH:mm:ss";
  else if (format == "basic_date")
    pattern = "yyyyMMdd";
  const int64_t local = ms + offset;
  const int64_t days = floor_div(local, kMsPerDay);
  const int64_t rem = local - days * kMsPerDay;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  static const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string out;
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (c == '\'') {
      size_t end = pattern.find('\'', i + 1);
      if (end == std::string_view::npos) end = pattern.size();
      if (end == i + 1) {
        out += '\'';
      } else {
        out.append(pattern.substr(i + 1, end - i - 1));
      }
      i = end + 1;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      out += c;
      ++i;
      continue;
    }
    size_t n = 1;
    while (i + n < pattern.size() && pattern[i + n] == c) ++n;
    switch (c) {
      case 'y':
      case 'u':
      case 'Y':
        if (n == 2) {
          append_padded(out, ((y % 100) + 100) % 100, 2);
        } else {
          append_padded(out, y, std::max<size_t>(n, 4));
        }
        break;
      case 'M':
      case 'L':
        if (n >= 3) {
          out += kMonths[m - 1];
        } else {
          append_padded(out, m, n);
        }
        break;
      case 'd':
        append_padded(out, d, n);
        break;
      case 'H':
        append_padded(out, rem / kMsPerHour, n);
        break;
      case 'h': {
        int64_t h = rem / kMsPerHour % 12;
        append_padded(out, h == 0 ? 12 : h, n);
        break;
      }
      case 'a':
        out += rem / kMsPerHour < 12 ? "AM" : "PM";
        break;
      case 'm':
        append_padded(out, rem / kMsPerMinute % 60, n);
        break;
      case 's':
        append_padded(out, rem / kMsPerSecond % 60, n);
        break;
      case 'S': {
        std::string frac;
        append_padded(frac, rem % 1000, 3);
        frac.resize(n, '0');
        out += frac;
        break;
      }
      case 'E':
        out += kDays[((days % 7) + 7) % 7];
        break;
      case 'X':
      case 'x': {
        if (offset == 0 && c == 'X') {
          out += 'Z';
          break;
        }
        std::string t = offset == 0 ? std::string("+00:00") : offset_text(offset, true);
        if (n == 1) t.resize(3);    // +01
        if (n == 2) t.erase(3, 1);  // +0100
        out += t;
        break;
      }
      case 'Z':
        out += offset == 0 ? (n >= 4 ? "Z" : "+0000") : offset_text(offset, n >= 5);
        break;
      default:
        out.append(n, c);
        break;
    }
    i += n;
  }
  return out;
}

}  // namespace comptoir::engine
