// A Comptoir server inside the benchmark process, configured like the real one
// (same Services, routes, dispatcher and HTTP server) from a few settings, served
// on a free loopback port by its own threads until destroyed.
#pragma once

#include <memory>
#include <thread>

#include "api/context.h"
#include "config/config.h"
#include "core/application.h"
#include "http/dispatcher.h"
#include "http/router.h"
#include "http/server.h"

namespace comptoir::bench {

class InProcessServer {
 public:
  // `settings` override the defaults by variable name (COMPTOIR_DATA_DIR, REDIS_HOST...).
  // Exits the process with a message when the server cannot start.
  explicit InProcessServer(const StringMap& settings);
  ~InProcessServer();

  uint16_t port() const { return server_->port(); }
  Services& services() { return app_->services(); }
  Catalogue& catalogue() { return app_->catalogue(); }

 private:
  Config config_;
  std::unique_ptr<Application> app_;
  std::unique_ptr<api::ApiContext> ctx_;
  http::Router router_;
  std::unique_ptr<http::Dispatcher> dispatcher_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

}  // namespace comptoir::bench
