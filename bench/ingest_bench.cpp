// Parser throughput micro benchmarks (bytes/s as MB/s): parse_file on generated
// CSV (logs and sales), NDJSON and text logs of a few MB, on the real access log
// of shared/data when present, and the bare CSV tokenizer for comparison (inputs
// from ingest_inputs.h). The sink only counts, so the figures are parsing,
// normalisation and writing each document's JSON text.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/csv_reader.h"
#include "ingest/ingest.h"
#include "ingest_inputs.h"

namespace comptoir::ingest {
namespace {

constexpr size_t kTargetBytes = 8 * 1024 * 1024;

class CountingSink : public DocumentSink {
 public:
  Status on_document(const Destination&, std::string_view json_text) override {
    fields += json_text.size();
    ++documents;
    return {};
  }
  uint64_t documents = 0;
  uint64_t fields = 0;
};

const std::string& csv_logs() {
  static const std::string s = bench::generate_csv_logs(kTargetBytes);
  return s;
}
const std::string& csv_sales() {
  static const std::string s = bench::generate_csv_sales(kTargetBytes);
  return s;
}
const std::string& ndjson_logs() {
  static const std::string s = bench::generate_ndjson_logs(kTargetBytes);
  return s;
}
const std::string& text_logs() {
  static const std::string s = bench::generate_text_logs(kTargetBytes);
  return s;
}
const std::string& access_logs() {
  static const std::string s = bench::generate_access_logs(kTargetBytes);
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
