// Aggregation tree <-> Elasticsearch JSON (aggregation.h).
#include "engine/dsl/aggregation.h"

#include <fmt/format.h>
#include <cmath>

#include "engine/dsl/dsl_error.h"
#include "engine/dsl/query_json.h"

namespace comptoir::engine {

namespace json = boost::json;

std::string java_double_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  double a = std::fabs(v);
  if (a != 0 && (a >= 1e7 || a < 1e-3)) {
    // Java: 1.0E7, 1.5E-4 (shortest digits, mantissa with a decimal point).
    std::string s = fmt::format("{:e}", v);
    // {:e} gives 6 digits; find the shortest mantissa that round-trips.
    for (int prec = 0; prec <= 17; ++prec) {
      s = fmt::format("{:.{}e}", v, prec);
      if (std::strtod(s.c_str(), nullptr) == v) break;
    }
    size_t e = s.find('e');
    std::string mant = s.substr(0, e);
    int exp = std::atoi(s.c_str() + e + 1);
    if (mant.find('.') == std::string::npos) mant += ".0";
    return mant + "E" + std::to_string(exp);
  }
  if (v == std::trunc(v)) return fmt::format("{:.1f}", v);
  return fmt::format("{}", v);
}

std::string_view Aggregation::type_name() const {
  return std::visit(
      [](const auto& b) -> std::string_view {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, TermsAgg>) return "terms";
        if constexpr (std::is_same_v<T, DateHistogramAgg>) return "date_histogram";
        if constexpr (std::is_same_v<T, HistogramAgg>) return "histogram";
        if constexpr (std::is_same_v<T, RangeAgg>) return b.dates ? "date_range" : "range";
        if constexpr (std::is_same_v<T, FiltersAgg>) return "filters";
        if constexpr (std::is_same_v<T, FilterAgg>) return "filter";
        if constexpr (std::is_same_v<T, MissingAgg>) return "missing";
        if constexpr (std::is_same_v<T, CardinalityAgg>) return "cardinality";
        if constexpr (std::is_same_v<T, PercentilesAgg>) return "percentiles";
        if constexpr (std::is_same_v<T, TopHitsAgg>) return "top_hits";
        if constexpr (std::is_same_v<T, MetricAgg>) {
          switch (b.kind) {
            case MetricKind::kSum:
              return "sum";
            case MetricKind::kAvg:
              return "avg";
            case MetricKind::kMin:
              return "min";
            case MetricKind::kMax:
              return "max";
            case MetricKind::kValueCount:
              return "value_count";
            case MetricKind::kStats:
              return "stats";
          }
        }
        return "";
      },
      body);
}

bool Aggregation::is_bucket() const {
  return std::holds_alternative<TermsAgg>(body) || std::holds_alternative<DateHistogramAgg>(body) ||
         std::holds_alternative<HistogramAgg>(body) || std::holds_alternative<RangeAgg>(body) ||
         std::holds_alternative<FiltersAgg>(body) || std::holds_alternative<FilterAgg>(body) ||
         std::holds_alternative<MissingAgg>(body);
}

namespace {

Error unknown_field(std::string_view agg, std::string_view field) {
  return dsl_error("x_content_parse_exception",
                   "[" + std::string(agg) + "] unknown field [" + std::string(field) + "]");
}

Result<int64_t> int_of(const json::value& v, std::string_view agg, std::string_view field) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= INT64_MAX) return static_cast<int64_t>(v.get_uint64());
  if (v.is_double() && v.get_double() == std::trunc(v.get_double()) &&
      std::fabs(v.get_double()) < 9e18)
    return static_cast<int64_t>(v.get_double());
  if (v.is_string()) {
    std::string s(v.get_string());
    char* end = nullptr;
    errno = 0;
    long long n = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && *end == '\0' && errno == 0) return static_cast<int64_t>(n);
  }
  return dsl_error("x_content_parse_exception", "[" + std::string(agg) +
                                                    "] failed to parse field [" +
                                                    std::string(field) + "]: not an integer");
}

Result<double> double_of(const json::value& v, std::string_view agg, std::string_view field) {
  if (v.is_number()) return v.to_number<double>();
  if (v.is_string()) {
    std::string s(v.get_string());
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && *end == '\0' && std::isfinite(d)) return d;
  }
  return dsl_error("x_content_parse_exception", "[" + std::string(agg) +
                                                    "] failed to parse field [" +
                                                    std::string(field) + "]: not a number");
}

Result<bool> bool_of(const json::value& v, std::string_view agg, std::string_view field) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_string() && (v.get_string() == "true" || v.get_string() == "false"))
    return v.get_string() == "true";
  return dsl_error("x_content_parse_exception", "[" + std::string(agg) +
                                                    "] failed to parse field [" +
                                                    std::string(field) + "]: not a boolean");
}

Result<std::string> string_of(const json::value& v, std::string_view agg, std::string_view field) {
  if (v.is_string()) return std::string(v.get_string());
  return dsl_error("x_content_parse_exception", "[" + std::string(agg) +
                                                    "] failed to parse field [" +
                                                    std::string(field) + "]: not a string");
}

Error field_required(std::string_view agg_name) {
  (void)agg_name;
  return dsl_error("illegal_argument_exception",
                   "Required one of fields [field, script], but none were specified. ");
}

// "order": {"_count": "desc"} or [{"_key": "asc"}, ...]
Result<std::vector<BucketOrder>> parse_bucket_order(const json::value& v, std::string_view agg) {
  std::vector<BucketOrder> out;
  auto one = [&](const json::object& o) -> Status {
    for (const auto& kv : o) {
      if (!kv.value().is_string())
        return dsl_error("x_content_parse_exception",
                         "[" + std::string(agg) + "] order must be [asc] or [desc]");
      std::string_view dir = kv.value().get_string();
      if (dir != "asc" && dir != "desc" && dir != "ASC" && dir != "DESC")
        return dsl_error("x_content_parse_exception",
                         "Unknown order direction [" + std::string(dir) + "]");
      std::string key(kv.key());
      if (key == "_term") key = "_key";
      out.push_back(
          BucketOrder{key, (dir == "asc" || dir == "ASC") ? SortOrder::kAsc : SortOrder::kDesc});
    }
    return {};
  };
  if (v.is_object()) {
    COMPTOIR_TRY(one(v.get_object()));
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) {
      if (!item.is_object())
        return dsl_error("x_content_parse_exception",
                         "[" + std::string(agg) + "] order must be an object or an array of them");
      COMPTOIR_TRY(one(item.get_object()));
    }
  } else {
    return dsl_error("x_content_parse_exception",
                     "[" + std::string(agg) + "] order must be an object or an array of them");
  }
  return out;
}

Result<std::vector<std::string>> string_array(const json::value& v, std::string_view what) {
  std::vector<std::string> out;
  if (!v.is_array())
    return dsl_error("x_content_parse_exception", "[" + std::string(what) + "] must be an array");
  for (const auto& item : v.get_array()) {
    if (item.is_string()) {
      out.emplace_back(item.get_string());
    } else if (item.is_number()) {
      out.push_back(scalar_to_string(*scalar_from_json(item)));
    } else {
      return dsl_error("x_content_parse_exception",
                       "[" + std::string(what) + "] must hold strings");
    }
  }
  return out;
}

Result<TermsAgg> parse_terms(const json::object& o) {
  TermsAgg t;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "field") {
      auto s = string_of(v, "terms", k);
      if (!s) return s.error();
      t.field = std::move(*s);
    } else if (k == "size") {
      auto n = int_of(v, "terms", k);
      if (!n) return n.error();
      t.size = *n;
    } else if (k == "shard_size") {
      auto n = int_of(v, "terms", k);
      if (!n) return n.error();
      t.shard_size = *n;
    } else if (k == "min_doc_count") {
      auto n = int_of(v, "terms", k);
      if (!n) return n.error();
      t.min_doc_count = *n;
    } else if (k == "order") {
      auto ord = parse_bucket_order(v, "terms");
      if (!ord) return ord.error();
      t.order = std::move(*ord);
    } else if (k == "missing") {
      auto m = scalar_from_json(v);
      if (!m) return m.error();
      t.missing = std::move(*m);
    } else if (k == "include" || k == "exclude") {
      bool inc = k == "include";
      if (v.is_string()) {
        (inc ? t.include_regex : t.exclude_regex) = std::string(v.get_string());
      } else if (v.is_array()) {
        auto l = string_array(v, k);
        if (!l) return l.error();
        (inc ? t.include_values : t.exclude_values) = std::move(*l);
      } else {
        return dsl_error(
            "x_content_parse_exception",
            "[terms] [" + std::string(k) + "] must be a regular expression or an array of values");
      }
    } else if (k == "format") {
      auto s = string_of(v, "terms", k);
      if (!s) return s.error();
      t.format = std::move(*s);
    } else if (k == "execution_hint" || k == "collect_mode" || k == "show_term_doc_count_error") {
      // accepted, no effect on results
    } else {
      return unknown_field("terms", k);
    }
  }
  if (t.field.empty()) return field_required("terms");
  if (t.size <= 0)
    return dsl_error("illegal_argument_exception", "[size] must be greater than 0. Found [" +
                                                       std::to_string(t.size) + "] in [" + t.field +
                                                       "]");
  if (t.min_doc_count < 0)
    return dsl_error("illegal_argument_exception",
                     "[min_doc_count] must be greater than or equal to 0. Found [" +
                         std::to_string(t.min_doc_count) + "]");
  if ((t.include_regex && !t.include_values.empty()) ||
      (t.exclude_regex && !t.exclude_values.empty()))
    return dsl_error("illegal_argument_exception",
                     "Cannot mix a regex-based include with a set-based exclude");
  return t;
}

std::optional<CalendarUnit> calendar_unit(std::string_view s) {
  if (s == "minute" || s == "1m") return CalendarUnit::kMinute;
  if (s == "hour" || s == "1h") return CalendarUnit::kHour;
  if (s == "day" || s == "1d") return CalendarUnit::kDay;
  if (s == "week" || s == "1w") return CalendarUnit::kWeek;
  if (s == "month" || s == "1M") return CalendarUnit::kMonth;
  if (s == "quarter" || s == "1q") return CalendarUnit::kQuarter;
  if (s == "year" || s == "1y") return CalendarUnit::kYear;
  return std::nullopt;
}

// A time value: "90m", "1d", "500ms", "-1h". Units ms, s, m, h, d.
std::optional<int64_t> time_value_ms(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  size_t i = 0;
  int64_t n = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (n > INT64_MAX / 10 - 10) return std::nullopt;
    n = n * 10 + (s[i] - '0');
    ++i;
  }
  if (i == 0) return std::nullopt;
  std::string_view unit = s.substr(i);
  int64_t mult = 0;
  if (unit == "ms")
    mult = 1;
  else if (unit == "s")
    mult = 1000;
  else if (unit == "m")
    mult = 60'000;
  else if (unit == "h")
    mult = 3'600'000;
  else if (unit == "d")
    mult = 86'400'000;
  else
    return std::nullopt;
  if (n > INT64_MAX / mult) return std::nullopt;
  return (neg ? -1 : 1) * n * mult;
}

Status parse_bounds(const json::value& v, std::string_view name, JsonScalar& min, JsonScalar& max) {
  if (!v.is_object())
    return dsl_error("x_content_parse_exception", "[" + std::string(name) + "] must be an object");
  for (const auto& kv : v.get_object()) {
    auto s = scalar_from_json(kv.value());
    if (!s) return s.error();
    if (kv.key() == "min")
      min = std::move(*s);
    else if (kv.key() == "max")
      max = std::move(*s);
    else
      return unknown_field(name, kv.key());
  }
  return {};
}

Result<DateHistogramAgg> parse_date_histogram(const json::object& o) {
  DateHistogramAgg h;
  bool calendar = false, fixed = false;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "field") {
      auto s = string_of(v, "date_histogram", k);
      if (!s) return s.error();
      h.field = std::move(*s);
    } else if (k == "calendar_interval") {
      auto s = string_of(v, "date_histogram", k);
      if (!s) return s.error();
      auto unit = calendar_unit(*s);
      if (!unit)
        return dsl_error(
            "illegal_argument_exception",
            "The supplied interval [" + *s + "] could not be parsed as a calendar interval.");
      h.calendar_interval = unit;
      h.interval_text = std::move(*s);
      calendar = true;
    } else if (k == "fixed_interval") {
      auto s = string_of(v, "date_histogram", k);
      if (!s) return s.error();
      auto ms = time_value_ms(*s);
      if (!ms || *ms <= 0)
        return dsl_error("illegal_argument_exception",
                         "failed to parse setting [date_histogram.fixedInterval] with value [" +
                             *s + "] as a time value: unit is missing or unrecognized");
      h.fixed_interval_ms = *ms;
      h.interval_text = std::move(*s);
      fixed = true;
    } else if (k == "time_zone") {
      auto s = string_of(v, "date_histogram", k);
      if (!s) return s.error();
      h.time_zone = std::move(*s);
    } else if (k == "offset") {
      if (v.is_number()) {
        auto n = int_of(v, "date_histogram", k);
        if (!n) return n.error();
        h.offset_ms = *n;
        h.offset_text = std::to_string(*n) + "ms";
      } else {
        auto s = string_of(v, "date_histogram", k);
        if (!s) return s.error();
        auto ms = time_value_ms(*s);
        if (!ms)
          return dsl_error("illegal_argument_exception",
                           "failed to parse setting [date_histogram.offset] with value [" + *s +
                               "] as a time value: unit is missing or unrecognized");
        h.offset_ms = *ms;
        h.offset_text = std::move(*s);
      }
    } else if (k == "min_doc_count") {
      auto n = int_of(v, "date_histogram", k);
      if (!n) return n.error();
      if (*n < 0)
        return dsl_error("illegal_argument_exception",
                         "[min_doc_count] must be greater than or equal to 0. Found [" +
                             std::to_string(*n) + "] in [date_histogram]");
      h.min_doc_count = *n;
    } else if (k == "extended_bounds") {
      COMPTOIR_TRY(parse_bounds(v, k, h.extended_min, h.extended_max));
    } else if (k == "hard_bounds") {
      COMPTOIR_TRY(parse_bounds(v, k, h.hard_min, h.hard_max));
    } else if (k == "format") {
      auto s = string_of(v, "date_histogram", k);
      if (!s) return s.error();
      h.format = std::move(*s);
    } else if (k == "missing") {
      auto m = scalar_from_json(v);
      if (!m) return m.error();
      h.missing = std::move(*m);
    } else if (k == "order") {
      auto ord = parse_bucket_order(v, "date_histogram");
      if (!ord) return ord.error();
      h.order = std::move(*ord);
    } else if (k == "keyed") {
      auto b = bool_of(v, "date_histogram", k);
      if (!b) return b.error();
      h.keyed = *b;
    } else {
      // Includes the legacy `interval`, removed in Elasticsearch 8.0.
      return unknown_field("date_histogram", k);
    }
  }
  if (h.field.empty()) return field_required("date_histogram");
  if (calendar && fixed)
    return dsl_error("illegal_argument_exception",
                     "Cannot use [fixed_interval] with [calendar_interval] configuration option.");
  if (!calendar && !fixed)
    return dsl_error("illegal_argument_exception",
                     "Invalid interval specified, must be non-null and non-empty");
  return h;
}

Result<HistogramAgg> parse_histogram(const json::object& o) {
  HistogramAgg h;
  bool has_interval = false;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "field") {
      auto s = string_of(v, "histogram", k);
      if (!s) return s.error();
      h.field = std::move(*s);
    } else if (k == "interval") {
      auto d = double_of(v, "histogram", k);
      if (!d) return d.error();
      h.interval = *d;
      has_interval = true;
    } else if (k == "offset") {
      auto d = double_of(v, "histogram", k);
      if (!d) return d.error();
      h.offset = *d;
    } else if (k == "min_doc_count") {
      auto n = int_of(v, "histogram", k);
      if (!n) return n.error();
      if (*n < 0)
        return dsl_error("illegal_argument_exception",
                         "[min_doc_count] must be greater than or equal to 0. Found [" +
                             std::to_string(*n) + "] in [histogram]");
      h.min_doc_count = *n;
    } else if (k == "extended_bounds") {
      JsonScalar mn, mx;
      COMPTOIR_TRY(parse_bounds(v, k, mn, mx));
      if (!std::holds_alternative<std::monostate>(mn))
        h.extended_min = std::strtod(scalar_to_string(mn).c_str(), nullptr);
      if (!std::holds_alternative<std::monostate>(mx))
        h.extended_max = std::strtod(scalar_to_string(mx).c_str(), nullptr);
    } else if (k == "missing") {
      auto m = scalar_from_json(v);
      if (!m) return m.error();
      h.missing = std::move(*m);
    } else if (k == "order") {
      auto ord = parse_bucket_order(v, "histogram");
      if (!ord) return ord.error();
      h.order = std::move(*ord);
    } else if (k == "keyed") {
      auto b = bool_of(v, "histogram", k);
      if (!b) return b.error();
      h.keyed = *b;
    } else {
      return unknown_field("histogram", k);
    }
  }
  if (h.field.empty()) return field_required("histogram");
  if (!has_interval) return dsl_error("illegal_argument_exception", "Required [interval]");
  if (!(h.interval > 0))
    return dsl_error("illegal_argument_exception",
                     "[interval] must be >0 for histogram aggregation [histogram]");
  return h;
}

Result<RangeAgg> parse_range(const json::object& o, bool dates) {
  RangeAgg r;
  r.dates = dates;
  const char* agg = dates ? "date_range" : "range";
  bool has_ranges = false;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "field") {
      auto s = string_of(v, agg, k);
      if (!s) return s.error();
      r.field = std::move(*s);
    } else if (k == "ranges") {
      if (!v.is_array())
        return dsl_error("x_content_parse_exception",
                         std::string("[") + agg + "] [ranges] must be an array");
      has_ranges = true;
      for (const auto& item : v.get_array()) {
        if (!item.is_object())
          return dsl_error("x_content_parse_exception",
                           std::string("[") + agg + "] each range must be an object");
        RangeBucketSpec spec;
        for (const auto& rk : item.get_object()) {
          if (rk.key() == "key") {
            auto s = string_of(rk.value(), agg, "key");
            if (!s) return s.error();
            spec.key = std::move(*s);
          } else if (rk.key() == "from" || rk.key() == "to") {
            auto s = scalar_from_json(rk.value());
            if (!s) return s.error();
            if (!dates && std::holds_alternative<std::string>(*s)) {
              auto d = double_of(rk.value(), agg, rk.key());
              if (!d) return d.error();
              *s = *d;
            }
            (rk.key() == "from" ? spec.from : spec.to) = std::move(*s);
          } else {
            return unknown_field("range", rk.key());
          }
        }
        r.ranges.push_back(std::move(spec));
      }
    } else if (k == "keyed") {
      auto b = bool_of(v, agg, k);
      if (!b) return b.error();
      r.keyed = *b;
    } else if (k == "format" && dates) {
      auto s = string_of(v, agg, k);
      if (!s) return s.error();
      r.format = std::move(*s);
    } else if (k == "time_zone" && dates) {
      auto s = string_of(v, agg, k);
      if (!s) return s.error();
      r.time_zone = std::move(*s);
    } else if (k == "missing") {
      auto m = scalar_from_json(v);
      if (!m) return m.error();
      r.missing = std::move(*m);
    } else {
      return unknown_field(agg, k);
    }
  }
  if (r.field.empty()) return field_required(agg);
  if (!has_ranges || r.ranges.empty())
    return dsl_error("illegal_argument_exception",
                     std::string("No [ranges] specified for the [") + agg + "] aggregation");
  return r;
}

Result<FiltersAgg> parse_filters(const json::object& o) {
  FiltersAgg f;
  bool has_filters = false;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "filters") {
      has_filters = true;
      if (v.is_object()) {
        f.keyed = true;
        for (const auto& fk : v.get_object()) {
          auto q = parse_query(fk.value());
          if (!q) return q.error();
          f.filters.emplace_back(std::string(fk.key()), std::move(*q));
        }
      } else if (v.is_array()) {
        f.keyed = false;
        size_t i = 0;
        for (const auto& item : v.get_array()) {
          auto q = parse_query(item);
          if (!q) return q.error();
          f.filters.emplace_back(std::to_string(i++), std::move(*q));
        }
      } else {
        return dsl_error("x_content_parse_exception",
                         "[filters] must be an object or an array of queries");
      }
    } else if (k == "other_bucket") {
      auto b = bool_of(v, "filters", k);
      if (!b) return b.error();
      f.other_bucket = *b;
    } else if (k == "other_bucket_key") {
      auto s = string_of(v, "filters", k);
      if (!s) return s.error();
      f.other_bucket_key = std::move(*s);
      f.other_bucket = true;
    } else {
      return unknown_field("filters", k);
    }
  }
  if (!has_filters) return dsl_error("illegal_argument_exception", "[filters] cannot be null");
  return f;
}

Result<MetricAgg> parse_metric(const json::object& o, MetricKind kind, std::string_view type) {
  MetricAgg m;
  m.kind = kind;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    if (k == "field") {
      auto s = string_of(kv.value(), type, k);
      if (!s) return s.error();
      m.field = std::move(*s);
    } else if (k == "missing") {
      auto s = scalar_from_json(kv.value());
      if (!s) return s.error();
      m.missing = std::move(*s);
    } else if (k == "format") {
      auto s = string_of(kv.value(), type, k);
      if (!s) return s.error();
      m.format = std::move(*s);
    } else {
      return unknown_field(type, k);
    }
  }
  if (m.field.empty()) return field_required(type);
  return m;
}

Result<CardinalityAgg> parse_cardinality(const json::object& o) {
  CardinalityAgg c;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    if (k == "field") {
      auto s = string_of(kv.value(), "cardinality", k);
      if (!s) return s.error();
      c.field = std::move(*s);
    } else if (k == "precision_threshold") {
      auto n = int_of(kv.value(), "cardinality", k);
      if (!n) return n.error();
      if (*n < 0)
        return dsl_error("illegal_argument_exception",
                         "[precisionThreshold] must be greater than or equal to 0. Found [" +
                             std::to_string(*n) + "] in [cardinality]");
      c.precision_threshold = *n;
      c.threshold_specified = true;
    } else if (k == "missing") {
      auto s = scalar_from_json(kv.value());
      if (!s) return s.error();
      c.missing = std::move(*s);
    } else if (k == "execution_hint") {
      // accepted, no effect
    } else {
      return unknown_field("cardinality", k);
    }
  }
  if (c.field.empty()) return field_required("cardinality");
  return c;
}

Result<PercentilesAgg> parse_percentiles(const json::object& o) {
  PercentilesAgg p;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "field") {
      auto s = string_of(v, "percentiles", k);
      if (!s) return s.error();
      p.field = std::move(*s);
    } else if (k == "percents") {
      if (!v.is_array() || v.get_array().empty())
        return dsl_error("illegal_argument_exception",
                         "[percents] must not be empty: [percentiles]");
      p.percents.clear();
      for (const auto& item : v.get_array()) {
        auto d = double_of(item, "percentiles", k);
        if (!d) return d.error();
        if (*d < 0 || *d > 100)
          return dsl_error(
              "illegal_argument_exception",
              "percent must be in [0,100], got [" + java_double_text(*d) + "]: [" + "percentiles]");
        p.percents.push_back(*d);
      }
      p.percents_specified = true;
    } else if (k == "keyed") {
      auto b = bool_of(v, "percentiles", k);
      if (!b) return b.error();
      p.keyed = *b;
    } else if (k == "tdigest") {
      if (!v.is_object()) return unknown_field("percentiles", k);
      for (const auto& tk : v.get_object()) {
        if (tk.key() == "compression") {
          auto d = double_of(tk.value(), "percentiles", "compression");
          if (!d) return d.error();
          if (*d <= 0)
            return dsl_error(
                "illegal_argument_exception",
                "[compression] must be greater than 0. Found [" + java_double_text(*d) + "]");
          p.compression = *d;
        } else if (tk.key() != "execution_hint") {
          return unknown_field("tdigest", tk.key());
        }
      }
    } else if (k == "missing") {
      auto s = scalar_from_json(v);
      if (!s) return s.error();
      p.missing = std::move(*s);
    } else {
      return unknown_field("percentiles", k);
    }
  }
  if (p.field.empty()) return field_required("percentiles");
  return p;
}

Result<TopHitsAgg> parse_top_hits(const json::object& o) {
  TopHitsAgg t;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "from") {
      auto n = int_of(v, "top_hits", k);
      if (!n) return n.error();
      t.from = *n;
    } else if (k == "size") {
      auto n = int_of(v, "top_hits", k);
      if (!n) return n.error();
      t.size = *n;
    } else if (k == "sort") {
      COMPTOIR_TRY(parse_sort(v, t.sort));
    } else if (k == "_source") {
      COMPTOIR_TRY(parse_source_filter(v, t.source));
      t.source_specified = true;
    } else if (k == "track_scores" || k == "version" || k == "seq_no_primary_term" ||
               k == "explain") {
      // accepted, no effect
    } else {
      return unknown_field("top_hits", k);
    }
  }
  if (t.from < 0 || t.size < 0)
    return dsl_error("illegal_argument_exception", "[from] and [size] must be non-negative");
  if (t.from + t.size > 100)
    return dsl_error("illegal_argument_exception",
                     "Top hits result window is too large, the top hits aggregator [top_hits]'s "
                     "from + size must be less than or equal to: [100] but was [" +
                         std::to_string(t.from + t.size) +
                         "]. This limit can be set by changing the [index.max_inner_result_window] "
                         "index level setting.");
  return t;
}

Result<AggBody> parse_body(std::string_view type, const json::value& v) {
  if (!v.is_object())
    return dsl_error("x_content_parse_exception",
                     "[" + std::string(type) + "] aggregation body must be an object");
  const json::object& o = v.get_object();
  auto wrap = [](auto r) -> Result<AggBody> {
    if (!r) return r.error();
    return AggBody(std::move(*r));
  };
  if (type == "terms") return wrap(parse_terms(o));
  if (type == "date_histogram") return wrap(parse_date_histogram(o));
  if (type == "histogram") return wrap(parse_histogram(o));
  if (type == "range") return wrap(parse_range(o, false));
  if (type == "date_range") return wrap(parse_range(o, true));
  if (type == "filters") return wrap(parse_filters(o));
  if (type == "filter") {
    auto q = parse_query(v);
    if (!q) return q.error();
    return AggBody(FilterAgg{std::move(*q)});
  }
  if (type == "missing") {
    MissingAgg m;
    for (const auto& kv : o) {
      if (kv.key() != "field") return unknown_field("missing", kv.key());
      auto s = string_of(kv.value(), "missing", "field");
      if (!s) return s.error();
      m.field = std::move(*s);
    }
    if (m.field.empty()) return field_required("missing");
    return AggBody(std::move(m));
  }
  if (type == "sum") return wrap(parse_metric(o, MetricKind::kSum, type));
  if (type == "avg") return wrap(parse_metric(o, MetricKind::kAvg, type));
  if (type == "min") return wrap(parse_metric(o, MetricKind::kMin, type));
  if (type == "max") return wrap(parse_metric(o, MetricKind::kMax, type));
  if (type == "value_count") return wrap(parse_metric(o, MetricKind::kValueCount, type));
  if (type == "stats") return wrap(parse_metric(o, MetricKind::kStats, type));
  if (type == "cardinality") return wrap(parse_cardinality(o));
  if (type == "percentiles") return wrap(parse_percentiles(o));
  if (type == "top_hits") return wrap(parse_top_hits(o));
  return dsl_error("parsing_exception", "Unknown aggregation type [" + std::string(type) + "]");
}

bool valid_name(std::string_view name) {
  return !name.empty() && name.find_first_of("[]>") == std::string_view::npos;
}

}  // namespace

Result<std::vector<Aggregation>> parse_aggregations(const json::value& json) {
  if (!json.is_object())
    return dsl_error("parsing_exception", "Aggregation definition must be an object");
  std::vector<Aggregation> out;
  for (const auto& kv : json.get_object()) {
    std::string name(kv.key());
    if (!valid_name(name))
      return dsl_error("parsing_exception", "Invalid aggregation name [" + name +
                                                "]. Aggregation names can contain any character "
                                                "except '[', ']', and '>'");
    if (!kv.value().is_object())
      return dsl_error("parsing_exception", "Expected [START_OBJECT] under [" + name +
                                                "], but got a [VALUE] in [" + name + "]");
    Aggregation agg;
    agg.name = std::move(name);
    bool has_body = false, has_subs = false;
    std::string body_type;
    for (const auto& part : kv.value().get_object()) {
      std::string_view k = part.key();
      if (k == "aggs" || k == "aggregations") {
        if (has_subs)
          return dsl_error("parsing_exception",
                           "Found two sub aggregation definitions under [" + agg.name + "]");
        auto subs = parse_aggregations(part.value());
        if (!subs) return subs.error();
        agg.subs = std::move(*subs);
        has_subs = true;
      } else if (k == "meta") {
        if (!part.value().is_object())
          return dsl_error("parsing_exception", "[meta] must be an object");
        agg.meta = part.value().get_object();
      } else {
        if (has_body)
          return dsl_error("parsing_exception", "Found two aggregation type definitions in [" +
                                                    agg.name + "]: [" + body_type + "] and [" +
                                                    std::string(k) + "]");
        auto body = parse_body(k, part.value());
        if (!body) return body.error();
        agg.body = std::move(*body);
        body_type = std::string(k);
        has_body = true;
      }
    }
    if (!has_body)
      return dsl_error("parsing_exception",
                       "Missing definition for aggregation [" + agg.name + "]");
    if (!agg.subs.empty() && !agg.is_bucket())
      return dsl_error("aggregation_initialization_exception",
                       "Aggregator [" + agg.name + "] of type [" + std::string(agg.type_name()) +
                           "] cannot accept sub-aggregations");
    out.push_back(std::move(agg));
  }
  return out;
}

// ---- writing ----------------------------------------------------------------------

namespace {

json::value order_json(const std::vector<BucketOrder>& order) {
  json::array a;
  for (const auto& o : order)
    a.push_back(json::object{{o.key, o.order == SortOrder::kAsc ? "asc" : "desc"}});
  return a;
}

void put_scalar(json::object& o, std::string_view key, const JsonScalar& v) {
  if (!std::holds_alternative<std::monostate>(v)) o[key] = scalar_to_json(v);
}

json::object body_json(const AggBody& body) {
  json::object o;
  std::visit(
      [&](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, TermsAgg>) {
          o["field"] = b.field;
          if (b.size != 10) o["size"] = b.size;
          if (b.shard_size) o["shard_size"] = *b.shard_size;
          if (b.min_doc_count != 1) o["min_doc_count"] = b.min_doc_count;
          if (!b.order.empty()) o["order"] = order_json(b.order);
          put_scalar(o, "missing", b.missing);
          if (b.include_regex) o["include"] = *b.include_regex;
          if (b.exclude_regex) o["exclude"] = *b.exclude_regex;
          if (!b.include_values.empty()) o["include"] = json::value_from(b.include_values);
          if (!b.exclude_values.empty()) o["exclude"] = json::value_from(b.exclude_values);
          if (b.format) o["format"] = *b.format;
        } else if constexpr (std::is_same_v<T, DateHistogramAgg>) {
          o["field"] = b.field;
          o[b.calendar_interval ? "calendar_interval" : "fixed_interval"] = b.interval_text;
          if (!b.time_zone.empty()) o["time_zone"] = b.time_zone;
          if (!b.offset_text.empty()) o["offset"] = b.offset_text;
          if (b.min_doc_count != 0) o["min_doc_count"] = b.min_doc_count;
          if (!std::holds_alternative<std::monostate>(b.extended_min) ||
              !std::holds_alternative<std::monostate>(b.extended_max)) {
            json::object e;
            put_scalar(e, "min", b.extended_min);
            put_scalar(e, "max", b.extended_max);
            o["extended_bounds"] = std::move(e);
          }
          if (!std::holds_alternative<std::monostate>(b.hard_min) ||
              !std::holds_alternative<std::monostate>(b.hard_max)) {
            json::object e;
            put_scalar(e, "min", b.hard_min);
            put_scalar(e, "max", b.hard_max);
            o["hard_bounds"] = std::move(e);
          }
          if (b.format) o["format"] = *b.format;
          put_scalar(o, "missing", b.missing);
          if (!b.order.empty()) o["order"] = order_json(b.order);
          if (b.keyed) o["keyed"] = true;
        } else if constexpr (std::is_same_v<T, HistogramAgg>) {
          o["field"] = b.field;
          o["interval"] = b.interval;
          if (b.offset != 0) o["offset"] = b.offset;
          if (b.min_doc_count != 0) o["min_doc_count"] = b.min_doc_count;
          if (b.extended_min || b.extended_max) {
            json::object e;
            if (b.extended_min) e["min"] = *b.extended_min;
            if (b.extended_max) e["max"] = *b.extended_max;
            o["extended_bounds"] = std::move(e);
          }
          put_scalar(o, "missing", b.missing);
          if (!b.order.empty()) o["order"] = order_json(b.order);
          if (b.keyed) o["keyed"] = true;
        } else if constexpr (std::is_same_v<T, RangeAgg>) {
          o["field"] = b.field;
          json::array ranges;
          for (const auto& r : b.ranges) {
            json::object ro;
            if (r.key) ro["key"] = *r.key;
            put_scalar(ro, "from", r.from);
            put_scalar(ro, "to", r.to);
            ranges.push_back(std::move(ro));
          }
          o["ranges"] = std::move(ranges);
          if (b.keyed) o["keyed"] = true;
          if (b.format) o["format"] = *b.format;
          if (!b.time_zone.empty()) o["time_zone"] = b.time_zone;
          put_scalar(o, "missing", b.missing);
        } else if constexpr (std::is_same_v<T, FiltersAgg>) {
          if (b.keyed) {
            json::object f;
            for (const auto& [name, q] : b.filters) f[name] = to_es_json(q);
            o["filters"] = std::move(f);
          } else {
            json::array f;
            for (const auto& entry : b.filters) f.push_back(to_es_json(entry.second));
            o["filters"] = std::move(f);
          }
          if (b.other_bucket) o["other_bucket"] = true;
          if (!b.other_bucket_key.empty()) o["other_bucket_key"] = b.other_bucket_key;
        } else if constexpr (std::is_same_v<T, FilterAgg>) {
          o = to_es_json(b.filter).as_object();
        } else if constexpr (std::is_same_v<T, MissingAgg>) {
          o["field"] = b.field;
        } else if constexpr (std::is_same_v<T, MetricAgg>) {
          o["field"] = b.field;
          put_scalar(o, "missing", b.missing);
          if (b.format) o["format"] = *b.format;
        } else if constexpr (std::is_same_v<T, CardinalityAgg>) {
          o["field"] = b.field;
          if (b.threshold_specified) o["precision_threshold"] = b.precision_threshold;
          put_scalar(o, "missing", b.missing);
        } else if constexpr (std::is_same_v<T, PercentilesAgg>) {
          o["field"] = b.field;
          if (b.percents_specified) o["percents"] = json::value_from(b.percents);
          if (!b.keyed) o["keyed"] = false;
          if (b.compression != 100) o["tdigest"] = json::object{{"compression", b.compression}};
          put_scalar(o, "missing", b.missing);
        } else if constexpr (std::is_same_v<T, TopHitsAgg>) {
          if (b.from != 0) o["from"] = b.from;
          if (b.size != 3) o["size"] = b.size;
          if (!b.sort.empty()) o["sort"] = sort_to_json(b.sort);
          if (b.source_specified) o["_source"] = source_filter_to_json(b.source);
        }
      },
      body);
  return o;
}

}  // namespace

json::object to_es_json(const std::vector<Aggregation>& aggs) {
  json::object out;
  for (const auto& a : aggs) {
    json::object entry;
    entry[a.type_name()] = body_json(a.body);
    if (!a.subs.empty()) entry["aggs"] = to_es_json(a.subs);
    if (a.meta) entry["meta"] = *a.meta;
    out[a.name] = std::move(entry);
  }
  return out;
}

}  // namespace comptoir::engine
