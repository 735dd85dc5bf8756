// RedisCache: the Cache on a Redis server, through hiredis.
// A small pool of blocking connections (2 s connect and command timeouts, AUTH and
// SELECT on connect): a call takes an idle connection or opens one, pipelines its
// commands and gives the connection back. A broken pooled connection (server restarted,
// idle timeout) drops the idle ones and the call is retried once on a new connection;
// if that fails too the answer is Unavailable.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backends/cache/cache.h"

struct redisContext;
struct redisReply;

namespace comptoir {

class RedisCache final : public Cache {
 public:
  // Connects lazily: a server that is down makes calls fail, not the constructor.
  RedisCache(std::string host, int port, std::string password, int db)
      : host_(std::move(host)), port_(port), password_(std::move(password)), db_(db) {}

  std::string_view backend_name() const override { return "redis"; }
  Status ping() override;
  Result<std::optional<CacheEntry>> get(std::string_view key) override;
  Status set(std::string_view key, std::string_view value,
             std::optional<std::chrono::seconds> ttl) override;
  Result<bool> remove(std::string_view key) override;
  Result<CacheStats> stats() override;

 private:
  struct ContextFree {
    void operator()(redisContext* context) const;
  };
  struct ReplyFree {
    void operator()(redisReply* reply) const;
  };
  using ContextHandle = std::unique_ptr<redisContext, ContextFree>;
  using ReplyHandle = std::unique_ptr<redisReply, ReplyFree>;
  using Command = std::vector<std::string_view>;

  Result<ContextHandle> connect() const;
  ContextHandle take_idle();
  void give_back(ContextHandle context);
  // Sends `commands` in one pipeline and returns one reply per command. Error replies
  // are replies; only a connection that cannot be had or used is an error.
  Result<std::vector<ReplyHandle>> run(const std::vector<Command>& commands);

  const std::string host_;
  const int port_;
  const std::string password_;
  const int db_;
  std::mutex mutex_;                 // guards idle_ (never held across I/O)
  std::vector<ContextHandle> idle_;  // connections ready for a call
};

}  // namespace comptoir
