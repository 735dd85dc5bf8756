// The comptoir command: `serve` (the default) runs the HTTP server, `config` prints
// the effective configuration with secrets masked, `ingest` indexes files like
// uploads, `sample` loads demo data and `export` writes matching logs as CSV (cli/),
// `--version` prints the version. The hidden `search-json` runs raw `_search` bodies
// (tests/parity/).
// Flags override the environment, which overrides `.env`, which overrides defaults.
#include <CLI/CLI.hpp>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>

#include "api/routes.h"
#include "cli/export_command.h"
#include "cli/ingest_command.h"
#include "cli/sample_command.h"
#include "cli/search_json_command.h"
#include "config/config.h"
#include "core/application.h"
#include "http/dispatcher.h"
#include "http/router.h"
#include "http/server.h"
#include "ingest/time_zone.h"
#include "util/allocator.h"
#include "util/log.h"

namespace {

using comptoir::Config;

int print_config(const comptoir::Settings& settings) {
  for (const auto& spec : comptoir::setting_specs()) {
    const auto& s = settings.find(spec.name)->second;
    std::cout << spec.name << "=" << comptoir::masked_value(spec, s.value) << "  # " << s.source
              << ": " << spec.description << "\n";
  }
  return 0;
}

int serve(const Config& config) {
  comptoir::init_logging(config.log_format, config.log_level);
  std::error_code ec;
  for (const auto& dir : {config.data_dir, config.upload_folder}) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      spdlog::critical("cannot create directory {}: {}", dir, ec.message());
      return 1;
    }
  }
  std::signal(SIGPIPE, SIG_IGN);

  auto app = comptoir::Application::open(config);
  if (!app.ok()) {
    spdlog::critical("{}", app.error().message);
    return 1;
  }
  comptoir::api::ApiContext ctx(config, **app);
  comptoir::http::Router router;
  comptoir::api::register_routes(router, ctx);
  comptoir::http::Dispatcher dispatcher(router, comptoir::http::CorsPolicy(config.cors_origins));
  comptoir::http::Server server(config, dispatcher);
  if (auto st = server.listen(); !st.ok()) {
    spdlog::critical("{}", st.error().message);
    return 1;
  }
  server.run();
  spdlog::default_logger()->flush();
  comptoir::access_logger().flush();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  comptoir::restart_with_huge_pages(argv);
  if (!comptoir::tune_allocator()) std::cerr << "warning: malloc settings refused\n";
  CLI::App app{"Comptoir: e-commerce log and sales analytics server"};
  app.set_version_flag("--version", std::string("comptoir ") + COMPTOIR_VERSION);
  app.require_subcommand(0, 1);

  std::optional<std::string> host, data_dir, log_format;
  std::optional<unsigned> port, threads;
  app.add_option("--host", host, "listen address (COMPTOIR_HOST)");
  app.add_option("--port", port, "listen port (COMPTOIR_PORT)");
  app.add_option("--data-dir", data_dir, "data directory (COMPTOIR_DATA_DIR)");
  app.add_option("--threads", threads, "I/O threads (COMPTOIR_THREADS)");
  app.add_option("--log-format", log_format, "text or json (COMPTOIR_LOG_FORMAT)");

  auto* serve_cmd = app.add_subcommand("serve", "run the HTTP server (default)")->fallthrough();
  auto* config_cmd =
      app.add_subcommand("config", "print the effective configuration")->fallthrough();
  std::vector<std::string> ingest_paths;
  bool ingest_force = false;
  auto* ingest_cmd =
      app.add_subcommand("ingest", "index files and directories (recursively) like uploads")
          ->fallthrough();
  ingest_cmd->add_option("paths", ingest_paths, "files or directories")->required();
  ingest_cmd->add_flag("--force", ingest_force, "index content that was indexed before");
  comptoir::SampleOptions sample;
  auto* sample_cmd =
      app.add_subcommand("sample", "generate and load demo logs, sales, products, orders")
          ->fallthrough();
  sample_cmd->add_option("--logs", sample.logs, "log events (default 10000)");
  sample_cmd->add_option("--sales", sample.sales, "sales lines (default 5000)");
  sample_cmd->add_option("--products", sample.products, "products (default 50)");
  sample_cmd->add_option("--orders", sample.orders, "orders (default 200)");
  sample_cmd->add_option("--seed", sample.seed, "random seed (default 42)");
  comptoir::cli::ExportOptions export_options;
  auto* export_cmd =
      app.add_subcommand("export", "write the logs matching the filters as CSV to stdout")
          ->fallthrough();
  export_cmd->add_option("--q,--query", export_options.query, "search text");
  export_cmd->add_option("--level", export_options.level, "log level (exact, any case)");
  export_cmd->add_option("--service", export_options.service, "service (exact, any case)");
  export_cmd->add_option("--start-date", export_options.start_date, "YYYY-MM-DD or ISO 8601");
  export_cmd->add_option("--end-date", export_options.end_date,
                         "YYYY-MM-DD (whole day) or ISO 8601");
  export_cmd->add_option("--columns", export_options.columns,
                         "comma list (default timestamp,level,service,message,user)");
  export_cmd->add_option("--syntax", export_options.syntax, "plain (default) or lucene");
  std::string search_json_index;
  // Hidden (empty group): the parity suite's raw `_search` path into the search backend.
  auto* search_json_cmd =
      app.add_subcommand("search-json", "run _search bodies (one per stdin line) on INDEX")
          ->fallthrough()
          ->group("");
  search_json_cmd->add_option("index", search_json_index, "index, pattern or comma list")
      ->required();
  (void)serve_cmd;

  CLI11_PARSE(app, argc, argv);

  comptoir::StringMap flags;
  if (host) flags["COMPTOIR_HOST"] = *host;
  if (port) flags["COMPTOIR_PORT"] = std::to_string(*port);
  if (data_dir) flags["COMPTOIR_DATA_DIR"] = *data_dir;
  if (threads) flags["COMPTOIR_THREADS"] = std::to_string(*threads);
  if (log_format) flags["COMPTOIR_LOG_FORMAT"] = *log_format;

  auto settings = comptoir::load_settings(flags);
  if (!settings.ok()) {
    std::cerr << "comptoir: " << settings.error().message << "\n";
    return 2;
  }
  auto config = comptoir::config_from_settings(*settings);
  if (!config.ok()) {
    std::cerr << "comptoir: " << config.error().message << "\n";
    return 2;
  }
  if (auto zone = comptoir::ingest::TimeZone::named(config->timezone); !zone.ok()) {
    std::cerr << "comptoir: invalid COMPTOIR_TIMEZONE: " << zone.error().message << "\n";
    return 2;
  }
  if (config_cmd->parsed()) return print_config(*settings);
  if (ingest_cmd->parsed()) {
    comptoir::init_logging(config->log_format, "warn");
    return comptoir::cli::run_ingest(*config, ingest_paths, ingest_force);
  }
  if (export_cmd->parsed()) {
    comptoir::init_logging(config->log_format, "warn");
    return comptoir::cli::run_export(*config, export_options);
  }
  if (search_json_cmd->parsed()) {
    comptoir::init_logging(config->log_format, "warn");
    return comptoir::cli::run_search_json(*config, search_json_index);
  }
  if (sample_cmd->parsed()) {
    comptoir::init_logging(config->log_format, "warn");
    return comptoir::cli::run_sample(*config, sample);
  }
  return serve(*config);
}
