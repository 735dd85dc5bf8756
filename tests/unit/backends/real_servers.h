// How backend tests reach real servers: URLs from COMPTOIR_TEST_REDIS_URL and
// COMPTOIR_TEST_MONGODB_URI (printed by scripts/services start redis|mongo). A missing
// URL skips the test loudly, or fails it when CI=true. Tests may also stop and start
// a server that scripts/services started, to check reconnection.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <string>

namespace comptoir::testing {

inline bool ci_mode() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

inline std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// A random lowercase hex string, to keep test keys, databases and directories apart.
inline std::string random_name(size_t length = 12) {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  const char* digits = "0123456789abcdef";
  std::string name;
  for (size_t i = 0; i < length; ++i) name += digits[rng() % 16];
  return name;
}

// Runs `scripts/services ARGS`; its trimmed standard output, or nullopt when it failed.
inline std::optional<std::string> run_services(const std::string& args) {
  const std::string command = std::string(COMPTOIR_SERVICES_SCRIPT) + " " + args;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  char buffer[256];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  if (pclose(pipe) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace comptoir::testing

// Sets `out` to the URL in environment variable `env`, or skips the current test (fails
// it under CI=true). Usable in a test body or in a void helper called from SetUp().
#define COMPTOIR_REAL_SERVER_URL(out, env, service)                                         \
  do {                                                                                      \
    (out) = ::comptoir::testing::env_or_empty(env);                                         \
    if (!(out).empty()) break;                                                              \
    if (::comptoir::testing::ci_mode()) {                                                   \
      FAIL() << env " is not set and CI=true: run `scripts/services start " service         \
                    "` and export its URL";                                                 \
    }                                                                                       \
    std::cerr << "\n*** " env " is not set: SKIPPING tests against a real " service         \
                 " server. Run `scripts/services start " service "` and export its URL.\n"; \
    GTEST_SKIP() << env " not set";                                                         \
  } while (0)
