// Micro benchmarks of the per-request HTTP work that is ours: route lookup with
// and without path parameters, and the dispatch of a small JSON answer.
#include <benchmark/benchmark.h>

#include "http/dispatcher.h"
#include "http/request_id.h"
#include "http/router.h"

namespace comptoir::http {
namespace {

using boost::beast::http::verb;

Router make_router() {
  Router router;
  const char* patterns[] = {"/",
                            "/health",
                            "/api/services-status",
                            "/api/search",
                            "/api/search/save",
                            "/api/search/history",
                            "/api/dashboard",
                            "/api/results",
                            "/api/export/csv",
                            "/api/upload",
                            "/api/files",
                            "/api/products",
                            "/api/products/<id>",
                            "/api/orders",
                            "/api/orders/<id>",
                            "/api/cache",
                            "/api/cache/stats",
                            "/api/cache/<key>"};
  for (const char* p : patterns) {
    router.add(verb::get, p, [](Request&) { return Response{}; });
  }
  return router;
}

void BM_RouterLiteral(benchmark::State& state) {
  Router router = make_router();
  for (auto _ : state) benchmark::DoNotOptimize(router.find(verb::get, "/health"));
}
BENCHMARK(BM_RouterLiteral);

void BM_RouterParam(benchmark::State& state) {
  Router router = make_router();
  for (auto _ : state) benchmark::DoNotOptimize(router.find(verb::get, "/api/cache/user:123"));
}
BENCHMARK(BM_RouterParam);

void BM_DispatchHealth(benchmark::State& state) {
  Router router;
  router.add(verb::get, "/health", [](Request&) {
    return json_response(200, {{"status", "healthy"}});
  });
  Dispatcher dispatcher(router, CorsPolicy({"*"}));
  RawRequest raw{verb::get, "/health", 11};
  for (auto _ : state) {
    Request req(raw, new_request_id());
    benchmark::DoNotOptimize(dispatcher.dispatch(req));
  }
}
BENCHMARK(BM_DispatchHealth);

}  // namespace
}  // namespace comptoir::http
