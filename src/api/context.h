// What the API handlers are given: the configuration, the backends and the use
// cases of core/.
#pragma once

#include <chrono>

#include "config/config.h"
#include "core/catalogue.h"
#include "core/services.h"

namespace comptoir::api {

struct ApiContext {
  const Config& config;
  Services& services;
  Catalogue& catalogue;
};

}  // namespace comptoir::api
