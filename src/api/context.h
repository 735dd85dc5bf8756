// What the API handlers are given: the configuration, the backends and the use
// cases of core/.
#pragma once

#include <chrono>

#include "config/config.h"
#include "core/application.h"

namespace comptoir::api {

struct ApiContext {
  ApiContext(const Config& c, Application& app)
      : config(c),
        services(app.services()),
        catalogue(app.catalogue()),
        files(app.files()),
        uploads(app.uploads()),
        searches(app.searches()),
        logs(app.logs()),
        answers(app.answers()) {}

  const Config& config;
  Services& services;
  Catalogue& catalogue;
  FileRegistry& files;
  UploadService& uploads;
  SearchHistory& searches;
  LogSearch& logs;
  ResponseCache& answers;
};

}  // namespace comptoir::api
