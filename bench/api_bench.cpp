// `comptoir-bench api [--backend embedded|es] [--es URL] [--logs N] [--sales N] [--runs R]`:
// the specification's analytics endpoints end to end over HTTP on an in-process server
// with the response cache off. Loads N generated log events (NDJSON uploads of at most
// 32 MiB, the last 30 days, time-ordered) and N sales lines (UCI Online Retail CSV) through
// POST /api/upload, then measures:
//   ingest        documents/s of the uploads
//   search        POST /api/search (a word, level + service, a date window) p50/p99
//   dashboard     GET /api/dashboard p50/p99
//   results       GET /api/results p50/p99
//   export_10k    GET /api/export/csv of about 10,000 rows p50
//   export_all    GET /api/export/csv of every event: rows/s and the process RSS
// With --backend es the same runs against the cluster at --es (ELASTICSEARCH_HOST).
// `--dir PATH` keeps the data directory and reuses it on the next run (loading only when
// PATH holds no earlier load); `--ops search,results,...` runs only the named measurements.
#include <curl/curl.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "http_load.h"
#include "in_process_server.h"
#include "log_generator.h"
#include "scenarios.h"
#include "util/json_text.h"
#include "util/log.h"
#include "util/random_id.h"

namespace comptoir::bench {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr int64_t kSpan = 30 * 86400000LL;  // the last 30 days, up to now

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void print(const json::object& o) {
  std::cout << to_json_text(o) << std::endl;
}

double rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  return 0;
}

HttpRequest multipart(const std::string& name, const std::string& content) {
  const std::string boundary = "comptoirbench" + random_hex_id();
  HttpRequest req{bhttp::verb::post, "/api/upload", 11};
  req.set(bhttp::field::host, "bench");
  req.set(bhttp::field::content_type, "multipart/form-data; boundary=" + boundary);
  std::string body = "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
                     "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
  body += content;
  body += "\r\n--" + boundary + "--\r\n";
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

// Streams a GET to nowhere, counting bytes and lines (the CSV rows).
struct Download {
  uint64_t bytes = 0, lines = 0;
  long status = 0;
};
size_t count_bytes(char* data, size_t, size_t n, void* user) {
  auto* d = static_cast<Download*>(user);
  d->bytes += n;
  for (size_t i = 0; i < n; ++i) d->lines += data[i] == '\n';
  return n;
}
Download download(uint16_t port, const std::string& target) {
  Download d;
  CURL* curl = curl_easy_init();
  std::string url = fmt::format("http://127.0.0.1:{}{}", port, target);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, count_bytes);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &d);
  curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &d.status);
  curl_easy_cleanup(curl);
  return d;
}

void report(const std::string& backend, const std::string& op, const LoadResult& r,
            double goal_ms) {
  uint64_t ok = 0;
  for (const auto& [status, n] : r.statuses) ok += status < 400 ? n : 0;
  print({{"bench", "api"},
         {"backend", backend},
         {"op", op},
         {"requests", r.requests},
         {"ok", ok},
         {"p50_ms", std::round(r.p50_ms * 1000) / 1000},
         {"p99_ms", std::round(r.p99_ms * 1000) / 1000},
         {"goal_p50_ms", goal_ms}});
}

}  // namespace

int run_api_scenario(int argc, char** argv) {
  CLI::App app{"comptoir-bench api: search, dashboard, results and export over HTTP"};
  std::string backend = "embedded", es_url;
  int64_t logs = 1000000, sales = 1000000;
  int runs = 50;
  std::string keep_dir, ops_list;
  app.add_option("--dir", keep_dir, "data directory to keep and reuse between runs");
  app.add_option("--ops", ops_list, "comma list of search,dashboard,results,export_10k,export_all");
  app.add_option("--backend", backend, "embedded or es")->check(CLI::IsMember({"embedded", "es"}));
  app.add_option("--es", es_url, "cluster URL for --backend es");
  app.add_option("--logs", logs, "log events to load");
  app.add_option("--sales", sales, "sales lines to load");
  app.add_option("--runs", runs, "requests per latency measurement");
  CLI11_PARSE(app, argc, argv);
  if (backend == "es" && es_url.empty()) {
    std::cerr << "--backend es needs --es URL\n";
    return 2;
  }
  init_logging(LogFormat::kText, "warn");
  const auto dir = keep_dir.empty() ? std::filesystem::temp_directory_path() /
                                          ("comptoir-bench-api-" + random_hex_id())
                                    : std::filesystem::path(keep_dir);
  auto wanted = [&](std::string_view op) {
    return ops_list.empty() ||
           ("," + ops_list + ",").find(fmt::format(",{},", op)) != std::string::npos;
  };
  // A kept directory remembers when its generated data starts.
  const auto loaded_marker = dir / "bench-loaded.txt";
  int64_t reused_start = 0, reused_logs = 0;
  if (!keep_dir.empty()) {
    std::ifstream in(loaded_marker);
    in >> reused_start >> reused_logs;
  }
  StringMap settings{{"COMPTOIR_DATA_DIR", (dir / "data").string()},
                     {"UPLOAD_FOLDER", (dir / "uploads").string()},
                     {"COMPTOIR_CACHE_TTL", "0"},
                     {"MAX_CONTENT_LENGTH", std::to_string(64 << 20)}};
  if (backend == "es") {
    settings["ELASTICSEARCH_HOST"] = es_url;
    settings["COMPTOIR_ES_INDEX_PREFIX"] = "bench-" + random_hex_id() + "-";
  }
  int rc = 0;
  {
    InProcessServer server(settings);
    const uint16_t port = server.port();
    // Load logs and sales through the upload endpoint.
    engine::bench::LogGenerator gen(42, 5000);
    const int64_t start = reused_start != 0 ? reused_start : now_ms() - kSpan;
    if (reused_start != 0) sales = 0;
    const int64_t to_load = reused_start != 0 ? 0 : logs;
    if (reused_start != 0) logs = reused_logs;
    auto t0 = std::chrono::steady_clock::now();
    int64_t loaded = 0;
    int part = 0;
    std::string chunk;
    auto flush = [&](const std::string& name) {
      std::string body;
      unsigned status = http_call(port, multipart(name, chunk), &body);
      if (status != 200) {
        std::cerr << name << ": " << status << " " << body.substr(0, 300) << "\n";
        rc = 1;
      }
      chunk.clear();
    };
    for (int64_t i = 0; i < to_load; ++i) {
      chunk += gen.next(start + i * (kSpan / logs));
      chunk += '\n';
      if (chunk.size() > (32u << 20)) flush(fmt::format("logs-{}.ndjson", part++));
    }
    if (!chunk.empty()) flush(fmt::format("logs-{}.ndjson", part++));
    loaded += to_load;
    std::mt19937 rng(7);
    static const char* kCountries[] = {"United Kingdom", "France",      "Germany", "EIRE",
                                       "Spain",          "Netherlands", "Belgium", "Portugal"};
    chunk = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
    for (int64_t i = 0; i < sales; ++i) {
      int64_t minutes = i * (365 * 24 * 60) / std::max<int64_t>(sales, 1);
      int64_t day = minutes / (24 * 60);
      chunk += fmt::format("{},{},PRODUCT {},{},{}/{}/2011 {}:{:02},{:.2f},{},{}\n",
                           536365 + i / 20, 10000 + rng() % 4000, rng() % 4000, 1 + rng() % 24,
                           1 + (day / 31) % 12, 1 + day % 28, (minutes / 60) % 24, minutes % 60,
                           0.5 + double(rng() % 2000) / 100.0, 12346 + rng() % 4000,
                           kCountries[rng() % 8]);
      if (chunk.size() > (32u << 20)) {
        flush(fmt::format("sales-{}.csv", part++));
        chunk =
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,"
            "Country\n";
      }
    }
    if (chunk.find('\n') + 1 < chunk.size()) flush(fmt::format("sales-{}.csv", part++));
    loaded += sales;
    if (!keep_dir.empty() && reused_start == 0)
      std::ofstream(loaded_marker) << start << ' ' << logs;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    print({{"bench", "api"},
           {"backend", backend},
           {"op", "ingest"},
           {"documents", loaded},
           {"seconds", secs},
           {"documents_per_s", std::round(double(loaded) / secs)}});

    auto post_search = [](std::string body) {
      HttpRequest req{bhttp::verb::post, "/api/search", 11};
      req.set(bhttp::field::host, "bench");
      req.set(bhttp::field::content_type, "application/json");
      req.body() = std::move(body);
      req.prepare_payload();
      return req;
    };
    auto get = [](std::string target) {
      HttpRequest req{bhttp::verb::get, target, 11};
      req.set(bhttp::field::host, "bench");
      return req;
    };
    const std::vector<std::string> searches = {
        R"({"query":"timeout"})",
        R"({"level":"ERROR","service":"payment-service","size":25})",
        R"({"query":"payment declined","start_date":")" +
            engine::format_date_iso(start + 20 * 86400000LL).substr(0, 10) + R"(","end_date":")" +
            engine::format_date_iso(start + 21 * 86400000LL).substr(0, 10) + R"("})",
        R"({"level":"warning","page":5,"size":50})",
    };
    if (wanted("search")) {
      report(backend, "search",
             run_sequential(
                 port, [&](uint64_t n) { return post_search(searches[n % searches.size()]); },
                 static_cast<uint64_t>(runs) * searches.size()),
             5);
      // Each of the four alone, to see which one costs.
      static const char* kSearchNames[] = {"search.word", "search.level_service",
                                           "search.words_day", "search.page"};
      for (size_t q = 0; q < searches.size(); ++q) {
        report(backend, kSearchNames[q],
               run_sequential(
                   port, [&](uint64_t) { return post_search(searches[q]); }, runs),
               5);
      }
    }
    if (wanted("dashboard")) {
      report(backend, "dashboard",
             run_sequential(
                 port, [&](uint64_t) { return get("/api/dashboard"); }, runs),
             30);
    }
    if (wanted("results")) {
      report(backend, "results",
             run_sequential(
                 port, [&](uint64_t) { return get("/api/results"); }, runs),
             50);
    }
    // About 10,000 rows: a 7.2-hour window of a 30-day log at 1M events.
    const int64_t window_ms = kSpan * 10000 / std::max<int64_t>(logs, 10000);
    const int64_t from_ms = start + 10 * 86400000LL;
    const std::string from = engine::format_date_iso(from_ms);
    const std::string to_time = engine::format_date_iso(from_ms + window_ms - 1);
    if (wanted("export_10k")) {
      std::vector<double> ms;
      uint64_t rows = 0;
      for (int i = 0; i < std::max(3, runs / 5); ++i) {
        auto e0 = std::chrono::steady_clock::now();
        Download d = download(port, "/api/export/csv?start_date=" + from + "&end_date=" + to_time);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - e0)
                .count());
        rows = d.lines - 1;
        if (d.status != 200) rc = 1;
      }
      std::sort(ms.begin(), ms.end());
      print({{"bench", "api"},
             {"backend", backend},
             {"op", "export_10k"},
             {"rows", rows},
             {"p50_ms", ms[ms.size() / 2]},
             {"goal_p50_ms", 50}});
    }
    if (wanted("export_all")) {
      const double rss_before = rss_mb();
      auto e0 = std::chrono::steady_clock::now();
      Download all = download(port, "/api/export/csv");
      double secs_all =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
      print({{"bench", "api"},
             {"backend", backend},
             {"op", "export_all"},
             {"status", all.status},
             {"rows", all.lines - 1},
             {"bytes", all.bytes},
             {"seconds", secs_all},
             {"rows_per_s", std::round(double(all.lines - 1) / secs_all)},
             {"rss_before_mb", std::round(rss_before)},
             {"rss_after_mb", std::round(rss_mb())},
             {"goal_rows_per_s", 500000}});
    }
  }
  std::error_code ec;
  if (keep_dir.empty()) std::filesystem::remove_all(dir, ec);
  return rc;
}

}  // namespace comptoir::bench
