// `comptoir-bench ingest [--runs N] [--parse-mib N]`: the ingestion figures of the
// upload pipeline, one JSON object per line on stdout.
//   parse   parse_file on generated inputs (CSV logs, CSV sales, NDJSON, platform
//           text logs, access logs) into the JSON text the index receives: CPU time
//           of one thread, median of N runs, as MiB/s and documents/s;
//   upload  POST /api/upload (multipart) of a generated 1 MiB and 16 MiB CSV log
//           file to an in-process server with a fresh data directory, each upload
//           a different file (no SHA-256 dedupe); wall-clock time from the first
//           byte sent to the last byte of the answer, median of N runs.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <vector>

#include "cpu_time.h"
#include "http_load.h"
#include "in_process_server.h"
#include "ingest/ingest.h"
#include "ingest_inputs.h"
#include "scenarios.h"
#include "util/json_text.h"
#include "util/log.h"
#include "util/random_id.h"

namespace comptoir::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double round3(double v) {
  return std::round(v * 1000) / 1000;
}

// Keeps the JSON text of each document in one reused buffer, as the upload's sink
// keeps it for the bulk request.
class TextSink : public ingest::DocumentSink {
 public:
  Status on_document(const ingest::Destination&, std::string_view json_text) override {
    buffer.assign(json_text);
    bytes += buffer.size();
    ++documents;
    return {};
  }
  std::string buffer;
  uint64_t bytes = 0;
  uint64_t documents = 0;
};

void measure_parse(std::string_view input_name, std::string_view format, const std::string& bytes,
                   const char* filename, int runs) {
  ingest::IngestOptions options;
  options.source_file = filename;
  std::vector<double> seconds;
  uint64_t documents = 0;
  for (int i = 0; i < runs; ++i) {
    TextSink sink;
    const double t0 = thread_cpu_seconds();
    auto summary = ingest::parse_file(bytes, options, sink);
    seconds.push_back(thread_cpu_seconds() - t0);
    if (!summary.ok()) {
      std::cerr << "parse failed: " << summary.error().message << "\n";
      std::exit(1);
    }
    documents = sink.documents;
  }
  const double s = median(seconds);
  std::cout << to_json_text(boost::json::object{
                   {"bench", "ingest"},
                   {"op", "parse"},
                   {"format", format},
                   {"input", input_name},
                   {"mib", round3(static_cast<double>(bytes.size()) / kMiB)},
                   {"runs", runs},
                   {"documents", documents},
                   {"cpu_ms_p50", round3(s * 1000)},
                   {"mib_per_s", std::round(static_cast<double>(bytes.size()) / kMiB / s)},
                   {"docs_per_s", std::round(static_cast<double>(documents) / s)}})
            << std::endl;
}

HttpRequest multipart_upload(const std::string& filename, const std::string& content) {
  const std::string boundary = "comptoir-bench-" + random_hex_id();
  HttpRequest req{bhttp::verb::post, "/api/upload", 11};
  req.set(bhttp::field::host, "bench");
  req.set(bhttp::field::content_type, "multipart/form-data; boundary=" + boundary);
  std::string& body = req.body();
  body.reserve(content.size() + 512);
  body += fmt::format(
      "--{}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\n"
      "Content-Type: text/csv\r\n\r\n",
      boundary, filename);
  body += content;
  body += fmt::format("\r\n--{}--\r\n", boundary);
  req.prepare_payload();
  return req;
}

struct Timed {
  unsigned status = 0;
  std::string body;
  double ms = 0;
};

// Connects first, then times writing the request and reading the whole answer.
Timed timed_call(uint16_t port, HttpRequest& request) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  const auto t0 = std::chrono::steady_clock::now();
  bhttp::write(stream, request);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buffer, res);
  Timed t;
  t.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  t.status = res.result_int();
  t.body = std::move(res.body());
  return t;
}

void measure_upload(InProcessServer& server, size_t file_bytes, int runs, uint32_t& salt) {
  if (runs <= 0) return;  // not asked for
  std::vector<double> wall_ms, server_ms, cpu_ms;
  uint64_t documents = 0;
  for (int i = 0; i <= runs; ++i) {  // run 0 warms up (index creation) and is not counted
    const std::string content = generate_csv_logs(file_bytes, ++salt);
    HttpRequest req = multipart_upload(fmt::format("bench-{}.csv", salt), content);
    // The process's CPU time: the server's threads (and the client's, small) during the
    // call, plus background work earlier uploads left (merges): a steadier figure than
    // the latency on a noisy machine.
    const double cpu_before = process_cpu_seconds();
    const Timed t = timed_call(server.port(), req);
    const double cpu_after = process_cpu_seconds();
    boost::system::error_code ec;
    const boost::json::value answer = boost::json::parse(t.body, ec);
    if (t.status != 200 || ec || !answer.is_object() ||
        answer.at("documents_indexed").to_number<uint64_t>() == 0) {
      std::cerr << "upload failed: HTTP " << t.status << " " << t.body.substr(0, 500) << "\n";
      std::exit(1);
    }
    if (i == 0) continue;
    wall_ms.push_back(t.ms);
    server_ms.push_back(answer.at("took_ms").to_number<double>());
    cpu_ms.push_back((cpu_after - cpu_before) * 1000);
    documents = answer.at("documents_indexed").to_number<uint64_t>();
  }
  const double p50 = median(wall_ms);
  std::cout << to_json_text(boost::json::object{
                   {"bench", "ingest"},
                   {"op", "upload"},
                   {"format", "csv"},
                   {"mib", round3(static_cast<double>(file_bytes) / kMiB)},
                   {"runs", runs},
                   {"documents", documents},
                   {"p50_ms", round3(p50)},
                   {"min_ms", round3(*std::min_element(wall_ms.begin(), wall_ms.end()))},
                   {"max_ms", round3(*std::max_element(wall_ms.begin(), wall_ms.end()))},
                   {"server_took_ms_p50", round3(median(server_ms))},
                   {"cpu_ms_p50", round3(median(cpu_ms))},
                   {"mib_per_s", round3(static_cast<double>(file_bytes) / kMiB / (p50 / 1000))}})
            << std::endl;
}

}  // namespace

int run_ingest_scenario(int argc, char** argv) {
  CLI::App app{"comptoir-bench ingest: parser throughput and uploads over HTTP"};
  int runs = 7;
  int upload_runs = 9;
  int big_upload_runs = 5;
  double parse_mib = 8;
  bool skip_upload = false;
  app.add_option("--runs", runs, "parse runs per input (median)");
  app.add_option("--upload-runs", upload_runs, "1 MiB uploads (median)");
  app.add_option("--big-upload-runs", big_upload_runs, "16 MiB uploads (median)");
  app.add_option("--parse-mib", parse_mib, "size of each parser input");
  app.add_flag("--no-upload", skip_upload, "parser throughput only");
  CLI11_PARSE(app, argc, argv);
  // Access log and upload info lines (with their phases) go to stderr; COMPTOIR_LOG_LEVEL
  // =info shows them.
  const char* level = std::getenv("COMPTOIR_LOG_LEVEL");
  init_logging(LogFormat::kText, level != nullptr ? level : "warn");

  const auto parse_bytes = static_cast<size_t>(parse_mib * kMiB);
  measure_parse("csv_logs", "csv", generate_csv_logs(parse_bytes), "logs.csv", runs);
  measure_parse("csv_sales", "csv", generate_csv_sales(parse_bytes), "sales.csv", runs);
  measure_parse("ndjson_logs", "ndjson", generate_ndjson_logs(parse_bytes), "logs.ndjson", runs);
  measure_parse("text_platform", "text", generate_text_logs(parse_bytes), "app.log", runs);
  measure_parse("text_access_log", "text", generate_access_logs(parse_bytes), "access.log", runs);
  if (skip_upload) return 0;

  const auto dir = std::filesystem::temp_directory_path() / ("comptoir-bench-" + random_hex_id());
  {
    // 16 MiB of file plus the multipart framing is just over the default limit.
    InProcessServer server({{"COMPTOIR_DATA_DIR", dir.string()},
                            {"COMPTOIR_THREADS", "2"},
                            {"MAX_CONTENT_LENGTH", std::to_string(17 * 1024 * 1024)}});
    uint32_t salt = 0;
    measure_upload(server, 1024 * 1024, upload_runs, salt);
    measure_upload(server, 16 * 1024 * 1024, big_upload_runs, salt);
  }
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace comptoir::bench
