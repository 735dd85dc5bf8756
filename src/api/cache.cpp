// Cache endpoints: validation of keys, values and TTLs, and the answers' shapes.
#include "api/cache.h"

#include <fmt/format.h>

#include "api/error_response.h"
#include "api/input.h"
#include "backends/cache/cache.h"
#include "util/json_text.h"

namespace comptoir::api {

namespace json = boost::json;

namespace {

constexpr size_t kMaxKeyBytes = 512;
constexpr size_t kMaxValueBytes = 1 << 20;
constexpr int64_t kMaxTtlSeconds = 2'592'000;  // 30 days

Status check_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeyBytes || !is_clean_utf8(key)) {
    return Error::invalid_fields(
        fmt::format("key must be 1 to {} bytes of UTF-8 text without control characters",
                    kMaxKeyBytes),
        {{"key", fmt::format("must be 1 to {} bytes of UTF-8 text", kMaxKeyBytes)}});
  }
  return {};
}

json::value decode_value(const std::string& stored) {
  boost::system::error_code ec;
  json::value v = json::parse(stored, ec);
  if (ec) return json::string(stored);
  return v;
}

}  // namespace

http::Response get_cache_entry(ApiContext& ctx, http::Request& req) {
  const std::string_view key = req.param("key");
  if (auto st = check_key(key); !st.ok()) return error_response(st.error(), req);
  auto entry = ctx.services.cache().get(key);
  if (!entry.ok()) return error_response(entry.error(), req);
  if (!entry->has_value()) {
    return error_response(Error::not_found(fmt::format("no cache entry for key '{}'", key)), req);
  }
  return http::json_response(200, json::object{{"key", key},
                                               {"value", decode_value((*entry)->value)},
                                               {"ttl", (*entry)->ttl_seconds}});
}

http::Response post_cache_entry(ApiContext& ctx, http::Request& req) {
  auto body = json_object_body(req);
  if (!body.ok()) return error_response(body.error(), req);
  std::vector<FieldError> errors;

  std::string key;
  const json::value* k = body->if_contains("key");
  if (k == nullptr || !k->is_string()) {
    errors.push_back({"key", "is required and must be a string"});
  } else {
    key = std::string(k->as_string());
    if (auto st = check_key(key); !st.ok()) {
      errors.push_back(st.error().fields.front());
    } else if (key == "stats") {
      errors.push_back({"key", "'stats' is reserved (GET /api/cache/stats)"});
    }
  }

  std::string value;
  const json::value* v = body->if_contains("value");
  if (v == nullptr) {
    errors.push_back({"value", "is required"});
  } else {
    value = to_json_text(*v);
    if (value.size() > kMaxValueBytes) {
      errors.push_back({"value", fmt::format("must be at most {} bytes of JSON", kMaxValueBytes)});
    }
  }

  std::optional<std::chrono::seconds> ttl;
  const json::value* t = body->if_contains("ttl");
  if (t != nullptr && !t->is_null()) {
    const bool integer = t->is_int64() || t->is_uint64();
    const int64_t n = t->is_int64() ? t->as_int64() : 0;
    if (!integer || n < 1 || n > kMaxTtlSeconds) {
      errors.push_back(
          {"ttl", fmt::format("must be an integer from 1 to {} seconds", kMaxTtlSeconds)});
    } else {
      ttl = std::chrono::seconds(n);
    }
  }

  if (!errors.empty()) {
    std::string message = "invalid cache entry:";
    for (const auto& e : errors) message += fmt::format(" {} {};", e.field, e.problem);
    message.pop_back();
    return error_response(Error::invalid_fields(std::move(message), std::move(errors)), req);
  }
  if (auto st = ctx.services.cache().set(key, value, ttl); !st.ok()) {
    return error_response(st.error(), req);
  }
  return http::json_response(201, json::object{{"message", "Cache entry created"},
                                               {"key", key},
                                               {"value", *v},
                                               {"ttl", ttl ? ttl->count() : -1}});
}

http::Response delete_cache_entry(ApiContext& ctx, http::Request& req) {
  const std::string_view key = req.param("key");
  if (auto st = check_key(key); !st.ok()) return error_response(st.error(), req);
  auto removed = ctx.services.cache().remove(key);
  if (!removed.ok()) return error_response(removed.error(), req);
  if (!*removed) {
    return error_response(Error::not_found(fmt::format("no cache entry for key '{}'", key)), req);
  }
  return http::json_response(200, json::object{{"message", "Cache entry deleted"}, {"key", key}});
}

http::Response get_cache_stats(ApiContext& ctx, http::Request& req) {
  auto stats = ctx.services.cache().stats();
  if (!stats.ok()) return error_response(stats.error(), req);
  return http::json_response(
      200, json::object{{"dbsize", stats->keys},
                        {"used_memory", format_human_bytes(stats->used_memory_bytes)},
                        {"used_memory_bytes", stats->used_memory_bytes},
                        {"connected_clients", stats->connected_clients},
                        {"hits", stats->hits},
                        {"misses", stats->misses},
                        {"evictions", stats->evictions},
                        {"backend", ctx.services.cache().backend_name()}});
}

}  // namespace comptoir::api
