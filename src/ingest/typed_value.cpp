// Cell classification: one pass over the bytes, then std::from_chars.
#include "ingest/typed_value.h"

#include <charconv>
#include <cmath>

namespace comptoir::ingest {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
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
    if (iequals(s, "true") || iequals(s, "false")) return ValueKind::kBoolean;
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

boost::json::value typed_value(std::string_view text, ValueKind column_kind,
                               const boost::json::storage_ptr& sp) {
  switch (column_kind) {
    case ValueKind::kInteger:
      if (auto v = parse_integer(text)) return boost::json::value(*v, sp);
      break;
    case ValueKind::kDecimal:
      if (auto v = parse_decimal(text)) return boost::json::value(*v, sp);
      break;
    case ValueKind::kBoolean: {
      const std::string_view s = trim(text);
      if (iequals(s, "true")) return boost::json::value(true, sp);
      if (iequals(s, "false")) return boost::json::value(false, sp);
      break;
    }
    case ValueKind::kEmpty:
    case ValueKind::kText:
      break;
  }
  return boost::json::value(boost::json::string_view(text), sp);
}

std::optional<double> parse_decimal(std::string_view text) {
  std::string_view s = trim(text);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() || !(is_digit(s[0]) || s[0] == '-' || s[0] == '.')) return std::nullopt;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> parse_integer(std::string_view text) {
  std::string_view s = trim(text);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> number_of(const boost::json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double())
    return std::isfinite(v.get_double()) ? std::optional(v.get_double()) : std::nullopt;
  if (v.is_string()) return parse_decimal(std::string_view(v.get_string()));
  return std::nullopt;
}

}  // namespace comptoir::ingest
