// comptoir-bench: `comptoir-bench [Google Benchmark flags]` runs the micro
// benchmarks; `comptoir-bench store|engine|aggs|api|ingest ...` runs an end-to-end scenario
// (scenarios.h).
#include <benchmark/benchmark.h>

#include <cstring>

#include "scenarios.h"
#include "util/allocator.h"

int main(int argc, char** argv) {
  // The server's malloc settings (src/main.cpp): the in-process servers measured here
  // allocate as the real one does.
  comptoir::restart_with_huge_pages(argv);
  comptoir::tune_allocator();
  if (argc > 1 && std::strcmp(argv[1], "store") == 0) {
    return comptoir::bench::run_store_scenario(argc - 1, argv + 1);
  }
  if (argc > 1 && std::strcmp(argv[1], "engine") == 0)
    return comptoir::bench::run_engine_scenario(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "api") == 0)
    return comptoir::bench::run_api_scenario(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "aggs") == 0)
    return comptoir::bench::run_aggs_scenario(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "ingest") == 0)
    return comptoir::bench::run_ingest_scenario(argc - 1, argv + 1);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
