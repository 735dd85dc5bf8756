// Timestamp scanners and the ISO 8601 millisecond printer.
#include "ingest/timestamp.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace comptoir::ingest {

namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A cursor over text with the small steps every timestamp form is made of.
struct Scanner {
  std::string_view s;
  size_t i = 0;

  bool at_end() const { return i >= s.size(); }
  char peek() const { return i < s.size() ? s[i] : '\0'; }
  bool lit(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  // Exactly n digits.
  bool digits(size_t n, unsigned& out) {
    if (i + n > s.size()) return false;
    unsigned v = 0;
    for (size_t k = 0; k < n; ++k) {
      const char c = s[i + k];
      if (!is_digit(c)) return false;
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    out = v;
    i += n;
    return true;
  }
  // Between lo and hi digits.
  bool digits_range(size_t lo, size_t hi, unsigned& out) {
    size_t n = 0;
    while (n < hi && i + n < s.size() && is_digit(s[i + n])) ++n;
    if (n < lo) return false;
    return digits(n, out);
  }
  void skip_spaces() {
    while (i < s.size() && s[i] == ' ') ++i;
  }
  // A fraction after '.' or ',': any number of digits, kept to milliseconds.
  void fraction(unsigned& millis) {
    if (i + 1 >= s.size() || (s[i] != '.' && s[i] != ',') || !is_digit(s[i + 1])) return;
    ++i;
    unsigned v = 0;
    size_t n = 0;
    while (i < s.size() && is_digit(s[i])) {
      if (n < 3) v = v * 10 + static_cast<unsigned>(s[i] - '0');
      ++n;
      ++i;
    }
    while (n < 3) {
      v *= 10;
      ++n;
    }
    millis = v;
  }
  // Z, +HH, +HHMM, +HH:MM (and the same with '-').
  bool offset(std::optional<int>& out) {
    if (lit('Z') || lit('z')) {
      out = 0;
      return true;
    }
    const char sign = peek();
    if (sign != '+' && sign != '-') return false;
    const size_t save = i;
    ++i;
    unsigned h = 0, m = 0;
    if (!digits(2, h)) {
      i = save;
      return false;
    }
    if (lit(':')) {
      if (!digits(2, m)) {
        i = save;
        return false;
      }
    } else {
      unsigned mm = 0;
      if (digits(2, mm)) m = mm;
    }
    if (h > 18 || m > 59) {
      i = save;
      return false;
    }
    out = static_cast<int>(h * 60 + m) * (sign == '-' ? -1 : 1);
    return true;
  }
  // HH:MM[:SS[.fff]]
  bool clock(CivilTime& t, bool seconds_required) {
    if (!digits_range(1, 2, t.hour) || !lit(':') || !digits(2, t.minute)) return false;
    if (lit(':')) {
      if (!digits(2, t.second)) return false;
      fraction(t.millis);
    } else if (seconds_required) {
      return false;
    }
    return true;
  }
};

bool finish(const Scanner& sc, size_t* consumed) {
  if (consumed != nullptr) {
    *consumed = sc.i;
    return true;
  }
  return sc.at_end();
}

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

// "00" to "99", two characters each: a two-digit field in one copy.
constexpr std::array<char, 200> kDigitPairs = [] {
  std::array<char, 200> t{};
  for (unsigned v = 0; v < 100; ++v) {
    t[2 * v] = static_cast<char>('0' + v / 10);
    t[2 * v + 1] = static_cast<char>('0' + v % 10);
  }
  return t;
}();

void put2(char* p, unsigned v) {
  std::memcpy(p, &kDigitPairs[2 * v], 2);
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm (public domain), exact for the proleptic calendar.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2);
}

bool CivilTime::valid() const {
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month) && hour <= 23 &&
         minute <= 59 && second <= 60 && millis <= 999 && year >= 1 && year <= 9999;
}

EpochMillis CivilTime::to_utc(const TimeZone& zone) const {
  const unsigned sec = second == 60 ? 59 : second;  // a leap second reads as :59
  const EpochMillis local = days_from_civil(year, month, day) * kMillisPerDay +
                            ((hour * 60 + minute) * 60 + sec) * int64_t{1000} + millis;
  if (offset_minutes) return local - int64_t{*offset_minutes} * 60'000;
  return zone.to_utc(local);
}

unsigned month_from_abbrev(std::string_view s) {
  if (s.size() != 3) return 0;
  static constexpr std::string_view kMonths = "janfebmaraprmayjunjulaugsepoctnovdec";
  char lower[3];
  for (int k = 0; k < 3; ++k) lower[k] = static_cast<char>(s[k] | 0x20);
  for (unsigned m = 0; m < 12; ++m) {
    if (kMonths.compare(m * 3, 3, std::string_view(lower, 3)) == 0) return m + 1;
  }
  return 0;
}

std::optional<CivilTime> parse_iso8601(std::string_view text, size_t* consumed) {
  Scanner sc{text};
  CivilTime t;
  unsigned y = 0;
  if (!sc.digits(4, y)) return std::nullopt;
  t.year = y;
  const char sep = sc.peek();
  if (sep != '-' && sep != '/') return std::nullopt;
  ++sc.i;
  if (!sc.digits(2, t.month) || !sc.lit(sep) || !sc.digits(2, t.day)) return std::nullopt;
  // The date alone, or a date-time with 'T' or one space.
  if ((sc.peek() == 'T' || sc.peek() == ' ') && sc.i + 1 < text.size() &&
      is_digit(text[sc.i + 1])) {
    const size_t save = sc.i;
    ++sc.i;
    CivilTime with_clock = t;
    if (sc.clock(with_clock, false)) {
      t = with_clock;
      if (!sc.offset(t.offset_minutes)) {
        // "2025-12-23 10:30:00 +0100" and "... UTC"
        Scanner probe = sc;
        if (probe.lit(' ')) {
          if (probe.s.substr(probe.i, 3) == "UTC" || probe.s.substr(probe.i, 3) == "GMT") {
            probe.i += 3;
            t.offset_minutes = 0;
            sc = probe;
          } else if (probe.offset(t.offset_minutes)) {
            sc = probe;
          }
        }
      }
    } else {
      sc.i = save;
    }
  }
  if (!t.valid() || !finish(sc, consumed)) return std::nullopt;
  return t;
}

std::optional<CivilTime> parse_apache_time(std::string_view text, size_t* consumed) {
  // 23/Dec/2025:10:30:00 +0000
  Scanner sc{text};
  CivilTime t;
  unsigned y = 0;
  if (!sc.digits_range(1, 2, t.day) || !sc.lit('/')) return std::nullopt;
  if (sc.i + 3 > text.size()) return std::nullopt;
  t.month = month_from_abbrev(text.substr(sc.i, 3));
  sc.i += 3;
  if (t.month == 0 || !sc.lit('/') || !sc.digits(4, y) || !sc.lit(':')) return std::nullopt;
  t.year = y;
  if (!sc.clock(t, true)) return std::nullopt;
  Scanner probe = sc;
  if (probe.lit(' ') && probe.offset(t.offset_minutes)) sc = probe;
  if (!t.valid() || !finish(sc, consumed)) return std::nullopt;
  return t;
}

std::optional<CivilTime> parse_ctime(std::string_view text, size_t* consumed) {
  // Tue Dec 23 10:30:00[.123456] 2025
  Scanner sc{text};
  CivilTime t;
  if (text.size() < 4 || text[3] != ' ') return std::nullopt;
  sc.i = 4;
  if (sc.i + 3 > text.size()) return std::nullopt;
  t.month = month_from_abbrev(text.substr(sc.i, 3));
  sc.i += 3;
  if (t.month == 0 || !sc.lit(' ')) return std::nullopt;
  sc.skip_spaces();
  unsigned y = 0;
  if (!sc.digits_range(1, 2, t.day) || !sc.lit(' ') || !sc.clock(t, true) || !sc.lit(' ') ||
      !sc.digits(4, y)) {
    return std::nullopt;
  }
  t.year = y;
  if (!t.valid() || !finish(sc, consumed)) return std::nullopt;
  return t;
}

std::optional<CivilTime> parse_syslog_time(std::string_view text, int64_t year, size_t* consumed) {
  // Dec 23 10:30:00 (day space-padded: "Jul  1")
  Scanner sc{text};
  CivilTime t;
  t.year = year;
  if (text.size() < 4) return std::nullopt;
  t.month = month_from_abbrev(text.substr(0, 3));
  sc.i = 3;
  if (t.month == 0 || !sc.lit(' ')) return std::nullopt;
  sc.skip_spaces();
  if (!sc.digits_range(1, 2, t.day) || !sc.lit(' ') || !sc.clock(t, true)) return std::nullopt;
  if (!(t.month == 2 && t.day == 29) && !t.valid()) return std::nullopt;
  if (!finish(sc, consumed)) return std::nullopt;
  return t;
}

std::optional<CivilTime> parse_us_datetime(std::string_view text, size_t* consumed) {
  // 12/23/2025 10:30[:00]  (the UCI Online Retail form)
  Scanner sc{text};
  CivilTime t;
  unsigned y = 0;
  if (!sc.digits_range(1, 2, t.month) || !sc.lit('/') || !sc.digits_range(1, 2, t.day) ||
      !sc.lit('/') || !sc.digits(4, y)) {
    return std::nullopt;
  }
  t.year = y;
  if (sc.lit(' ') && !sc.clock(t, false)) return std::nullopt;
  if (!t.valid() || !finish(sc, consumed)) return std::nullopt;
  return t;
}

EpochMillis syslog_to_utc(CivilTime t, const TimeContext& ctx) {
  int64_t ref_year = 0;
  unsigned ref_month = 0, ref_day = 0;
  civil_from_days(ctx.reference / kMillisPerDay - (ctx.reference % kMillisPerDay < 0), ref_year,
                  ref_month, ref_day);
  t.year = ref_year;
  if (!t.valid()) t.year = ref_year - 1;  // Feb 29 in a common year
  EpochMillis v = t.to_utc(ctx.zone);
  if (v > ctx.reference + kMillisPerDay) {
    t.year -= 1;
    if (!t.valid()) t.day = 28;
    v = t.to_utc(ctx.zone);
  }
  return v;
}

std::optional<EpochMillis> epoch_number_to_millis(double v) {
  if (!std::isfinite(v) || v < 1e8 || v >= 1e19) return std::nullopt;
  if (v < 1e11) return static_cast<EpochMillis>(std::llround(v * 1000));
  if (v < 1e14) return static_cast<EpochMillis>(std::llround(v));
  if (v < 1e17) return static_cast<EpochMillis>(std::llround(v / 1000));
  return static_cast<EpochMillis>(std::llround(v / 1e6));
}

std::optional<EpochMillis> epoch_text_to_millis(std::string_view text) {
  size_t n = 0;
  while (n < text.size() && is_digit(text[n])) ++n;
  if (n < 9 || n > 19) return std::nullopt;
  if (n != text.size()) {
    // seconds with a fraction: 1766485800.123
    if (text[n] != '.' || n + 1 == text.size()) return std::nullopt;
    for (size_t k = n + 1; k < text.size(); ++k) {
      if (!is_digit(text[k])) return std::nullopt;
    }
  }
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return epoch_number_to_millis(v);
}

std::optional<EpochMillis> parse_timestamp(std::string_view text, const TimeContext& ctx) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.size() < 6) return std::nullopt;
  const char c0 = text[0];
  if (is_digit(c0)) {
    if (text.size() >= 5 && is_digit(text[1]) && is_digit(text[2]) && is_digit(text[3]) &&
        (text[4] == '-' || text[4] == '/')) {
      if (auto t = parse_iso8601(text)) return t->to_utc(ctx.zone);
      return std::nullopt;
    }
    // "23/Dec/..." or "12/23/...": one or two digits and a slash rule out an epoch,
    // and what follows the slash, a month name or a digit, picks the one form left.
    const size_t slash = is_digit(text[1]) ? 2 : 1;
    if (text[slash] == '/') {
      auto t = is_digit(text[slash + 1]) ? parse_us_datetime(text) : parse_apache_time(text);
      if (t) return t->to_utc(ctx.zone);
      return std::nullopt;
    }
    if (auto e = epoch_text_to_millis(text)) return e;
    if (auto t = parse_apache_time(text)) return t->to_utc(ctx.zone);
    if (auto t = parse_us_datetime(text)) return t->to_utc(ctx.zone);
    return std::nullopt;
  }
  if (auto t = parse_ctime(text)) return t->to_utc(ctx.zone);
  if (auto t = parse_syslog_time(text, 2000)) return syslog_to_utc(*t, ctx);
  return std::nullopt;
}

void format_iso8601_millis(EpochMillis t, char* out) {
  int64_t days = t / kMillisPerDay;
  int64_t ms = t % kMillisPerDay;
  if (ms < 0) {
    ms += kMillisPerDay;
    --days;
  }
  // Events come in runs of the same day: the date part of the last one is kept
  // (per thread, as the parsers run one file per thread).
  thread_local int64_t date_days = INT64_MIN;
  thread_local char date[10];
  if (days != date_days) {
    int64_t y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(days, y, m, d);
    if (y < 0) y = 0;
    if (y > 9999) y = 9999;
    const auto yy = static_cast<unsigned>(y);
    put2(date, yy / 100);
    put2(date + 2, yy % 100);
    date[4] = '-';
    put2(date + 5, m);
    date[7] = '-';
    put2(date + 8, d);
    date_days = days;
  }
  std::memcpy(out, date, sizeof(date));
  out[10] = 'T';
  const auto secs = static_cast<unsigned>(ms / 1000);
  put2(out + 11, secs / 3600);
  out[13] = ':';
  put2(out + 14, secs / 60 % 60);
  out[16] = ':';
  put2(out + 17, secs % 60);
  out[19] = '.';
  const auto milli = static_cast<unsigned>(ms % 1000);
  out[20] = static_cast<char>('0' + milli / 100);
  put2(out + 21, milli % 100);
  out[23] = 'Z';
}

std::string iso8601_millis(EpochMillis t) {
  std::string s(kIsoMillisLength, '\0');
  format_iso8601_millis(t, s.data());
  return s;
}

}  // namespace comptoir::ingest
