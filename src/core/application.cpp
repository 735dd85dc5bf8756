// Application assembly.
#include "core/application.h"

#include <spdlog/spdlog.h>

namespace comptoir {

Result<std::unique_ptr<Application>> Application::open(const Config& config) {
  auto services = Services::open(config);
  COMPTOIR_TRY(services);
  std::unique_ptr<Application> app(new Application(config, std::move(services.value())));
  if (auto recovered = app->uploads_.recover(); !recovered.ok()) {
    spdlog::warn("could not roll back interrupted uploads: {}", recovered.error().message);
  } else if (*recovered > 0) {
    spdlog::warn("rolled back {} interrupted uploads", *recovered);
  }
  return app;
}

Application::Application(const Config& config, std::unique_ptr<Services> services)
    : services_(std::move(services)),
      catalogue_(services_->store()),
      files_(services_->store()),
      upload_folder_(config.upload_folder),
      uploads_(services_->search(), files_, upload_folder_, config.timezone),
      searches_(services_->store()) {}

}  // namespace comptoir
