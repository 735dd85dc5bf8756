// Engine benchmarks. Micro benchmarks (Google Benchmark): analyzer paths, bulk indexing.
// Scenario `comptoir-bench engine [--docs N] [--dir PATH] [--runs R] [--keep] [--reuse]`
// (run_engine_scenario): generated log documents shaped like the specification's logs; prints one
// JSON object per line: ingest docs/s, index bytes / raw JSON bytes, p50/p99 query latencies, open
// time and peak RSS.
// `--reuse` queries the index an earlier `--keep` run left in --dir (same --docs); `--query
// NAME` runs one of the queries alone; `--refresh-ms N` sets the refresh interval.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cpu_time.h"
#include "engine/analysis/standard_analyzer.h"
#include "engine/dsl/search_request.h"
#include "engine/index/index.h"
#include "engine/index/segment_writer.h"
#include "engine/schema/date_format.h"
#include "log_generator.h"
#include "scenarios.h"

namespace comptoir::engine::bench {

namespace fs = std::filesystem;
namespace json = boost::json;
using ::comptoir::bench::process_cpu_seconds;
using ::comptoir::bench::thread_cpu_seconds;

Mapping log_mapping() {
  auto m = parse_mapping(json::parse(R"({"properties":{"@timestamp":{"type":"date"},
    "Level":{"type":"keyword"},"Service":{"type":"keyword"},
    "Message":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
    "User":{"type":"keyword"},"IP":{"type":"ip"},"Duration":{"type":"long"}}})"));
  return *m;
}

void print_line(const json::object& o) {
  std::cout << json::serialize(o) << std::endl;
}

uint64_t dir_bytes(const fs::path& dir) {
  uint64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

int run_engine_bench(int argc, char** argv) {
  int64_t docs = 1000000;
  int runs = 50;
  bool keep = false;
  std::string only_query;  // --query NAME: that query alone
  // --refresh-ms N: the background refresh interval set explicitly (0: none, one segment
  // per flush), which also keeps the index from going search-idle, as in Elasticsearch;
  // profilers that slow the run down keep segments the size a real run makes. Without
  // it, the index has the default settings: a 1 s refresh until no search has read it
  // for 30 s.
  std::optional<int64_t> refresh_ms;
  fs::path dir = fs::temp_directory_path() / "comptoir-engine-bench";
  for (int i = 0; i + 1 < argc; ++i) {
    std::string a = argv[i];
    if (a == "--docs") docs = std::atoll(argv[i + 1]);
    if (a == "--dir") dir = argv[i + 1];
    if (a == "--runs") runs = std::atoi(argv[i + 1]);
    if (a == "--query") only_query = argv[i + 1];
    if (a == "--refresh-ms") refresh_ms = std::atoll(argv[i + 1]);
  }
  bool reuse = false;  // --reuse: query the index a --keep run left in --dir
  for (int i = 0; i < argc; ++i) {
    keep = keep || std::string(argv[i]) == "--keep" || std::string(argv[i]) == "--reuse";
    reuse = reuse || std::string(argv[i]) == "--reuse";
  }
  std::error_code ec;
  reuse = reuse && fs::exists(dir / "MANIFEST");
  if (!reuse) fs::remove_all(dir, ec);
  const int64_t start_ts = 1766448000000;                               // 2025-12-23T00:00:00Z
  const int64_t step_ms = std::max<int64_t>(1, 7 * 86400000LL / docs);  // a week of logs
  IndexSettings settings;  // defaults: 1 s refresh, search idle, background flush and merge
  if (refresh_ms) {
    settings.refresh_interval = std::chrono::milliseconds(*refresh_ms);
    settings.search_idle_after = std::chrono::milliseconds(0);
  }
  uint64_t raw_bytes = 0;
  double ingest_s = 0, ingest_cpu_s = 0, merge_s = 0;
  size_t merged_segments = 0;
  if (!reuse) {
    auto idx = Index::create("bench-logs", dir, log_mapping(), settings);
    if (!idx) {
      std::cerr << idx.error().message << "\n";
      return 1;
    }
    LogGenerator gen(42);
    const int64_t batch_size = 5000;
    std::vector<BulkItem> batch;
    double gen_s = 0, gen_cpu_s = 0;
    auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = process_cpu_seconds();
    for (int64_t i = 0; i < docs;) {
      auto g0 = std::chrono::steady_clock::now();
      const double gc0 = thread_cpu_seconds();
      batch.clear();
      for (int64_t k = 0; k < batch_size && i < docs; ++k, ++i) {
        BulkItem item;
        item.source = gen.next(start_ts + i * step_ms);
        // With the spare capacity the server's sources have (SearchBackend::kSourceSlack),
        // the parser reads them in place instead of copying each one to padded memory.
        item.source.reserve(item.source.size() + DocumentParser::kPadding);
        raw_bytes += item.source.size();
        batch.push_back(std::move(item));
      }
      gen_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
      gen_cpu_s += thread_cpu_seconds() - gc0;
      auto r = (*idx)->bulk(batch);
      if (!r || r->errors) {
        std::cerr << "bulk failed\n";
        return 1;
      }
    }
    if (!(*idx)->flush().ok()) return 1;
    ingest_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() - gen_s;
    // Every thread's CPU time (indexing, parsing ahead, background refreshes, flushes and
    // merges), without the generator's: docs per CPU second is the one-core throughput.
    ingest_cpu_s = process_cpu_seconds() - cpu0 - gen_cpu_s;
    // Merges still owed when the last batch is in (the background merge thread lags a
    // fast ingest): settled here, timed on their own line, so that queries run on a
    // merged index as they would some seconds after an ingest.
    const auto m0 = std::chrono::steady_clock::now();
    if (!(*idx)->merge(false).ok()) return 1;
    merge_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m0).count();
    merged_segments = (*idx)->stats().segments;
    if (!(*idx)->close().ok()) return 1;
  }
  uint64_t index_bytes = dir_bytes(dir);
  if (!reuse) {
    print_line({{"bench", "engine.ingest"},
                {"docs", docs},
                {"seconds", ingest_s},
                {"docs_per_s", double(docs) / ingest_s},
                {"cpu_seconds", ingest_cpu_s},
                {"docs_per_cpu_s", double(docs) / ingest_cpu_s},
                {"goal_docs_per_cpu_s", 200000},
                {"refresh_interval_ms", settings.refresh_interval.count()},
                {"search_idle_after_ms", settings.search_idle_after.count()}});
    print_line({{"bench", "engine.merge_settle"},
                {"docs", docs},
                {"seconds", merge_s},
                {"segments", merged_segments}});
    print_line({{"bench", "engine.size"},
                {"docs", docs},
                {"raw_json_bytes", raw_bytes},
                {"index_bytes", index_bytes},
                {"ratio", double(index_bytes) / double(raw_bytes)},
                {"goal_ratio", 0.5}});
  }
  IndexSettings reopen = settings;
  reopen.background_merge = false;
  auto t0 = std::chrono::steady_clock::now();
  auto idx = Index::open("bench-logs", dir, reopen);
  double open_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!idx) {
    std::cerr << idx.error().message << "\n";
    return 1;
  }
  print_line({{"bench", "engine.open"},
              {"docs", docs},
              {"seconds", open_s},
              {"segments", (*idx)->stats().segments},
              {"goal_seconds", 1.0}});
  const std::string mid = format_date_iso(start_ts + docs / 2 * step_ms);
  // One whole message of the first document: a term of Message.keyword, the largest
  // dictionary (nearly one term per document), found in one segment, absent from the others.
  const std::string first_message = [&] {
    LogGenerator gen(42);
    return std::string(json::parse(gen.next(start_ts)).at("Message").as_string());
  }();
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"full_text_term", R"({"query":{"match":{"Message":"timeout"}}})"},
      {"substring_wildcard", R"({"query":{"wildcard":{"Message":"*imeo*"}}})"},
      {"level_service_filter",
       R"({"query":{"bool":{"filter":[{"term":{"Level":"ERROR"}},{"term":{"Service":"payment-service"}}]}}})"},
      {"date_range_sort_desc",
       R"({"size":25,"sort":[{"@timestamp":"desc"}],"query":{"range":{"@timestamp":{"gte":")" +
           mid + R"(","lt":"now"}}}})"},
      {"page_400", R"({"from":9975,"size":25,"sort":[{"@timestamp":"desc"}]})"},
      {"keyword_term", R"({"query":{"term":{"Message.keyword":")" + first_message + R"("}}})"},
  };
  for (const auto& [name, body] : queries) {
    if (!only_query.empty() && name != only_query) continue;
    auto req = parse_es_json(body);
    if (!req) {
      std::cerr << name << ": " << req.error().message << "\n";
      return 1;
    }
    std::vector<double> ms;
    int64_t hits = 0;
    for (int r = 0; r < runs; ++r) {
      auto q0 = std::chrono::steady_clock::now();
      auto resp = (*idx)->search(*req);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - q0).count());
      if (!resp) {
        std::cerr << name << ": " << resp.error().message << "\n";
        return 1;
      }
      hits = resp->total ? resp->total->value : 0;
    }
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) {
      return ms[std::min(ms.size() - 1, static_cast<size_t>(p * double(ms.size())))];
    };
    print_line({{"bench", "engine.query"},
                {"query", name},
                {"docs", docs},
                {"total_hits", hits},
                {"p50_ms", pct(0.50)},
                {"p99_ms", pct(0.99)},
                {"runs", runs}});
  }
  struct rusage ru;
  ::getrusage(RUSAGE_SELF, &ru);
  print_line({{"bench", "engine.memory"},
              {"docs", docs},
              {"peak_rss_bytes", int64_t(ru.ru_maxrss) * 1024}});
  (void)(*idx)->close();
  if (!keep) fs::remove_all(dir, ec);
  return 0;
}

// ---- micro benchmarks ---------------------------------------------------------------

void BM_AnalyzerAscii(benchmark::State& state) {
  std::string text =
      "[2025-12-23T10:30:00] [ERROR] [payment-service] Payment failed for user123: card declined";
  TokenBuffer buf;
  for (auto _ : state) {
    buf.clear();
    StandardAnalyzer::analyze(text, buf);
    benchmark::DoNotOptimize(buf.size());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}
BENCHMARK(BM_AnalyzerAscii);

void BM_AnalyzerIcu(benchmark::State& state) {
  std::string text = "Paiement refusé pour l'utilisateur 123 : carte déclinée — 支付失败";
  TokenBuffer buf;
  for (auto _ : state) {
    buf.clear();
    StandardAnalyzer::analyze(text, buf);
    benchmark::DoNotOptimize(buf.size());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}
BENCHMARK(BM_AnalyzerIcu);

void BM_BulkInMemory(benchmark::State& state) {
  LogGenerator gen(7);
  std::vector<BulkItem> batch(static_cast<size_t>(state.range(0)));
  for (size_t i = 0; i < batch.size(); ++i) batch[i].source = gen.next(1766448000000 + int64_t(i));
  IndexSettings s;
  s.refresh_interval = std::chrono::milliseconds(0);
  for (auto _ : state) {
    auto idx = Index::create_in_memory("bench", log_mapping(), s);
    auto r = (*idx)->bulk(batch);
    benchmark::DoNotOptimize(r.ok());
    benchmark::DoNotOptimize((*idx)->refresh().ok());
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(batch.size()));
}
BENCHMARK(BM_BulkInMemory)->Arg(1000)->Arg(10000);

// The dictionary of a keyword field with one value per document (Message.keyword, range(0)
// documents), written plain (range(1) == 0) or block-compressed: the cost compression adds to
// a refresh (SegmentBuilder::finish) of that many documents.
void BM_WriteMessageTerms(benchmark::State& state) {
  LogGenerator gen(11);
  std::vector<std::string> messages;
  for (int64_t i = 0; i < state.range(0); ++i)
    messages.emplace_back(json::parse(gen.next(1766448000000 + i)).at("Message").as_string());
  std::sort(messages.begin(), messages.end());
  messages.erase(std::unique(messages.begin(), messages.end()), messages.end());
  const std::vector<std::string_view> terms(messages.begin(), messages.end());
  size_t bytes = 0;
  for (auto _ : state) {
    SegmentWriter w(SegmentWriterOptions{.compress_terms = state.range(1) != 0});
    json::object m;
    std::vector<uint32_t> docs(terms.size());  // term i in doc i
    std::vector<uint64_t> starts(terms.size() + 1);
    std::iota(docs.begin(), docs.end(), 0u);
    std::iota(starts.begin(), starts.end(), uint64_t{0});
    w.write_terms(m, terms, false, PostingsTable{docs, {}, starts});
    w.add_field(std::move(m));
    StoredFieldsWriter stored;
    bytes = w.finish(0, stored).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes_per_term"] = double(bytes) / double(terms.size());
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(terms.size()));
}
BENCHMARK(BM_WriteMessageTerms)->ArgsProduct({{10000, 100000}, {0, 1}});

}  // namespace comptoir::engine::bench

namespace comptoir::bench {
// `comptoir-bench engine ...`, dispatched by bench_main.cpp (declared in scenarios.h).
int run_engine_scenario(int argc, char** argv) {
  return comptoir::engine::bench::run_engine_bench(argc, argv);
}
}  // namespace comptoir::bench
