// FakeHttpServer: a tiny HTTP/1.1 server on a free loopback port that answers each
// request with the next reply of a script (then a fallback reply) and records what it
// received. Transport tests use it for what a real cluster will not do on demand:
// answer 503, or stand for a second node. One connection at a time, closed after
// each answer.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace comptoir::testing {

// One scripted answer.
struct FakeReply {
  int status = 200;
  std::string body = "{}";
};

class FakeHttpServer {
 public:
  using Reply = FakeReply;

  // `port` 0: a free one.
  explicit FakeHttpServer(std::vector<Reply> script = {}, Reply fallback = {}, uint16_t port = 0)
      : script_(std::move(script)), fallback_(std::move(fallback)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeHttpServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Each request as received: request line, headers, blank line, body.
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      handle(fd);
      ::close(fd);
    }
  }

  void handle(int fd) {
    std::string in;
    char buffer[4096];
    size_t head_end = std::string::npos;
    size_t body_length = 0;
    while (true) {
      if (head_end != std::string::npos && in.size() >= head_end + 4 + body_length) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) return;
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      in.append(buffer, static_cast<size_t>(n));
      if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
        const std::string head = lowercase(in.substr(0, head_end));
        const size_t at = head.find("content-length:");
        if (at != std::string::npos) body_length = std::stoul(head.substr(at + 15));
      }
    }
    Reply reply;
    {
      std::lock_guard lock(mutex_);
      reply = requests_.size() < script_.size() ? script_[requests_.size()] : fallback_;
      requests_.push_back(in);
    }
    const std::string out = "HTTP/1.1 " + std::to_string(reply.status) +
                            " Scripted\r\nContent-Type: application/json\r\nContent-Length: " +
                            std::to_string(reply.body.size()) + "\r\nConnection: close\r\n\r\n" +
                            reply.body;
    (void)::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
  }

  static std::string lowercase(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  const std::vector<Reply> script_;
  const Reply fallback_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace comptoir::testing
