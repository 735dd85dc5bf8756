// Application assembly.
#include "core/application.h"

#include <spdlog/spdlog.h>

namespace comptoir {

Result<std::unique_ptr<Application>> Application::open(const Config& config) {
  auto zone = ingest::TimeZone::named(config.timezone);
  if (!zone.ok()) return Error::invalid("invalid COMPTOIR_TIMEZONE: " + zone.error().message);
  auto services = Services::open(config);
  COMPTOIR_TRY(services);
  std::unique_ptr<Application> app(
      new Application(config, std::move(services.value()), std::move(*zone)));
  if (auto recovered = app->uploads_.recover(); !recovered.ok()) {
    spdlog::warn("could not roll back interrupted uploads: {}", recovered.error().message);
  } else if (*recovered > 0) {
    spdlog::warn("rolled back {} interrupted uploads", *recovered);
  }
  return app;
}

Application::Application(const Config& config, std::unique_ptr<Services> services,
                         ingest::TimeZone zone)
    : services_(std::move(services)),
      answers_(services_->cache(), config.cache_ttl),
      catalogue_(services_->store()),
      files_(services_->store()),
      upload_folder_(config.upload_folder),
      uploads_(services_->search(), files_, upload_folder_, config.timezone,
               [this] { answers_.data_changed(); }),
      searches_(services_->store()),
      logs_(services_->search(), std::move(zone)) {}

}  // namespace comptoir
