// The backends of a running Comptoir, chosen from the configuration as DESIGN §4
// says: MONGODB_URI set → MongoStore, else SqliteStore in the data directory;
// REDIS_HOST set → RedisCache, else MemoryCache; ELASTICSEARCH_HOST set →
// ElasticsearchSearch, else the embedded engine in $COMPTOIR_DATA_DIR/index.
// External backends never stop start-up: they connect lazily and report
// `disconnected` while down. A maintenance thread sweeps expired keys of the
// in-process cache every second.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "backends/cache/cache.h"
#include "backends/search/search_backend.h"
#include "backends/store/document_store.h"
#include "config/config.h"
#include "util/result.h"

namespace comptoir {

// What /api/services-status reports of one backend.
struct BackendStatus {
  std::string backend;  // "embedded", "mongodb", "redis", "elasticsearch"
  bool connected = false;
  std::string error;  // why not connected
};

struct StoreStatus : BackendStatus {
  std::vector<std::string> collections;
};

struct CacheStatus : BackendStatus {
  uint64_t dbsize = 0;
};

struct SearchStatus : BackendStatus {
  std::vector<std::string> indices;
};

class Services {
 public:
  // Fails only when an embedded backend cannot be opened (e.g. the data directory
  // is not writable) or another process has the data directory open: the embedded
  // engine and store have one writer.
  static Result<std::unique_ptr<Services>> open(const Config& config);
  ~Services();
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  DocumentStore& store() { return *store_; }
  Cache& cache() { return *cache_; }
  SearchBackend& search() { return *search_; }

  // Asks each backend now (a down external backend costs up to its connect timeout).
  StoreStatus store_status();
  CacheStatus cache_status();
  SearchStatus search_status();

 private:
  Services(int lock_fd, std::unique_ptr<DocumentStore> store, std::unique_ptr<Cache> cache,
           std::unique_ptr<SearchBackend> search, class MemoryCache* memory_cache);

  int lock_fd_ = -1;  // flock on $COMPTOIR_DATA_DIR/comptoir.lock, held while open
  std::unique_ptr<DocumentStore> store_;
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<SearchBackend> search_;
  std::jthread maintenance_;  // declared last: stopped and joined first
};

}  // namespace comptoir
