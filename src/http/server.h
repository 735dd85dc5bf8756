// The HTTP/1.1 server: one io_context per thread, one acceptor handing accepted
// sockets to the threads in turn, a cap on open connections, and graceful
// shutdown on SIGTERM/SIGINT (stop accepting, close idle connections, let
// in-flight requests finish for up to the shutdown timeout, then stop).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "http/connection_limiter.h"
#include "http/dispatcher.h"
#include "http/session.h"
#include "util/result.h"

namespace comptoir::http {

class Server {
 public:
  Server(const Config& config, const Dispatcher& dispatcher);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; reports "address in use" and the like before run().
  Status listen();
  uint16_t port() const { return port_; }

  // Serves until a shutdown signal (or request_shutdown) has been handled.
  void run();

  // Starts the graceful shutdown from any thread.
  void request_shutdown();

 private:
  // `sessions` is declared first so it outlives the io_context, whose destructor
  // destroys pending handlers and with them the sessions they hold.
  struct Worker {
    SessionSet sessions;
    boost::asio::io_context ioc{1};
  };

  void accept();
  // Every kIdleCheck, hands the memory kept for reuse (util/allocator.h) back to the
  // kernel when connections came and went since the last check and none is open now.
  void release_memory_when_idle();
  void begin_shutdown();
  void wait_for_drain();
  void stop_all();

  const Config& config_;
  SessionEnv env_;
  ConnectionLimiter limiter_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  size_t next_worker_ = 0;
  uint16_t port_ = 0;
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> served_since_release_{false};
  std::chrono::steady_clock::time_point shutdown_deadline_;
};

}  // namespace comptoir::http
