// One client connection: read a request, dispatch it, write the answer, repeat
// while keep-alive holds. Requests on one connection are handled one after the
// other, so pipelined requests are answered in order. A streamed answer
// (Response::stream) is written as chunks, each produced after the previous one
// was written.
//
// States: kIdle (waiting for the first byte of a request, idle timeout), kReading
// (read timeout covers head and body), kBusy (handling or writing). At shutdown an
// idle connection is closed at once and a busy one is answered with
// `Connection: close`. All of a session's work runs on its io_context's thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <unordered_set>

#include "http/connection_limiter.h"
#include "http/dispatcher.h"
#include "util/log.h"

namespace comptoir::http {

struct SessionLimits {
  uint64_t max_body_bytes;
  uint32_t max_header_bytes;
  std::chrono::milliseconds read_timeout;
  std::chrono::milliseconds idle_timeout;
};

class Session;

// What every session of a server shares; `sessions` belongs to one io_context
// thread and is only touched from it.
struct SessionEnv {
  const Dispatcher& dispatcher;
  SessionLimits limits;
  LogFormat log_format;
};
using SessionSet = std::unordered_set<Session*>;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, const SessionEnv& env, SessionSet& set,
          ConnectionLimiter::Slot slot);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();

  // Called at shutdown on the session's thread.
  void drain();

  // Answers 503 on a connection over the cap, then closes it.
  static void reject_overloaded(boost::asio::ip::tcp::socket socket);

 private:
  enum class State { kIdle, kReading, kBusy };

  void wait_for_request();
  void on_first_bytes(boost::beast::error_code ec, size_t n);
  void read_head();
  void on_head(boost::beast::error_code ec, size_t n);
  void on_body(boost::beast::error_code ec, size_t n);
  void handle_request();
  // Answers a request that could not be read (400, 408, 413, 431) and closes.
  void fail_request(unsigned status, std::string_view message);
  void send(unsigned status, std::string content_type, std::string body,
            const std::vector<std::pair<std::string, std::string>>& headers,
            std::string_view request_id, bool head_only);
  void on_written(boost::beast::error_code ec, size_t n);
  // Streamed answers: the head, then one chunk per BodyStream::next(), then the
  // last chunk.
  void send_stream(Response& res, std::string_view request_id, bool head_only);
  void on_stream_head(bool head_only, boost::beast::error_code ec, size_t n);
  void write_next_chunk();
  void on_chunk_written(boost::beast::error_code ec, size_t n);
  void on_stream_done(boost::beast::error_code ec, size_t n);
  void abort_stream(std::string_view why);
  // After an answer is written: the next request, or closing.
  void after_answer();
  void linger_close();
  void discard_input();
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> res_;
  boost::beast::http::response<boost::beast::http::empty_body> stream_head_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>>
      stream_serializer_;
  std::shared_ptr<BodyStream> body_stream_;
  std::string chunk_;
  bool last_chunk_ = false;
  uint64_t streamed_bytes_ = 0;
  const SessionEnv& env_;
  SessionSet& set_;
  ConnectionLimiter::Slot slot_;
  State state_ = State::kIdle;
  bool draining_ = false;
  bool close_after_write_ = false;
  std::chrono::steady_clock::time_point started_;
  // For the access log of the request being answered.
  std::string log_method_;
  std::string log_target_;
  std::string log_request_id_;
};

}  // namespace comptoir::http
