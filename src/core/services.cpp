// Backend selection, status probes and the cache maintenance thread.
#include "core/services.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "backends/cache/memory_cache.h"
#include "backends/cache/redis_cache.h"
#include "backends/search/elasticsearch_search.h"
#include "backends/search/embedded_search.h"
#include "backends/store/mongo_store.h"
#include "backends/store/sqlite_store.h"
#include "core/canonical_mappings.h"

namespace comptoir {

namespace {

// Takes an exclusive lock on the data directory, so a second server or a
// `comptoir ingest` cannot write the same embedded files at the same time.
Result<int> lock_data_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error::io(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  const std::filesystem::path path = dir / "comptoir.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return Error::io(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Error::conflict(fmt::format(
        "the data directory {} is in use by another comptoir process (stop it, or send files to "
        "its HTTP API)",
        dir.string()));
  }
  return fd;
}

// The cluster backend's settings, with index templates that give every new log and
// sales index the canonical mappings (DESIGN.md §5).
ElasticsearchOptions elasticsearch_options(const Config& config) {
  ElasticsearchOptions options;
  options.transport.hosts = config.elasticsearch_host;
  options.transport.api_key = config.es_api_key;
  options.transport.ca_file = config.es_ca_file;
  options.transport.verify_tls = config.es_verify_tls;
  options.transport.connect_timeout = config.es_connect_timeout;
  options.transport.request_timeout = config.es_timeout;
  options.transport.max_retries = config.es_retries;
  options.bulk_max_docs = config.es_bulk_max_docs;
  options.bulk_max_bytes = config.es_bulk_max_bytes;
  options.index_prefix = config.es_index_prefix;
  options.forced_refresh = config.es_forced_refresh;
  options.shards = config.es_shards;
  options.replicas = config.es_replicas;
  options.templates = {
      {"comptoir-ecommerce-logs", {"ecommerce-logs-*"}, log_events_mapping()},
      {"comptoir-ecommerce-sales", {"ecommerce-sales"}, sales_mapping()},
  };
  return options;
}

}  // namespace

Result<std::unique_ptr<Services>> Services::open(const Config& config) {
  auto lock = lock_data_dir(config.data_dir);
  COMPTOIR_TRY(lock);
  const int lock_fd = *lock;
  auto fail = [lock_fd](const Error& e) -> Error {
    ::close(lock_fd);
    return e;
  };
  std::unique_ptr<DocumentStore> store;
  if (config.mongodb_uri.empty()) {
    auto sqlite = SqliteStore::open(std::filesystem::path(config.data_dir) / "comptoir.db");
    if (!sqlite.ok()) return fail(sqlite.error());
    store = std::move(sqlite.value());
  } else {
    auto mongo = MongoStore::open(config.mongodb_uri);
    if (!mongo.ok()) return fail(mongo.error());
    store = std::move(mongo.value());
  }
  std::unique_ptr<Cache> cache;
  MemoryCache* memory = nullptr;
  if (config.redis_host.empty()) {
    auto m = std::make_unique<MemoryCache>(config.cache_max_bytes);
    memory = m.get();
    cache = std::move(m);
  } else {
    cache = std::make_unique<RedisCache>(config.redis_host, config.redis_port,
                                         config.redis_password, config.redis_db);
  }
  std::unique_ptr<SearchBackend> search;
  if (config.elasticsearch_host.empty()) {
    auto embedded = EmbeddedSearch::open(std::filesystem::path(config.data_dir) / "index");
    if (!embedded.ok()) return fail(embedded.error());
    search = std::move(embedded.value());
  } else {
    auto cluster = ElasticsearchSearch::open(elasticsearch_options(config));
    if (!cluster.ok()) return fail(cluster.error());
    // A cluster that is down does not stop the server: the templates are then
    // installed before the first write that finds it up.
    if (auto ready = (*cluster)->prepare(); !ready.ok()) {
      spdlog::warn("search: {} (starting without it; it is retried on each request)",
                   ready.error().message);
    }
    search = std::move(cluster.value());
  }
  spdlog::info("document store: {}; cache: {}; search: {}", store->backend_name(),
               cache->backend_name(), search->backend_name());
  return std::unique_ptr<Services>(
      new Services(lock_fd, std::move(store), std::move(cache), std::move(search), memory));
}

Services::Services(int lock_fd, std::unique_ptr<DocumentStore> store, std::unique_ptr<Cache> cache,
                   std::unique_ptr<SearchBackend> search, MemoryCache* memory_cache)
    : lock_fd_(lock_fd),
      store_(std::move(store)),
      cache_(std::move(cache)),
      search_(std::move(search)) {
  if (memory_cache == nullptr) return;
  maintenance_ = std::jthread([memory_cache](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    while (!stop.stop_requested()) {
      wake.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
      if (!stop.stop_requested()) memory_cache->sweep_expired();
    }
  });
}

Services::~Services() {
  // Stop the maintenance thread and close the backends before the lock goes.
  if (maintenance_.joinable()) {
    maintenance_.request_stop();
    maintenance_.join();
  }
  search_.reset();
  cache_.reset();
  store_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

StoreStatus Services::store_status() {
  StoreStatus s;
  s.backend = std::string(store_->backend_name());
  auto collections = store_->list_collections();
  if (collections.ok()) {
    s.connected = true;
    s.collections = std::move(collections.value());
  } else {
    s.error = collections.error().message;
  }
  return s;
}

CacheStatus Services::cache_status() {
  CacheStatus s;
  s.backend = std::string(cache_->backend_name());
  auto stats = cache_->stats();
  if (stats.ok()) {
    s.connected = true;
    s.dbsize = stats->keys;
  } else {
    s.error = stats.error().message;
  }
  return s;
}

SearchStatus Services::search_status() {
  SearchStatus s;
  s.backend = std::string(search_->backend_name());
  auto indices = search_->list_indices("*");
  if (indices.ok()) {
    s.connected = true;
    for (const auto& i : *indices) s.indices.push_back(i.name);
  } else {
    s.error = indices.error().message;
  }
  return s;
}

}  // namespace comptoir
