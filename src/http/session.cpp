// Session: the Beast read / dispatch / write loop with limits and timeouts.
#include "http/session.h"

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <spdlog/spdlog.h>
#include <ctime>

#include "http/access_log.h"
#include "http/request_id.h"
#include "util/time_format.h"

namespace comptoir::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// The Date header, formatted once per second per thread.
const std::string& cached_http_date() {
  thread_local std::time_t last = 0;
  thread_local std::string value;
  const std::time_t now = std::time(nullptr);
  if (now != last) {
    last = now;
    value = http_date(std::chrono::system_clock::from_time_t(now));
  }
  return value;
}

constexpr std::string_view kServerName = "comptoir/" COMPTOIR_VERSION;

}  // namespace

Session::Session(tcp::socket socket, const SessionEnv& env, SessionSet& set,
                 ConnectionLimiter::Slot slot)
    : stream_(std::move(socket)), env_(env), set_(set), slot_(std::move(slot)) {
  set_.insert(this);
}

Session::~Session() {
  set_.erase(this);
}

void Session::start() {
  beast::error_code ec;
  stream_.socket().set_option(tcp::no_delay(true), ec);
  wait_for_request();
}

void Session::drain() {
  draining_ = true;
  if (state_ == State::kIdle) {
    // Nothing in flight: cancel the idle read, which closes the connection.
    beast::error_code ec;
    stream_.socket().cancel(ec);
  }
}

void Session::wait_for_request() {
  state_ = State::kIdle;
  if (buffer_.size() > 0) {
    // Pipelined bytes are already here.
    read_head();
    return;
  }
  if (draining_) return close();
  stream_.expires_after(env_.limits.idle_timeout);
  stream_.async_read_some(buffer_.prepare(4096),
                          beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
}

void Session::on_first_bytes(beast::error_code ec, size_t n) {
  if (ec) return close();  // idle timeout, client closed, or shutdown
  buffer_.commit(n);
  read_head();
}

void Session::read_head() {
  state_ = State::kReading;
  started_ = std::chrono::steady_clock::now();
  parser_.emplace();
  parser_->header_limit(env_.limits.max_header_bytes);
  parser_->body_limit(env_.limits.max_body_bytes);
  stream_.expires_after(env_.limits.read_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::on_head, shared_from_this()));
}

void Session::on_head(beast::error_code ec, size_t) {
  if (ec == bhttp::error::header_limit) {
    return fail_request(431, "Request header fields too large");
  }
  if (ec == bhttp::error::body_limit) {
    return fail_request(413, "Request body too large: the limit is " +
                                 std::to_string(env_.limits.max_body_bytes) + " bytes");
  }
  if (ec == beast::error::timeout) return close();  // a slow client; nothing to answer
  if (ec == bhttp::error::end_of_stream || ec == boost::asio::error::eof ||
      ec == boost::asio::error::connection_reset || ec == boost::asio::error::operation_aborted) {
    return close();
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return fail_request(400, "Malformed HTTP request: " + ec.message());
  }
  if (ec) return close();

  if (parser_->is_done()) return handle_request();
  if (parser_->get()[bhttp::field::expect] == "100-continue") {
    // Tell the client to send the body (curl waits for this before uploading).
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    boost::asio::async_write(stream_, boost::asio::buffer(kContinue.data(), kContinue.size()),
                             [self = shared_from_this()](beast::error_code wec, size_t) {
                               if (wec) return self->close();
                               self->stream_.expires_after(self->env_.limits.read_timeout);
                               bhttp::async_read(
                                   self->stream_, self->buffer_, *self->parser_,
                                   beast::bind_front_handler(&Session::on_body, self));
                             });
    return;
  }
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&Session::on_body, shared_from_this()));
}

void Session::on_body(beast::error_code ec, size_t) {
  if (ec == bhttp::error::body_limit) {
    return fail_request(413, "Request body too large: the limit is " +
                                 std::to_string(env_.limits.max_body_bytes) + " bytes");
  }
  if (ec == beast::error::timeout) return close();
  if (ec == bhttp::error::partial_message || ec == bhttp::error::end_of_stream) return close();
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
    return fail_request(400, "Malformed HTTP request body: " + ec.message());
  }
  if (ec) return close();
  handle_request();
}

void Session::handle_request() {
  state_ = State::kBusy;
  stream_.expires_never();
  const RawRequest& raw = parser_->get();
  auto it = raw.find("X-Request-Id");
  std::string request_id = it != raw.end() && is_acceptable_request_id(it->value())
                               ? std::string(it->value())
                               : new_request_id();
  Request req(raw, std::move(request_id));
  Response res = env_.dispatcher.dispatch(req);

  log_method_ = std::string(raw.method_string());
  log_target_ = std::string(raw.target());
  close_after_write_ = !raw.keep_alive() || draining_;
  if (res.stream) return send_stream(res, req.request_id(), raw.method() == bhttp::verb::head);
  send(res.status, std::move(res.content_type), std::move(res.body), res.headers, req.request_id(),
       raw.method() == bhttp::verb::head);
}

void Session::fail_request(unsigned status, std::string_view message) {
  state_ = State::kBusy;
  close_after_write_ = true;
  log_method_ = parser_ && parser_->is_header_done() ? std::string(parser_->get().method_string())
                                                     : std::string("-");
  log_target_ = parser_ && parser_->is_header_done() ? std::string(parser_->get().target())
                                                     : std::string("-");
  const std::string id = new_request_id();
  Response res = error_response(status, message, id);
  send(res.status, std::move(res.content_type), std::move(res.body), res.headers, id, false);
}

void Session::send(unsigned status, std::string content_type, std::string body,
                   const std::vector<std::pair<std::string, std::string>>& headers,
                   std::string_view request_id, bool head_only) {
  res_ = {};
  res_.version(11);
  res_.result(status);
  res_.set(bhttp::field::server, kServerName);
  res_.set(bhttp::field::date, cached_http_date());
  if (!content_type.empty()) res_.set(bhttp::field::content_type, content_type);
  for (const auto& [name, value] : headers) res_.set(name, value);
  res_.set("X-Request-Id", request_id);
  log_request_id_ = std::string(request_id);
  res_.keep_alive(!close_after_write_);
  const size_t body_size = body.size();
  if (head_only) {
    res_.content_length(body_size);
  } else {
    res_.body() = std::move(body);
    if (status != 204 && status != 304) res_.prepare_payload();
  }
  stream_.expires_after(env_.limits.read_timeout);
  bhttp::async_write(stream_, res_,
                     beast::bind_front_handler(&Session::on_written, shared_from_this()));
}

void Session::on_written(beast::error_code ec, size_t) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started_)
                          .count();
  log_access(env_.log_format, {log_method_, log_target_, res_.result_int(), res_.body().size(),
                               micros, log_request_id_});
  if (ec) return close();
  after_answer();
}

void Session::after_answer() {
  if (close_after_write_) return linger_close();
  parser_.reset();
  wait_for_request();
}

void Session::send_stream(Response& res, std::string_view request_id, bool head_only) {
  stream_head_ = {};
  stream_head_.version(11);
  stream_head_.result(res.status);
  stream_head_.set(bhttp::field::server, kServerName);
  stream_head_.set(bhttp::field::date, cached_http_date());
  if (!res.content_type.empty()) stream_head_.set(bhttp::field::content_type, res.content_type);
  for (const auto& [name, value] : res.headers) stream_head_.set(name, value);
  stream_head_.set("X-Request-Id", request_id);
  log_request_id_ = std::string(request_id);
  stream_head_.keep_alive(!close_after_write_);
  stream_head_.chunked(true);
  body_stream_ = std::move(res.stream);
  streamed_bytes_ = 0;
  last_chunk_ = false;
  stream_serializer_.emplace(stream_head_);
  stream_.expires_after(env_.limits.read_timeout);
  bhttp::async_write_header(
      stream_, *stream_serializer_,
      beast::bind_front_handler(&Session::on_stream_head, shared_from_this(), head_only));
}

void Session::on_stream_head(bool head_only, beast::error_code ec, size_t) {
  if (ec) {
    body_stream_.reset();
    return close();
  }
  if (head_only) return on_stream_done({}, 0);
  write_next_chunk();
}

void Session::write_next_chunk() {
  chunk_.clear();
  bool more = true;
  try {
    // Skip empty pieces: an empty chunk would end the body.
    while (chunk_.empty() && more) {
      auto next = body_stream_->next(chunk_);
      if (!next.ok()) return abort_stream(next.error().message);
      more = *next;
    }
  } catch (const std::exception& e) {
    return abort_stream(e.what());
  } catch (...) {
    return abort_stream("unknown exception");
  }
  last_chunk_ = !more;
  stream_.expires_after(env_.limits.read_timeout);
  if (chunk_.empty()) {
    return boost::asio::async_write(
        stream_, bhttp::make_chunk_last(),
        beast::bind_front_handler(&Session::on_stream_done, shared_from_this()));
  }
  streamed_bytes_ += chunk_.size();
  boost::asio::async_write(
      stream_, bhttp::make_chunk(boost::asio::buffer(chunk_)),
      beast::bind_front_handler(&Session::on_chunk_written, shared_from_this()));
}

void Session::on_chunk_written(beast::error_code ec, size_t) {
  if (ec) {  // the client went away or stopped reading
    body_stream_.reset();
    return close();
  }
  if (!last_chunk_) return write_next_chunk();
  stream_.expires_after(env_.limits.read_timeout);
  boost::asio::async_write(stream_, bhttp::make_chunk_last(),
                           beast::bind_front_handler(&Session::on_stream_done, shared_from_this()));
}

void Session::on_stream_done(beast::error_code ec, size_t) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started_)
                          .count();
  log_access(env_.log_format, {log_method_, log_target_, stream_head_.result_int(), streamed_bytes_,
                               micros, log_request_id_});
  body_stream_.reset();
  stream_serializer_.reset();
  chunk_.clear();
  chunk_.shrink_to_fit();
  if (ec) return close();
  after_answer();
}

void Session::abort_stream(std::string_view why) {
  spdlog::error("request {} {} {}: the streamed answer failed after {} bytes: {}", log_request_id_,
                log_method_, log_target_, streamed_bytes_, why);
  body_stream_.reset();
  stream_serializer_.reset();
  close();
}

void Session::linger_close() {
  // Closing a socket with unread input makes the kernel send RST, which may destroy
  // the answer before the client reads it (413 on a large upload). So: stop
  // sending, drain what the client still sends for a short while, then close.
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return close();
  stream_.expires_after(std::chrono::seconds(2));
  discard_input();
}

void Session::discard_input() {
  buffer_.consume(buffer_.size());
  stream_.async_read_some(buffer_.prepare(65536),
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (ec) return self->close();
                            self->discard_input();
                          });
}

void Session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
}

void Session::reject_overloaded(tcp::socket socket) {
  auto sock = std::make_shared<tcp::socket>(std::move(socket));
  const std::string id = new_request_id();
  Response res = error_response(503, "Too many connections; try again later", id);
  auto text = std::make_shared<std::string>(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
      "Connection: close\r\nRetry-After: 1\r\nX-Request-Id: " +
      id + "\r\nContent-Length: " + std::to_string(res.body.size()) + "\r\n\r\n" + res.body);
  boost::asio::async_write(*sock, boost::asio::buffer(*text),
                           [sock, text](beast::error_code, size_t) {
                             beast::error_code ec;
                             sock->shutdown(tcp::socket::shutdown_both, ec);
                             sock->close(ec);
                           });
}

}  // namespace comptoir::http
