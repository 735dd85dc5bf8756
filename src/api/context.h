// What the API handlers are given: the configuration, the backends and the use
// cases of core/.
#pragma once

#include <chrono>

#include "config/config.h"
#include "core/catalogue.h"
#include "core/file_registry.h"
#include "core/services.h"
#include "core/upload_service.h"

namespace comptoir::api {

struct ApiContext {
  const Config& config;
  Services& services;
  Catalogue& catalogue;
  FileRegistry& files;
  UploadService& uploads;
};

}  // namespace comptoir::api
