// Access log line formatting (the logger's pattern adds the timestamp).
#include "http/access_log.h"

#include <fmt/format.h>

#include <string>

namespace comptoir::http {

void log_access(LogFormat format, const AccessRecord& r) {
  auto& logger = access_logger();
  if (!logger.should_log(spdlog::level::info)) return;
  if (format == LogFormat::kJson) {
    std::string target;
    append_json_escaped(target, r.target);
    std::string method;
    append_json_escaped(method, r.method);
    logger.info(
        R"("method":"{}","path":"{}","status":{},"bytes":{},"duration_us":{},"request_id":"{}")",
        method, target, r.status, r.bytes, r.micros, r.request_id);
  } else {
    // Control characters cannot reach here: Beast rejects them in the request line.
    logger.info("{} {} {} {}B {}us id={}", r.method, r.target, r.status, r.bytes, r.micros,
                r.request_id);
  }
}

}  // namespace comptoir::http
