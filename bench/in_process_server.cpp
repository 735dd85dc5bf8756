// InProcessServer: the same assembly as main.cpp's `serve`, on a thread.
#include "in_process_server.h"

#include <cstdlib>
#include <iostream>

#include "api/routes.h"

namespace comptoir::bench {

namespace {
[[noreturn]] void die(const std::string& message) {
  std::cerr << "comptoir-bench: " << message << "\n";
  std::exit(1);
}
}  // namespace

InProcessServer::InProcessServer(const StringMap& settings) {
  StringMap all = settings;
  all.emplace("COMPTOIR_HOST", "127.0.0.1");
  all.emplace("COMPTOIR_PORT", "0");
  auto config = config_from_settings(layer_settings({}, {}, all));
  if (!config.ok()) die(config.error().message);
  config_ = std::move(config.value());
  auto app = Application::open(config_);
  if (!app.ok()) die(app.error().message);
  app_ = std::move(app.value());
  ctx_ = std::make_unique<api::ApiContext>(config_, *app_);
  api::register_routes(router_, *ctx_);
  dispatcher_ = std::make_unique<http::Dispatcher>(router_, http::CorsPolicy(config_.cors_origins));
  server_ = std::make_unique<http::Server>(config_, *dispatcher_);
  if (auto st = server_->listen(); !st.ok()) die(st.error().message);
  thread_ = std::thread([this] { server_->run(); });
}

InProcessServer::~InProcessServer() {
  server_->request_shutdown();
  thread_.join();
}

}  // namespace comptoir::bench
