// The search endpoint: body parsing and the answer's shape; the search is
// core/LogSearch's.
#include "api/search.h"

#include <fmt/format.h>

#include <cmath>

#include "api/cached_answer.h"
#include "api/error_response.h"
#include "api/input.h"
#include "core/log_row.h"

namespace comptoir::api {

namespace json = boost::json;

namespace {

Error bad_field(std::string_view field, std::string problem) {
  return Error::invalid_fields(fmt::format("{} {}", field, problem),
                               {{std::string(field), std::move(problem)}});
}

// A string or null (absent); anything else is an error naming `field`.
Result<std::string> text_field(const json::value& v, std::string_view field) {
  if (v.is_null()) return std::string();
  if (!v.is_string()) return bad_field(field, "must be a string");
  return std::string(v.as_string());
}

// An integer given as a JSON number (integral) or a string of digits.
Result<int64_t> integer_field(const json::value& v, std::string_view field) {
  constexpr double kLimit = 9.0e15;
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return bad_field(field, "is too large");
  if (v.is_double()) {
    const double d = v.as_double();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < kLimit)
      return static_cast<int64_t>(d);
    return bad_field(field, "must be an integer");
  }
  if (v.is_string()) {
    const json::string& s = v.as_string();
    if (s.empty() || s.size() > 15) return bad_field(field, "must be an integer");
    int64_t n = 0;
    size_t i = s[0] == '-' ? 1 : 0;
    if (i == s.size()) return bad_field(field, "must be an integer");
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return bad_field(field, "must be an integer");
      n = n * 10 + (s[i] - '0');
    }
    return s[0] == '-' ? -n : n;
  }
  return bad_field(field, "must be an integer");
}

}  // namespace

Result<LogSearchRequest> parse_search_body(const json::object& body) {
  LogSearchRequest r;
  bool page_given = false;
  for (const auto& [key, value] : body) {
    if (key == "query" || key == "level" || key == "service" || key == "start_date" ||
        key == "end_date") {
      auto text = text_field(value, key);
      COMPTOIR_TRY(text);
      LogFilters& f = r.filters;
      std::string& slot = key == "query"        ? f.query
                          : key == "level"      ? f.level
                          : key == "service"    ? f.service
                          : key == "start_date" ? f.start_date
                                                : f.end_date;
      slot = std::move(*text);
    } else if (key == "page" || key == "size" || key == "from") {
      if (value.is_null()) continue;
      auto n = integer_field(value, key);
      COMPTOIR_TRY(n);
      if (key == "page") {
        r.page = *n;
        page_given = true;
      } else if (key == "size") {
        r.size = *n;
      } else {
        r.from = *n;
      }
    } else if (key == "sort") {
      auto text = text_field(value, key);
      COMPTOIR_TRY(text);
      if (!text->empty()) r.sort = std::move(*text);
    } else if (key == "order") {
      auto text = text_field(value, key);
      COMPTOIR_TRY(text);
      if (*text == "asc" || *text == "ASC") {
        r.order = engine::SortOrder::kAsc;
      } else if (*text == "desc" || *text == "DESC" || text->empty()) {
        r.order = engine::SortOrder::kDesc;
      } else {
        return bad_field("order", "must be asc or desc");
      }
    } else if (key == "syntax") {
      auto text = text_field(value, key);
      COMPTOIR_TRY(text);
      if (*text == "lucene") {
        r.filters.syntax = QuerySyntax::kLucene;
      } else if (*text == "plain" || text->empty()) {
        r.filters.syntax = QuerySyntax::kPlain;
      } else {
        return bad_field("syntax", "must be plain or lucene");
      }
    } else {
      return Error::invalid_fields(
          fmt::format("unknown field '{}' in the search body", std::string_view(key)),
          {{std::string(key),
            "is not a search field (query, level, service, start_date, end_date, page, size, "
            "from, sort, order, syntax)"}});
    }
  }
  if (page_given && r.from) {
    return bad_field("from", "cannot be given with page: use one or the other");
  }
  return r;
}

http::Response post_search(ApiContext& ctx, http::Request& req) {
  auto body = json_object_body(req);
  if (!body.ok()) return error_response(body.error(), req);
  auto request = parse_search_body(*body);
  if (!request.ok()) return error_response(request.error(), req);
  if (auto st = validate(*request); !st.ok()) return error_response(st.error(), req);

  return cached_json_answer(
      ctx, req, "search", normalized_request(*request), [&]() -> Result<json::value> {
        auto page = ctx.logs.search(*request);
        COMPTOIR_TRY(page);
        json::array results;
        results.reserve(page->hits.size());
        for (const auto& hit : page->hits) results.push_back(log_row_json(hit));
        return json::value(json::object{{"total", page->total},
                                        {"page", page_number(*request)},
                                        {"size", request->size},
                                        {"results", std::move(results)},
                                        {"took_ms", std::round(page->took_ms * 100) / 100}});
      });
}

}  // namespace comptoir::api
