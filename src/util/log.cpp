// spdlog set-up. In JSON mode a custom pattern flag (%*) escapes the message so
// every line is valid JSON whatever the message holds.
#include "util/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace comptoir {
namespace {

class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string escaped;
    append_json_escaped(escaped, std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

std::shared_ptr<spdlog::logger>& access_logger_ptr() {
  static std::shared_ptr<spdlog::logger> logger =
      std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::null_sink_mt>());
  return logger;
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
}

void init_logging(LogFormat format, std::string_view level) {
  // One sink each: a logger's formatter is set on its sinks.
  auto server = std::make_shared<spdlog::logger>("comptoir",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  auto access =
      std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (format == LogFormat::kJson) {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})");
    server->set_formatter(std::move(f));
    // The access log builds its own JSON fields (see http/access_log.cpp).
    access->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","type":"access",%v})", spdlog::pattern_time_type::utc));
  } else {
    server->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
    access->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ access %v", spdlog::pattern_time_type::utc));
  }
  server->set_level(spdlog::level::from_str(std::string(level)));
  access->set_level(spdlog::level::info);
  spdlog::set_default_logger(server);
  access_logger_ptr() = access;
}

spdlog::logger& access_logger() {
  return *access_logger_ptr();
}

}  // namespace comptoir
