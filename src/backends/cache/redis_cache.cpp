// RedisCache: GET + PTTL in one MULTI/EXEC (value and TTL of the same instant), SET
// with EX, DEL, and statistics from DBSIZE and INFO (see redis_cache.h).
#include "backends/cache/redis_cache.h"

#include <hiredis/hiredis.h>

#include <sys/time.h>
#include <charconv>

namespace comptoir {
namespace {

constexpr timeval kConnectTimeout{2, 0};
constexpr timeval kCommandTimeout{2, 0};
constexpr size_t kMaxIdleConnections = 8;

std::string_view reply_text(const redisReply* reply) {
  return {reply->str ? reply->str : "", reply->str ? static_cast<size_t>(reply->len) : 0};
}

Status check_reply(const redisReply* reply, std::string_view command) {
  if (reply->type == REDIS_REPLY_ERROR) {
    return Error::internal("redis " + std::string(command) + ": " + std::string(reply_text(reply)));
  }
  return {};
}

Result<int64_t> integer_reply(const redisReply* reply, std::string_view command) {
  COMPTOIR_TRY(check_reply(reply, command));
  if (reply->type != REDIS_REPLY_INTEGER) {
    return Error::internal("redis " + std::string(command) + ": unexpected reply type");
  }
  return static_cast<int64_t>(reply->integer);
}

// The unsigned value of `field:` in an INFO reply, 0 when absent.
uint64_t info_field(std::string_view info, std::string_view field) {
  size_t at = 0;
  while ((at = info.find(field, at)) != std::string_view::npos) {
    bool line_start = at == 0 || info[at - 1] == '\n';
    size_t colon = at + field.size();
    if (line_start && colon < info.size() && info[colon] == ':') {
      uint64_t value = 0;
      std::from_chars(info.data() + colon + 1, info.data() + info.size(), value);
      return value;
    }
    at = colon;
  }
  return 0;
}

}  // namespace

void RedisCache::ContextFree::operator()(redisContext* context) const {
  redisFree(context);
}
void RedisCache::ReplyFree::operator()(redisReply* reply) const {
  freeReplyObject(reply);
}

Result<RedisCache::ContextHandle> RedisCache::connect() const {
  const std::string where = "redis at " + host_ + ":" + std::to_string(port_);
  ContextHandle context(redisConnectWithTimeout(host_.c_str(), port_, kConnectTimeout));
  if (!context) return Error::unavailable(where + ": cannot allocate a connection");
  if (context->err) return Error::unavailable(where + ": " + context->errstr);
  if (redisSetTimeout(context.get(), kCommandTimeout) != REDIS_OK) {
    return Error::unavailable(where + ": cannot set the command timeout");
  }
  auto handshake = [&](const Command& command) -> Status {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (std::string_view arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    ReplyHandle reply(static_cast<redisReply*>(redisCommandArgv(
        context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
    if (!reply) return Error::unavailable(where + ": " + context->errstr);
    if (reply->type == REDIS_REPLY_ERROR) {
      return Error::unavailable(where + ": " + std::string(command[0]) +
                                " refused: " + std::string(reply_text(reply.get())));
    }
    return {};
  };
  if (!password_.empty()) COMPTOIR_TRY(handshake({"AUTH", password_}));
  if (db_ != 0) {
    const std::string db = std::to_string(db_);
    COMPTOIR_TRY(handshake({"SELECT", db}));
  }
  return context;
}

RedisCache::ContextHandle RedisCache::take_idle() {
  std::lock_guard lock(mutex_);
  if (idle_.empty()) return nullptr;
  ContextHandle context = std::move(idle_.back());
  idle_.pop_back();
  return context;
}

void RedisCache::give_back(ContextHandle context) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(context));
}

Result<std::vector<RedisCache::ReplyHandle>> RedisCache::run(const std::vector<Command>& commands) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (int attempt = 0; attempt < 2; ++attempt) {
    ContextHandle context = attempt == 0 ? take_idle() : nullptr;
    const bool pooled = context != nullptr;
    if (!context) {
      auto fresh = connect();
      if (!fresh) return fresh.error();
      context = std::move(*fresh);
    }
    bool io_ok = true;
    for (const Command& command : commands) {
      argv.clear();
      lengths.clear();
      for (std::string_view arg : command) {
        argv.push_back(arg.data());
        lengths.push_back(arg.size());
      }
      if (redisAppendCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(),
                                 lengths.data()) != REDIS_OK) {
        io_ok = false;
        break;
      }
    }
    std::vector<ReplyHandle> replies;
    while (io_ok && replies.size() < commands.size()) {
      void* reply = nullptr;
      if (redisGetReply(context.get(), &reply) != REDIS_OK || !reply) {
        io_ok = false;
        break;
      }
      replies.emplace_back(static_cast<redisReply*>(reply));
    }
    if (io_ok) {
      give_back(std::move(context));
      return replies;
    }
    const std::string reason = context->errstr;
    if (!pooled) {
      return Error::unavailable("redis at " + host_ + ":" + std::to_string(port_) + ": " + reason);
    }
    // A broken pooled connection usually means the others are broken too (the server
    // restarted): drop them all and retry once on a new connection.
    std::lock_guard lock(mutex_);
    idle_.clear();
  }
  return Error::internal("unreachable");
}

Status RedisCache::ping() {
  auto replies = run({{"PING"}});
  if (!replies) return replies.error();
  return check_reply((*replies)[0].get(), "PING");
}

Result<std::optional<CacheEntry>> RedisCache::get(std::string_view key) {
  auto replies = run({{"MULTI"}, {"GET", key}, {"PTTL", key}, {"EXEC"}});
  if (!replies) return replies.error();
  const redisReply* exec = (*replies)[3].get();
  COMPTOIR_TRY(check_reply(exec, "GET"));
  if (exec->type != REDIS_REPLY_ARRAY || exec->elements != 2) {
    return Error::internal("redis EXEC: unexpected reply");
  }
  const redisReply* value = exec->element[0];
  COMPTOIR_TRY(check_reply(value, "GET"));
  if (value->type == REDIS_REPLY_NIL) return std::optional<CacheEntry>();
  auto pttl = integer_reply(exec->element[1], "PTTL");
  if (!pttl) return pttl.error();
  // PTTL is -1 without expiry; a live key shows at least 1 s, as MemoryCache does.
  int64_t ttl = *pttl < 0 ? -1 : std::max<int64_t>(1, (*pttl + 999) / 1000);
  return std::optional<CacheEntry>(CacheEntry{std::string(reply_text(value)), ttl});
}

Status RedisCache::set(std::string_view key, std::string_view value,
                       std::optional<std::chrono::seconds> ttl) {
  if (ttl && ttl->count() < 1) return Error::invalid("ttl must be at least one second");
  const std::string seconds = ttl ? std::to_string(ttl->count()) : std::string();
  auto replies = ttl ? run({{"SET", key, value, "EX", seconds}}) : run({{"SET", key, value}});
  if (!replies) return replies.error();
  return check_reply((*replies)[0].get(), "SET");
}

Result<bool> RedisCache::remove(std::string_view key) {
  auto replies = run({{"DEL", key}});
  if (!replies) return replies.error();
  auto removed = integer_reply((*replies)[0].get(), "DEL");
  if (!removed) return removed.error();
  return *removed > 0;
}

Result<CacheStats> RedisCache::stats() {
  auto replies = run({{"DBSIZE"}, {"INFO"}});
  if (!replies) return replies.error();
  auto keys = integer_reply((*replies)[0].get(), "DBSIZE");
  if (!keys) return keys.error();
  const redisReply* info = (*replies)[1].get();
  COMPTOIR_TRY(check_reply(info, "INFO"));
  std::string_view text = reply_text(info);
  return CacheStats{static_cast<uint64_t>(*keys),          info_field(text, "used_memory"),
                    info_field(text, "connected_clients"), info_field(text, "keyspace_hits"),
                    info_field(text, "keyspace_misses"),   info_field(text, "evicted_keys")};
}

}  // namespace comptoir
