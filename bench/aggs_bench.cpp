// Scenario `comptoir-bench aggs [--docs N] [--sales N] [--users N] [--runs R] [--dir PATH]
// [--reuse]` (--reuse: keep the indices of an earlier run with the same sizes):
// aggregation latency of the embedded engine on generated logs (30 days, time-ordered,
// N documents, --users distinct users) and generated sales lines (a year, Online Retail
// shaped). Prints one JSON object per request with p50/p99 over R runs:
//   - the dashboard (total, today, errors, levels, daily histogram over 30 days, 10
//     latest), as the two searches GET /api/dashboard sends;
//   - terms on User (--users values) with a sum of Duration;
//   - cardinality of User;
//   - the sales results request (sum of revenue, distinct invoices and customers,
//     countries with revenue, top products by revenue, monthly histogram).
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "engine/dsl/search_request.h"
#include "engine/index/index.h"
#include "engine/schema/date_format.h"
#include "log_generator.h"
#include "scenarios.h"

namespace comptoir::engine::bench {

namespace {

namespace fs = std::filesystem;

void print_line(const json::object& o) {
  std::cout << json::serialize(o) << std::endl;
}

Result<std::unique_ptr<Index>> build(const std::string& name, const fs::path& dir,
                                     const std::string& mapping, int64_t n,
                                     const std::function<std::string(int64_t)>& doc, bool reuse) {
  std::error_code ec;
  if (reuse && fs::exists(dir)) {
    IndexSettings settings;
    settings.background_merge = false;
    auto idx = Index::open(name, dir, settings);
    if (idx && (*idx)->stats().docs == static_cast<uint64_t>(n)) return idx;
  }
  fs::remove_all(dir, ec);
  auto m = parse_mapping(json::parse(mapping));
  if (!m) return m.error();
  IndexSettings settings;
  auto idx = Index::create(name, dir, *m, settings);
  if (!idx) return idx.error();
  std::vector<BulkItem> batch;
  auto t0 = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < n;) {
    batch.clear();
    for (int64_t k = 0; k < 5000 && i < n; ++k, ++i) {
      BulkItem item;
      item.source = doc(i);
      batch.push_back(std::move(item));
    }
    auto r = (*idx)->bulk(batch);
    if (!r) return r.error();
    if ((i / 5000) % 200 == 0)
      std::cerr << "\r" << name << ": " << i << " / " << n << " documents" << std::flush;
  }
  COMPTOIR_TRY((*idx)->flush());
  COMPTOIR_TRY((*idx)->merge(true));
  std::cerr << "\r" << name << ": " << n << " documents in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
            << " s\n";
  return idx;
}

// p50/p99 of running `bodies` (one logical request may be several searches).
int measure(Index& index, const std::string& name, const std::vector<std::string>& bodies, int runs,
            int64_t now_ms, int64_t docs, double goal_ms) {
  std::vector<SearchRequest> reqs;
  for (const auto& b : bodies) {
    auto r = parse_es_json(b);
    if (!r) {
      std::cerr << name << ": " << r.error().message << "\n";
      return 1;
    }
    reqs.push_back(std::move(*r));
  }
  std::vector<double> ms;
  std::string sample;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& r : reqs) {
      auto resp = index.search(r, SearchOptions{now_ms});
      if (!resp) {
        std::cerr << name << ": " << resp.error().message << "\n";
        return 1;
      }
      if (i == 0 && resp->aggregations)
        sample += json::serialize(*resp->aggregations).substr(0, 300);
    }
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * double(ms.size())))];
  };
  print_line({{"bench", "aggs"},
              {"request", name},
              {"docs", docs},
              {"p50_ms", pct(0.5)},
              {"p99_ms", pct(0.99)},
              {"runs", runs},
              {"goal_ms", goal_ms}});
  std::cerr << name << " sample: " << sample << "\n";
  return 0;
}

}  // namespace

int run_aggs_bench(int argc, char** argv) {
  int64_t docs = 1000000, sales = 1000000;
  int64_t users = 100000;
  int runs = 20;
  fs::path dir = fs::temp_directory_path() / "comptoir-aggs-bench";
  bool reuse = false;
  for (int i = 0; i < argc; ++i) reuse = reuse || std::string(argv[i]) == "--reuse";
  for (int i = 0; i + 1 < argc; ++i) {
    std::string a = argv[i];
    if (a == "--docs") docs = std::atoll(argv[i + 1]);
    if (a == "--sales") sales = std::atoll(argv[i + 1]);
    if (a == "--users") users = std::atoll(argv[i + 1]);
    if (a == "--runs") runs = std::atoi(argv[i + 1]);
    if (a == "--dir") dir = argv[i + 1];
  }
  const int64_t now = 1766491200000;  // 2025-12-23T12:00:00Z
  const int64_t span = 30 * 86400000LL;
  const int64_t start = now - span;
  LogGenerator gen(42, static_cast<uint32_t>(users));
  auto logs = build(
      "bench-logs", dir / "logs",
      R"({"properties":{"@timestamp":{"type":"date"},"Level":{"type":"keyword"},
      "Service":{"type":"keyword"},"Message":{"type":"text"},"User":{"type":"keyword"},
      "IP":{"type":"ip"},"Duration":{"type":"long"}}})",
      docs, [&](int64_t i) { return gen.next(start + i * (span / docs)); }, reuse);
  if (!logs) {
    std::cerr << logs.error().message << "\n";
    return 1;
  }
  int rc = 0;
  rc |= measure(**logs, "dashboard",
                {R"({"size":10,"sort":[{"@timestamp":"desc"}],"track_total_hits":true,
                    "aggs":{"today":{"filter":{"range":{"@timestamp":{"gte":"now/d"}}}},
                            "errors":{"filter":{"term":{"Level":"ERROR"}}},
                            "levels":{"terms":{"field":"Level","size":20}}}})",
                 R"({"size":0,"track_total_hits":false,
                    "query":{"range":{"@timestamp":{"gte":"now-29d/d"}}},
                    "aggs":{"days":{"date_histogram":{"field":"@timestamp","calendar_interval":"day",
                            "extended_bounds":{"min":"now-29d/d","max":"now/d"}}}}})"},
                runs, now, docs, 20);
  rc |= measure(**logs, "terms_users_sum",
                {R"({"size":0,"aggs":{"u":{"terms":{"field":"User","size":10},
                    "aggs":{"d":{"sum":{"field":"Duration"}}}}}})"},
                runs, now, docs, 150);
  rc |= measure(**logs, "cardinality_users",
                {R"({"size":0,"aggs":{"u":{"cardinality":{"field":"User"}}}})"}, runs, now, docs,
                100);
  logs->reset();

  std::mt19937 rng(7);
  static const char* kCountries[] = {"United Kingdom", "France",      "Germany", "EIRE",
                                     "Spain",          "Netherlands", "Belgium", "Switzerland",
                                     "Portugal",       "Australia"};
  const int64_t year = 365 * 86400000LL;
  auto sales_idx = build(
      "bench-sales", dir / "sales",
      R"({"properties":{"InvoiceNo":{"type":"keyword"},"CustomerID":{"type":"keyword"},
      "Country":{"type":"keyword"},"Description":{"type":"keyword"},"Quantity":{"type":"long"},
      "UnitPrice":{"type":"double"},"Revenue":{"type":"double"},"InvoiceDate":{"type":"date"}}})",
      sales,
      [&](int64_t i) {
        json::object o;
        int64_t q = 1 + rng() % 24;
        double price = double(rng() % 2000) / 100.0 + 0.5;
        o["InvoiceNo"] = std::to_string(536365 + i / 20);
        o["CustomerID"] = std::to_string(12346 + rng() % 4000);
        o["Country"] = kCountries[rng() % 10];
        o["Description"] = "PRODUCT " + std::to_string(rng() % 4000);
        o["Quantity"] = q;
        o["UnitPrice"] = price;
        o["Revenue"] = double(q) * price;
        o["InvoiceDate"] = format_date_iso(now - year + i * (year / sales));
        return json::serialize(o);
      },
      reuse);
  if (!sales_idx) {
    std::cerr << sales_idx.error().message << "\n";
    return 1;
  }
  rc |= measure(**sales_idx, "sales_results", {R"({"size":0,"aggs":{
                    "revenue":{"sum":{"field":"Revenue"}},
                    "orders":{"cardinality":{"field":"InvoiceNo","precision_threshold":40000}},
                    "customers":{"cardinality":{"field":"CustomerID","precision_threshold":40000}},
                    "countries":{"terms":{"field":"Country","size":50},"aggs":{"revenue":{"sum":{"field":"Revenue"}}}},
                    "products":{"terms":{"field":"Description","size":10,"order":{"revenue":"desc"}},
                                "aggs":{"revenue":{"sum":{"field":"Revenue"}}}},
                    "months":{"date_histogram":{"field":"InvoiceDate","calendar_interval":"month"}}}})"},
                runs, now, sales, 50);
  return rc;
}

}  // namespace comptoir::engine::bench

namespace comptoir::bench {
int run_aggs_scenario(int argc, char** argv) {
  return comptoir::engine::bench::run_aggs_bench(argc, argv);
}
}  // namespace comptoir::bench
