// Backend selection, status probes and the cache maintenance thread.
#include "core/services.h"

#include <condition_variable>
#include <filesystem>
#include <mutex>

#include <spdlog/spdlog.h>

#include "backends/cache/memory_cache.h"
#include "backends/cache/redis_cache.h"
#include "backends/search/embedded_search.h"
#include "backends/store/mongo_store.h"
#include "backends/store/sqlite_store.h"

namespace comptoir {

Result<std::unique_ptr<Services>> Services::open(const Config& config) {
  std::unique_ptr<DocumentStore> store;
  if (config.mongodb_uri.empty()) {
    auto sqlite = SqliteStore::open(std::filesystem::path(config.data_dir) / "comptoir.db");
    COMPTOIR_TRY(sqlite);
    store = std::move(sqlite.value());
  } else {
    auto mongo = MongoStore::open(config.mongodb_uri);
    COMPTOIR_TRY(mongo);
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
  if (!config.elasticsearch_host.empty()) {
    spdlog::warn(
        "ELASTICSEARCH_HOST is set, but this version has no Elasticsearch backend yet: "
        "using the embedded search engine");
  }
  auto search = EmbeddedSearch::open(std::filesystem::path(config.data_dir) / "index");
  COMPTOIR_TRY(search);
  spdlog::info("document store: {}; cache: {}; search: {}", store->backend_name(),
               cache->backend_name(), (*search)->backend_name());
  return std::unique_ptr<Services>(
      new Services(std::move(store), std::move(cache), std::move(search.value()), memory));
}

Services::Services(std::unique_ptr<DocumentStore> store, std::unique_ptr<Cache> cache,
                   std::unique_ptr<SearchBackend> search, MemoryCache* memory_cache)
    : store_(std::move(store)), cache_(std::move(cache)), search_(std::move(search)) {
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

Services::~Services() = default;

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
