// Generated log documents shaped like the specification's logs, shared by the engine
// and aggregation benchmarks: timestamp, level, service, a message of 8-20 words, user
// (from a configurable population), ip and duration.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/schema/date_format.h"

namespace comptoir::engine::bench {

namespace json = boost::json;

// Log documents: timestamp, level, service, message of 8-20 words, user, ip, duration.
class LogGenerator {
 public:
  explicit LogGenerator(uint32_t seed, uint32_t users = 5000) : rng_(seed), users_(users) {}
  std::string next(int64_t ts_ms) {
    static const char* kLevels[] = {"INFO",  "INFO",    "INFO",  "INFO",
                                    "DEBUG", "WARNING", "ERROR", "CRITICAL"};
    static const char* kServices[] = {"payment-service", "auth-service",     "inventory-service",
                                      "order-service",   "shipping-service", "search-service",
                                      "cart-service",    "user-service"};
    static const std::vector<std::string> kWords = [] {
      std::vector<std::string> w = {
          "request",   "failed",     "timeout",   "user",    "payment", "order",   "completed",
          "database",  "connection", "retry",     "cache",   "miss",    "latency", "error",
          "processed", "checkout",   "inventory", "updated", "session", "expired", "card",
          "declined",  "shipping",   "label",     "created", "token",   "refresh"};
      for (int i = 0; i < 400; ++i) w.push_back("term" + std::to_string(i));
      return w;
    }();
    std::uniform_int_distribution<int> nwords(8, 20), word(0, static_cast<int>(kWords.size()) - 1);
    std::string msg;
    int n = nwords(rng_);
    for (int i = 0; i < n; ++i) {
      if (i) msg += ' ';
      msg += kWords[static_cast<size_t>(word(rng_))];
    }
    json::object o;
    o["@timestamp"] = format_date_iso(ts_ms);
    o["Level"] = kLevels[rng_() % 8];
    o["Service"] = kServices[rng_() % 8];
    o["Message"] = msg;
    o["User"] = "user" + std::to_string(rng_() % users_);
    o["IP"] = "10." + std::to_string(rng_() % 256) + "." + std::to_string(rng_() % 256) + "." +
              std::to_string(rng_() % 256);
    o["Duration"] = static_cast<int64_t>(rng_() % 5000);
    return json::serialize(o);
  }

 private:
  std::mt19937 rng_;
  uint32_t users_;
};

}  // namespace comptoir::engine::bench
