// Cell classification in one pass over the bytes; numbers read by their digits
// when short (the usual case), else with std::from_chars.
#include "ingest/typed_value.h"

#include <charconv>
#include <cmath>

namespace comptoir::ingest {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool iequals_lower(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != lower[i]) return false;
  }
  return true;
}

ValueKind classify_value(std::string_view text) {
  if (text.empty()) return ValueKind::kEmpty;
  const std::string_view s = trim(text);
  if (s.empty()) return ValueKind::kText;
  size_t i = 0;
  if (s[0] == '-') i = 1;
  const size_t int_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const size_t int_digits = i - int_start;
  if (int_digits == 0) {
    if (iequals_lower(s, "true") || iequals_lower(s, "false")) return ValueKind::kBoolean;
    return ValueKind::kText;
  }
  if (int_digits > 1 && s[int_start] == '0') return ValueKind::kText;  // "007": an identifier
  if (i == s.size()) return int_digits <= 18 ? ValueKind::kInteger : ValueKind::kText;
  bool decimal = false;
  if (s[i] == '.') {
    ++i;
    const size_t frac_start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == frac_start) return ValueKind::kText;
    decimal = true;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t exp_start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == exp_start) return ValueKind::kText;
    decimal = true;
  }
  if (i != s.size() || !decimal) return ValueKind::kText;
  return ValueKind::kDecimal;
}

ValueKind widen(ValueKind column, ValueKind cell) {
  if (cell == ValueKind::kEmpty || column == cell) return column;
  if (column == ValueKind::kEmpty) return cell;
  if ((column == ValueKind::kInteger && cell == ValueKind::kDecimal) ||
      (column == ValueKind::kDecimal && cell == ValueKind::kInteger)) {
    return ValueKind::kDecimal;
  }
  return ValueKind::kText;
}

namespace {

// "-123.45": at most 15 digits, at least one before the point and one after it
// when there is one. Such a decimal is m / 10^k with m and 10^k exact doubles, so
// one division (correctly rounded) gives the same double as any exact parser
// (Clinger's fast path) — the usual number in a log or sales file, read without
// std::from_chars. `json_form`: whether `s` is also the text append_json_double
// writes for that double, which holds when its integer part has no leading zero,
// its fraction no trailing zero (or is "0" alone, for an integral double) and,
// below 1, the value is at least 10^-4: no other decimal of at most 15 significant
// digits reads as the same double, so the shortest form is these digits, in the
// fixed notation (the exponent is within [-4, 14)).
std::optional<double> parse_short_decimal(std::string_view s, bool& json_form) {
  static constexpr double kPowers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  static constexpr uint64_t kIntPowers[] = {
      1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000};
  const char* p = s.data();
  const char* const end = p + s.size();
  const bool negative = *p == '-';
  p += negative;
  uint64_t m = 0;  // wraps past 19 digits, which are refused below anyway
  const char* const integer = p;
  while (p != end && is_digit(*p)) m = m * 10 + static_cast<uint64_t>(*p++ - '0');
  const size_t integer_digits = static_cast<size_t>(p - integer);
  size_t fraction_digits = 0;
  if (integer_digits > 0 && p != end && *p == '.') {
    const char* const fraction = ++p;
    while (p != end && is_digit(*p)) m = m * 10 + static_cast<uint64_t>(*p++ - '0');
    fraction_digits = static_cast<size_t>(p - fraction);
    if (fraction_digits == 0) return std::nullopt;
  }
  const size_t digits = integer_digits + fraction_digits;
  if (p != end || digits == 0 || digits > 15) return std::nullopt;
  const bool zero_integer = *integer == '0';
  json_form = fraction_digits > 0 && (integer_digits == 1 || !zero_integer) &&
              (end[-1] == '0'
                   ? fraction_digits == 1
                   : !zero_integer || fraction_digits <= 4 || m >= kIntPowers[fraction_digits - 4]);
  const double v = static_cast<double>(m) / kPowers[fraction_digits];
  return negative ? -v : v;
}

}  // namespace

std::optional<double> parse_decimal(std::string_view text) {
  bool json_form = false;
  return parse_decimal(text, json_form);
}

std::optional<double> parse_decimal(std::string_view text, bool& json_form) {
  json_form = false;
  std::string_view s = trim(text);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() || !(is_digit(s[0]) || s[0] == '-' || s[0] == '.')) return std::nullopt;
  if (auto v = parse_short_decimal(s, json_form)) {
    json_form = json_form && s.size() == text.size();
    return v;
  }
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> parse_integer(std::string_view text) {
  std::string_view s = trim(text);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  // Up to 18 digits (no overflow), the usual case, without std::from_chars.
  const size_t sign = !s.empty() && s[0] == '-' ? 1 : 0;
  if (s.size() > sign && s.size() - sign <= 18) {
    uint64_t m = 0;
    size_t i = sign;
    while (i < s.size() && is_digit(s[i])) m = m * 10 + static_cast<uint64_t>(s[i++] - '0');
    if (i == s.size()) return sign ? -static_cast<int64_t>(m) : static_cast<int64_t>(m);
    return std::nullopt;
  }
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace comptoir::ingest
