// The sample command: generate, upload, insert, report.
#include "cli/sample_command.h"

#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "core/application.h"

namespace comptoir::cli {

int run_sample(const Config& config, const SampleOptions& options) {
  auto app = Application::open(config);
  if (!app.ok()) {
    std::fprintf(stderr, "comptoir: %s\n", app.error().message.c_str());
    return 1;
  }
  UploadService& uploads = (*app)->uploads();
  Catalogue& catalogue = (*app)->catalogue();
  const auto started = std::chrono::steady_clock::now();
  int failures = 0;

  auto load_file = [&](const char* name, const std::string& content) {
    if (content.empty()) return;
    // force: a second `comptoir sample` with the same seed adds a second batch.
    auto outcome = uploads.upload(name, content, /*force=*/true);
    if (!outcome.ok()) {
      std::fprintf(stderr, "comptoir: %s: %s\n", name, outcome.error().message.c_str());
      ++failures;
      return;
    }
    std::printf("%-24s %8llu documents indexed, %llu rejected\n", outcome->entry.filename.c_str(),
                static_cast<unsigned long long>(outcome->entry.documents_indexed),
                static_cast<unsigned long long>(outcome->entry.documents_rejected));
  };
  if (options.logs > 0) load_file("sample_logs.ndjson", generate_log_ndjson(options));
  if (options.sales > 0) load_file("sample_sales.csv", generate_sales_csv(options));

  const auto products = generate_products(options);
  uint64_t products_added = 0, orders_added = 0, existing = 0;
  for (const auto& p : products) {
    auto r = catalogue.create(CatalogueKind::kProduct, p);
    if (r.ok()) {
      ++products_added;
    } else if (r.error().code == ErrorCode::kConflict) {
      ++existing;
    } else {
      std::fprintf(stderr, "comptoir: product: %s\n", r.error().message.c_str());
      ++failures;
    }
  }
  for (const auto& o : generate_orders(options, products)) {
    auto r = catalogue.create(CatalogueKind::kOrder, o);
    if (r.ok()) {
      ++orders_added;
    } else if (r.error().code == ErrorCode::kConflict) {
      ++existing;
    } else {
      std::fprintf(stderr, "comptoir: order: %s\n", r.error().message.c_str());
      ++failures;
    }
  }
  std::printf("%llu products and %llu orders added (%llu already there), in %.1f s\n",
              static_cast<unsigned long long>(products_added),
              static_cast<unsigned long long>(orders_added),
              static_cast<unsigned long long>(existing),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return failures == 0 ? 0 : 1;
}

}  // namespace comptoir::cli
