// Input parsing shared by the API handlers.
#include "api/input.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace comptoir::api {

namespace json = boost::json;

Result<json::object> json_object_body(const http::Request& req) {
  if (req.body().empty()) return Error::invalid("the request body must be a JSON object");
  boost::system::error_code ec;
  json::value v = json::parse(req.body(), ec);
  if (ec) return Error::invalid("the request body is not valid JSON: " + ec.message());
  if (!v.is_object()) return Error::invalid("the request body must be a JSON object");
  return std::move(v.as_object());
}

Result<uint64_t> uint_param(const http::Request& req, std::string_view name, uint64_t fallback,
                            uint64_t min, uint64_t max) {
  auto raw = req.query_param(name);
  if (!raw) return fallback;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
  if (ec != std::errc() || ptr != raw->data() + raw->size() || v < min || v > max) {
    return Error::invalid_fields(
        fmt::format("parameter {} must be an integer from {} to {}", name, min, max),
        {{std::string(name), fmt::format("must be an integer from {} to {}", min, max)}});
  }
  return v;
}

Result<std::optional<double>> number_param(const http::Request& req, std::string_view name) {
  auto raw = req.query_param(name);
  if (!raw) return std::optional<double>();
  double v = 0;
  auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
  if (raw->empty() || ec != std::errc() || ptr != raw->data() + raw->size() || !std::isfinite(v)) {
    return Error::invalid_fields(fmt::format("parameter {} must be a number", name),
                                 {{std::string(name), "must be a number"}});
  }
  return std::optional<double>(v);
}

Result<std::optional<std::string>> text_param(const http::Request& req, std::string_view name) {
  auto raw = req.query_param(name);
  if (!raw || raw->empty()) return std::optional<std::string>();
  if (raw->size() > 1000 || !is_clean_utf8(*raw)) {
    return Error::invalid_fields(
        fmt::format("parameter {} must be UTF-8 text of at most 1000 bytes", name),
        {{std::string(name), "must be UTF-8 text of at most 1000 bytes"}});
  }
  return std::optional<std::string>(std::move(*raw));
}

bool is_clean_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values beyond Unicode are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace comptoir::api
