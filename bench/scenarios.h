// End-to-end benchmark scenarios of comptoir-bench, each printing one JSON object
// per measurement on stdout: `comptoir-bench <name> [options]`.
#pragma once

namespace comptoir::bench {

// Products list / get-by-id latency and cache GET/SET throughput over HTTP, with
// the embedded backends and, given --redis URL / --mongodb URI, the external ones.
int run_store_scenario(int argc, char** argv);

// Ingest throughput, index size, query latencies, open time and peak RSS of the
// embedded engine on generated logs (engine_bench.cpp).
int run_engine_scenario(int argc, char** argv);

// Aggregation latencies (dashboard, terms, cardinality, sales results) on generated
// logs and sales lines (aggs_bench.cpp).
int run_aggs_scenario(int argc, char** argv);

// Parser throughput and upload latency of 1 MiB and 16 MiB CSV files over HTTP
// (ingest_scenario.cpp).
int run_ingest_scenario(int argc, char** argv);

// Search, dashboard, results and export over HTTP after loading generated logs and
// sales through uploads, on the embedded engine or a cluster (api_bench.cpp).
int run_api_scenario(int argc, char** argv);

}  // namespace comptoir::bench
