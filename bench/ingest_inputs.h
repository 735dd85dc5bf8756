// Generated ingestion inputs shared by the parser micro benchmarks and the
// `comptoir-bench ingest` scenario: CSV application logs, CSV sales lines (UCI
// layout), NDJSON logs with a nested object, the platform's text logs and combined
// access logs, each of about `bytes` bytes. `salt` changes the content (not the
// shape), so successive uploads have different SHA-256 digests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

#include <fmt/format.h>

namespace comptoir::bench {

namespace ingest_inputs_detail {

inline const char* const kLevels[] = {"INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"};
inline const char* const kServices[] = {"payment-service", "cart-service", "auth-service",
                                        "catalog"};

template <typename Row>
std::string generate(std::string header, size_t bytes, uint32_t salt, Row row) {
  std::mt19937 rng(42 + salt);
  std::string out = std::move(header);
  out.reserve(bytes + 512);
  for (int i = 0; out.size() < bytes; ++i) out += row(rng, i);
  return out;
}

inline std::string time_of(int i) {
  return fmt::format("2025-12-23T{:02}:{:02}:{:02}.{:03}Z", i / 3600000 % 24, i / 60000 % 60,
                     i / 1000 % 60, i % 1000);
}

}  // namespace ingest_inputs_detail

inline std::string generate_csv_logs(size_t bytes, uint32_t salt = 0) {
  using namespace ingest_inputs_detail;
  return generate("timestamp,level,service,message,user,ip,duration\n", bytes, salt,
                  [salt](std::mt19937& r, int i) {
                    return fmt::format(
                        "{},{},{},\"Request {}-{} handled, cart updated\",user{},10.0.{}.{},{}\n",
                        time_of(i), kLevels[r() % 6], kServices[r() % 4], salt, i, r() % 1000,
                        r() % 256, r() % 256, r() % 900);
                  });
}

inline std::string generate_csv_sales(size_t bytes, uint32_t salt = 0) {
  using namespace ingest_inputs_detail;
  return generate(
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n", bytes,
      salt, [](std::mt19937& r, int i) {
        return fmt::format(
            "{}{},{}A,WHITE HANGING HEART T-LIGHT HOLDER,{},12/{}/2010 8:{:02},{}.{:02},"
            "{}.0,United Kingdom\n",
            r() % 50 == 0 ? "C" : "", 536365 + i / 5, 85123 + r() % 100, 1 + r() % 24, 1 + i % 28,
            i % 60, r() % 20, r() % 100, 12000 + r() % 6000);
      });
}

inline std::string generate_ndjson_logs(size_t bytes, uint32_t salt = 0) {
  using namespace ingest_inputs_detail;
  return generate("", bytes, salt, [](std::mt19937& r, int i) {
    return fmt::format(
        "{{\"@timestamp\":\"{}\",\"level\":\"{}\",\"service\":\"{}\",\"message\":\"Request {} "
        "handled\",\"user_id\":\"user{}\",\"http\":{{\"status\":{},\"duration_ms\":{}}}}}\n",
        time_of(i), kLevels[r() % 6], kServices[r() % 4], i, r() % 1000, 200 + r() % 4 * 100,
        r() % 900);
  });
}

inline std::string generate_text_logs(size_t bytes, uint32_t salt = 0) {
  using namespace ingest_inputs_detail;
  return generate("", bytes, salt, [](std::mt19937& r, int i) {
    return fmt::format("[2025-12-23T{:02}:{:02}:{:02}] [{}] [{}] Request {} handled for user{}\n",
                       i / 3600 % 24, i / 60 % 60, i % 60, kLevels[r() % 6], kServices[r() % 4], i,
                       r() % 1000);
  });
}

inline std::string generate_access_logs(size_t bytes, uint32_t salt = 0) {
  return ingest_inputs_detail::generate("", bytes, salt, [](std::mt19937& r, int i) {
    return fmt::format(
        "10.0.{}.{} - - [23/Dec/2025:{:02}:{:02}:{:02} +0000] \"GET /products/{}?page={} "
        "HTTP/1.1\" {} {} \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n",
        r() % 256, r() % 256, i / 3600 % 24, i / 60 % 60, i % 60, r() % 5000, r() % 10,
        r() % 20 == 0 ? 404 : 200, r() % 50000);
  });
}

}  // namespace comptoir::bench
