// Server: threads, acceptor, signals and the shutdown sequence.
#include "http/server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/spdlog.h>

#include "util/allocator.h"

namespace comptoir::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr auto kIdleCheck = std::chrono::seconds(10);
}  // namespace

Server::Server(const Config& config, const Dispatcher& dispatcher)
    : config_(config),
      env_{dispatcher,
           {config.max_content_length, config.max_header_bytes, config.read_timeout,
            config.idle_timeout},
           config.log_format},
      limiter_(config.max_connections) {
  for (unsigned i = 0; i < config.threads; ++i) workers_.push_back(std::make_unique<Worker>());
}

Server::~Server() = default;

Status Server::listen() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(config_.host, ec);
  if (ec) return Error::invalid("invalid COMPTOIR_HOST '" + config_.host + "': " + ec.message());
  const tcp::endpoint endpoint(address, config_.port);
  acceptor_ = std::make_unique<tcp::acceptor>(workers_[0]->ioc);
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::io("cannot listen on " + config_.host + ":" + std::to_string(config_.port) +
                     ": " + ec.message());
  }
  port_ = acceptor_->local_endpoint().port();
  return {};
}

void Server::accept() {
  Worker& worker = *workers_[next_worker_];
  next_worker_ = (next_worker_ + 1) % workers_.size();
  acceptor_->async_accept(worker.ioc, [this, &worker](boost::system::error_code ec,
                                                      tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
    if (!ec) {
      served_since_release_.store(true, std::memory_order_relaxed);
      ConnectionLimiter::Slot slot = limiter_.try_acquire();
      if (!slot.held()) {
        spdlog::warn("connection refused: {} connections open (COMPTOIR_MAX_CONNECTIONS)",
                     limiter_.max());
        Session::reject_overloaded(std::move(socket));
      } else {
        // The session must be created on its worker's thread (it joins that
        // worker's session set).
        asio::post(worker.ioc, [this, &worker, s = std::move(socket),
                                slot = std::move(slot)]() mutable {
          std::make_shared<Session>(std::move(s), env_, worker.sessions, std::move(slot))->start();
        });
      }
    } else {
      spdlog::warn("accept failed: {}", ec.message());
    }
    accept();
  });
}

void Server::run() {
  asio::signal_set signals(workers_[0]->ioc, SIGINT, SIGTERM);
  signals.async_wait([this](boost::system::error_code ec, int signo) {
    if (ec) return;
    spdlog::info("signal {} received: shutting down", signo);
    begin_shutdown();
  });
  accept();
  release_memory_when_idle();

  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& w : workers_) guards.push_back(asio::make_work_guard(w->ioc));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers_.size(); ++i) {
    threads.emplace_back([w = workers_[i].get()] { w->ioc.run(); });
  }
  spdlog::info("listening on http://{}:{} with {} threads", config_.host, port_, workers_.size());
  workers_[0]->ioc.run();
  for (auto& t : threads) t.join();
  spdlog::info("server stopped");
}

void Server::release_memory_when_idle() {
  auto timer = std::make_shared<asio::steady_timer>(workers_[0]->ioc);
  timer->expires_after(kIdleCheck);
  timer->async_wait([this, timer](boost::system::error_code ec) {
    if (ec || shutting_down_) return;
    if (limiter_.active() == 0 && served_since_release_.exchange(false)) {
      const auto started = std::chrono::steady_clock::now();
      release_free_memory();
      spdlog::debug("idle: free memory released in {} us",
                    std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count());
    }
    release_memory_when_idle();
  });
}

void Server::request_shutdown() {
  asio::post(workers_[0]->ioc, [this] { begin_shutdown(); });
}

void Server::begin_shutdown() {
  if (shutting_down_.exchange(true)) return;
  boost::system::error_code ec;
  acceptor_->close(ec);
  shutdown_deadline_ = std::chrono::steady_clock::now() + config_.shutdown_timeout;
  for (auto& w : workers_) {
    asio::post(w->ioc, [w = w.get()] {
      // Copy: drain() may end a session, which erases it from the set.
      std::vector<Session*> sessions(w->sessions.begin(), w->sessions.end());
      for (Session* s : sessions) {
        if (w->sessions.contains(s)) s->drain();
      }
    });
  }
  wait_for_drain();
}

void Server::wait_for_drain() {
  auto timer = std::make_shared<asio::steady_timer>(workers_[0]->ioc);
  timer->expires_after(std::chrono::milliseconds(20));
  timer->async_wait([this, timer](boost::system::error_code) {
    if (limiter_.active() == 0) return stop_all();
    if (std::chrono::steady_clock::now() >= shutdown_deadline_) {
      spdlog::warn("shutdown timeout: closing {} connections still open", limiter_.active());
      return stop_all();
    }
    wait_for_drain();
  });
}

void Server::stop_all() {
  for (auto& w : workers_) w->ioc.stop();
}

}  // namespace comptoir::http
