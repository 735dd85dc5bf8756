// Entry point of comptoir-bench; benchmarks register themselves in their own files.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
