// run_http_load(): Asio + Beast clients on one io_context.
#include "http_load.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <memory>
#include <vector>

namespace comptoir::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Shared {
  const std::function<HttpRequest(uint64_t)>& make_request;
  Clock::time_point deadline;
  uint64_t next = 0;
  std::vector<double> latencies_ms;
  std::map<unsigned, uint64_t> statuses;
  uint64_t errors = 0;
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context& ioc, Shared& shared) : stream_(ioc), shared_(shared) {}

  void start(const tcp::endpoint& endpoint) {
    stream_.async_connect(endpoint, [self = shared_from_this()](beast::error_code ec) {
      if (ec) {
        ++self->shared_.errors;
        return;
      }
      self->send();
    });
  }

 private:
  void send() {
    if (Clock::now() >= shared_.deadline) return;
    request_ = shared_.make_request(shared_.next++);
    request_.keep_alive(true);
    request_.prepare_payload();
    started_ = Clock::now();
    bhttp::async_write(
        stream_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) {
            ++self->shared_.errors;
            return;
          }
          self->response_ = {};
          bhttp::async_read(self->stream_, self->buffer_, self->response_,
                            [self](beast::error_code rec, size_t) { self->on_read(rec); });
        });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      ++shared_.errors;
      return;
    }
    shared_.latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - started_).count());
    ++shared_.statuses[response_.result_int()];
    send();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  HttpRequest request_;
  bhttp::response<bhttp::string_body> response_;
  Shared& shared_;
  Clock::time_point started_;
};

void summarise(LoadResult& r, std::vector<double>& latencies) {
  r.requests = latencies.size();
  r.requests_per_second = r.seconds > 0 ? static_cast<double>(r.requests) / r.seconds : 0;
  if (latencies.empty()) return;
  std::sort(latencies.begin(), latencies.end());
  auto at = [&](double q) {
    return latencies[std::min(latencies.size() - 1, static_cast<size_t>(q * latencies.size()))];
  };
  r.p50_ms = at(0.50);
  r.p99_ms = at(0.99);
}

}  // namespace

LoadResult run_http_load(uint16_t port, const std::function<HttpRequest(uint64_t)>& make_request,
                         unsigned connections, std::chrono::milliseconds duration) {
  asio::io_context ioc;
  Shared shared{make_request, Clock::now() + duration, 0, {}, {}, 0};
  shared.latencies_ms.reserve(1 << 20);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  const auto started = Clock::now();
  for (unsigned i = 0; i < connections; ++i) std::make_shared<Client>(ioc, shared)->start(endpoint);
  ioc.run();
  LoadResult r;
  r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  r.statuses = std::move(shared.statuses);
  r.errors = shared.errors;
  summarise(r, shared.latencies_ms);
  return r;
}

unsigned http_call(uint16_t port, const HttpRequest& request, std::string* body) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  HttpRequest req = request;
  req.prepare_payload();
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buffer, res);
  if (body != nullptr) *body = res.body();
  return res.result_int();
}

LoadResult run_sequential(uint16_t port, const std::function<HttpRequest(uint64_t)>& make_request,
                          uint64_t count) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  beast::flat_buffer buffer;
  std::vector<double> latencies;
  LoadResult r;
  const auto started = Clock::now();
  for (uint64_t i = 0; i < count; ++i) {
    HttpRequest req = make_request(i);
    req.keep_alive(true);
    req.prepare_payload();
    const auto t0 = Clock::now();
    bhttp::write(stream, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    ++r.statuses[res.result_int()];
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  summarise(r, latencies);
  return r;
}

}  // namespace comptoir::bench
