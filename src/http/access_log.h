// The access log: one line per answered request with method, target, status,
// body bytes, microseconds and request id, as text or as a JSON object.
#pragma once

#include <cstdint>
#include <string_view>

#include "util/log.h"

namespace comptoir::http {

struct AccessRecord {
  std::string_view method;
  std::string_view target;
  unsigned status;
  uint64_t bytes;
  int64_t micros;
  std::string_view request_id;
};

void log_access(LogFormat format, const AccessRecord& r);

}  // namespace comptoir::http
