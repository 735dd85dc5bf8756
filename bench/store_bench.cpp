// `comptoir-bench store [--redis redis://host:port] [--mongodb URI] [--seconds N]`:
// for each backend pair (embedded; then Redis and MongoDB when given), seeds 1,000
// products and 1,000 cache keys, then measures over HTTP on loopback:
//   products_list  GET /api/products?page=P&size=25   sequential, p50/p99
//   product_get    GET /api/products/<id>             sequential, p50/p99
//   cache_get      GET /api/cache/<key>               64 connections, requests/s
//   cache_set      POST /api/cache                    64 connections, requests/s
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <filesystem>
#include <iostream>

#include "http_load.h"
#include "in_process_server.h"
#include "scenarios.h"
#include "util/json_text.h"
#include "util/log.h"
#include "util/random_id.h"

namespace comptoir::bench {

namespace bhttp = boost::beast::http;

namespace {

constexpr int kProducts = 1000;
constexpr int kKeys = 1000;

HttpRequest get(std::string target) {
  HttpRequest req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, "bench");
  return req;
}

void print(std::string_view backend, std::string_view op, const LoadResult& r,
           unsigned connections) {
  uint64_t ok = 0;
  for (const auto& [status, n] : r.statuses) ok += status < 400 ? n : 0;
  std::cout << to_json_text(
                   boost::json::object{{"bench", "store"},
                                       {"backend", backend},
                                       {"op", op},
                                       {"connections", connections},
                                       {"requests", r.requests},
                                       {"ok", ok},
                                       {"errors", r.errors},
                                       {"requests_per_s", std::round(r.requests_per_second)},
                                       {"p50_ms", std::round(r.p50_ms * 1000) / 1000},
                                       {"p99_ms", std::round(r.p99_ms * 1000) / 1000}})
            << std::endl;
}

void run_backend(std::string_view name, StringMap settings, std::chrono::milliseconds duration) {
  const auto dir = std::filesystem::temp_directory_path() / ("comptoir-bench-" + random_hex_id());
  settings["COMPTOIR_DATA_DIR"] = dir.string();
  settings["COMPTOIR_THREADS"] = "2";
  {
    InProcessServer server(settings);
    for (int i = 0; i < kProducts; ++i) {
      auto created = server.catalogue().create(
          CatalogueKind::kProduct,
          boost::json::object{{"id", fmt::format("p{}", i)},
                              {"name", fmt::format("Product {}", i)},
                              {"price", 1.0 + i % 500},
                              {"category", i % 2 ? "Electronics" : "Home"}});
      if (!created.ok()) {
        std::cerr << "seeding failed: " << created.error().message << "\n";
        std::exit(1);
      }
    }
    for (int i = 0; i < kKeys; ++i) {
      (void)server.services().cache().set(fmt::format("key:{}", i), fmt::format("\"value {}\"", i),
                                          std::nullopt);
    }
    const uint16_t port = server.port();
    print(name, "products_list",
          run_sequential(
              port,
              [](uint64_t n) {
                return get(fmt::format("/api/products?page={}&size=25", 1 + n % 40));
              },
              2000),
          1);
    print(name, "product_get",
          run_sequential(
              port,
              [](uint64_t n) {
                return get(fmt::format("/api/products/p{}", (n * 7919) % kProducts));
              },
              5000),
          1);
    print(name, "cache_get",
          run_http_load(
              port,
              [](uint64_t n) { return get(fmt::format("/api/cache/key:{}", (n * 7919) % kKeys)); },
              64, duration),
          64);
    print(name, "cache_set",
          run_http_load(
              port,
              [](uint64_t n) {
                HttpRequest req{bhttp::verb::post, "/api/cache", 11};
                req.set(bhttp::field::host, "bench");
                req.set(bhttp::field::content_type, "application/json");
                req.body() =
                    fmt::format(R"({{"key":"set:{}","value":{{"n":{}}},"ttl":600}})", n % kKeys, n);
                return req;
              },
              64, duration),
          64);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace

int run_store_scenario(int argc, char** argv) {
  CLI::App app{"comptoir-bench store: catalogue and cache over HTTP"};
  std::string redis_url, mongodb_uri;
  double seconds = 5;
  app.add_option("--redis", redis_url, "also measure with Redis (redis://host:port)");
  app.add_option("--mongodb", mongodb_uri, "also measure with MongoDB (mongodb://...)");
  app.add_option("--seconds", seconds, "duration of each throughput run");
  CLI11_PARSE(app, argc, argv);
  init_logging(LogFormat::kText, "warn");  // access log and warnings go to stderr

  const auto duration = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  run_backend("embedded", {}, duration);
  if (!redis_url.empty() || !mongodb_uri.empty()) {
    StringMap external;
    if (!redis_url.empty()) {
      const std::string hostport = redis_url.substr(redis_url.find("://") + 3);
      external["REDIS_HOST"] = hostport.substr(0, hostport.rfind(':'));
      external["REDIS_PORT"] = hostport.substr(hostport.rfind(':') + 1);
      while (!external["REDIS_PORT"].empty() && external["REDIS_PORT"].back() == '/') {
        external["REDIS_PORT"].pop_back();
      }
    }
    if (!mongodb_uri.empty()) {
      external["MONGODB_URI"] =
          mongodb_uri.substr(0, mongodb_uri.find('/', mongodb_uri.find("://") + 3)) +
          "/comptoir_bench_" + random_hex_id();
    }
    run_backend(fmt::format("{}+{}", mongodb_uri.empty() ? "sqlite" : "mongodb",
                            redis_url.empty() ? "memory" : "redis"),
                external, duration);
  }
  return 0;
}

}  // namespace comptoir::bench
