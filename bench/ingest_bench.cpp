// Parser throughput micro benchmarks (bytes/s as MB/s): parse_file on generated
// CSV (logs and sales), NDJSON and text logs of a few MB, on the real access log
// of shared/data when present, and the bare CSV tokenizer for comparison. The
// sink only counts, so the figures are parsing + normalisation + document building.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "ingest/csv_reader.h"
#include "ingest/ingest.h"

namespace comptoir::ingest {
namespace {

constexpr size_t kTargetBytes = 8 * 1024 * 1024;

class CountingSink : public DocumentSink {
 public:
  Status on_document(const Destination&, boost::json::object&& doc) override {
    fields += doc.size();
    ++documents;
    return {};
  }
  uint64_t documents = 0;
  uint64_t fields = 0;
};

const char* kLevels[] = {"INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"};
const char* kServices[] = {"payment-service", "cart-service", "auth-service", "catalog"};

template <typename Row>
std::string generate(std::string header, Row row) {
  std::mt19937 rng(42);
  std::string out = std::move(header);
  for (int i = 0; out.size() < kTargetBytes; ++i) out += row(rng, i);
  return out;
}

std::string time_of(int i) {
  return fmt::format("2025-12-23T{:02}:{:02}:{:02}.{:03}Z", i / 3600000 % 24, i / 60000 % 60,
                     i / 1000 % 60, i % 1000);
}

const std::string& csv_logs() {
  static const std::string s =
      generate("timestamp,level,service,message,user,ip,duration\n", [](std::mt19937& r, int i) {
        return fmt::format("{},{},{},\"Request {} handled, cart updated\",user{},10.0.{}.{},{}\n",
                           time_of(i), kLevels[r() % 6], kServices[r() % 4], i, r() % 1000,
                           r() % 256, r() % 256, r() % 900);
      });
  return s;
}

const std::string& csv_sales() {
  static const std::string s = generate(
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n",
      [](std::mt19937& r, int i) {
        return fmt::format(
            "{}{},{}A,WHITE HANGING HEART T-LIGHT HOLDER,{},12/{}/2010 8:{:02},{}.{:02},"
            "{}.0,United Kingdom\n",
            r() % 50 == 0 ? "C" : "", 536365 + i / 5, 85123 + r() % 100, 1 + r() % 24, 1 + i % 28,
            i % 60, r() % 20, r() % 100, 12000 + r() % 6000);
      });
  return s;
}

const std::string& ndjson_logs() {
  static const std::string s = generate("", [](std::mt19937& r, int i) {
    return fmt::format(
        "{{\"@timestamp\":\"{}\",\"level\":\"{}\",\"service\":\"{}\",\"message\":\"Request {} "
        "handled\",\"user_id\":\"user{}\",\"http\":{{\"status\":{},\"duration_ms\":{}}}}}\n",
        time_of(i), kLevels[r() % 6], kServices[r() % 4], i, r() % 1000, 200 + r() % 4 * 100,
        r() % 900);
  });
  return s;
}

const std::string& text_logs() {
  static const std::string s = generate("", [](std::mt19937& r, int i) {
    return fmt::format("[2025-12-23T{:02}:{:02}:{:02}] [{}] [{}] Request {} handled for user{}\n",
                       i / 3600 % 24, i / 60 % 60, i % 60, kLevels[r() % 6], kServices[r() % 4], i,
                       r() % 1000);
  });
  return s;
}

const std::string& access_logs() {
  static const std::string s = generate("", [](std::mt19937& r, int i) {
    return fmt::format(
        "10.0.{}.{} - - [23/Dec/2025:{:02}:{:02}:{:02} +0000] \"GET /products/{}?page={} "
        "HTTP/1.1\" {} {} \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n",
        r() % 256, r() % 256, i / 3600 % 24, i / 60 % 60, i % 60, r() % 5000, r() % 10,
        r() % 20 == 0 ? 404 : 200, r() % 50000);
  });
  return s;
}

void run_parse(benchmark::State& state, const std::string& bytes, const char* filename) {
  IngestOptions options;
  options.source_file = filename;
  uint64_t docs = 0;
  for (auto _ : state) {
    CountingSink sink;
    auto r = parse_file(bytes, options, sink);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    docs += sink.documents;
    benchmark::DoNotOptimize(sink.fields);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["docs/s"] =
      benchmark::Counter(static_cast<double>(docs), benchmark::Counter::kIsRate);
}

void BM_IngestCsvLogs(benchmark::State& s) {
  run_parse(s, csv_logs(), "logs.csv");
}
void BM_IngestCsvSales(benchmark::State& s) {
  run_parse(s, csv_sales(), "sales.csv");
}
void BM_IngestNdjson(benchmark::State& s) {
  run_parse(s, ndjson_logs(), "logs.ndjson");
}
void BM_IngestTextPlatform(benchmark::State& s) {
  run_parse(s, text_logs(), "app.log");
}
void BM_IngestTextAccessLog(benchmark::State& s) {
  run_parse(s, access_logs(), "access.log");
}

void BM_IngestRealApacheAccessLog(benchmark::State& state) {
  const char* env = std::getenv("COMPTOIR_SHARED_DATA");
  const std::filesystem::path dir =
      env ? env
          : std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() /
                "shared/data";
  std::ifstream in(dir / "web_access_logs/apache_logs.log", std::ios::binary);
  if (!in) {
    state.SkipWithError("shared/data/web_access_logs/apache_logs.log not found");
    return;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  run_parse(state, ss.str(), "apache_logs.log");
}

// The RFC 4180 tokenizer alone: the ceiling for CSV.
void BM_IngestCsvTokenizer(benchmark::State& state) {
  const std::string& bytes = csv_logs();
  for (auto _ : state) {
    CsvReader reader(bytes, ',');
    CsvRecord rec;
    size_t fields = 0;
    while (reader.next(rec) != CsvReader::Status::kEnd) fields += rec.fields.size();
    benchmark::DoNotOptimize(fields);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

BENCHMARK(BM_IngestCsvLogs)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestCsvSales)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestNdjson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestTextPlatform)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestTextAccessLog)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestRealApacheAccessLog)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestCsvTokenizer)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace comptoir::ingest
