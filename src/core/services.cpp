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
#include "backends/search/embedded_search.h"
#include "backends/store/mongo_store.h"
#include "backends/store/sqlite_store.h"

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
  if (!config.elasticsearch_host.empty()) {
    spdlog::warn(
        "ELASTICSEARCH_HOST is set, but this version has no Elasticsearch backend yet: "
        "using the embedded search engine");
  }
  auto search = EmbeddedSearch::open(std::filesystem::path(config.data_dir) / "index");
  if (!search.ok()) return fail(search.error());
  spdlog::info("document store: {}; cache: {}; search: {}", store->backend_name(),
               cache->backend_name(), (*search)->backend_name());
  return std::unique_ptr<Services>(
      new Services(lock_fd, std::move(store), std::move(cache), std::move(search.value()), memory));
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
