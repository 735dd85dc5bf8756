// What the API handlers are given: the configuration and the process start time;
// the use cases of core/ join here as they are built.
#pragma once

#include <chrono>

#include "config/config.h"

namespace comptoir::api {

struct ApiContext {
  const Config& config;
  std::chrono::system_clock::time_point started_at;
};

}  // namespace comptoir::api
