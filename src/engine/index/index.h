// Index: one named index. A single writer (bulk, delete, refresh, flush, merge under one
// mutex) and any number of readers working on immutable snapshots. Writes are logged to
// the WAL and fsynced before bulk() returns, go to an in-memory segment, become visible
// at refresh (explicit, or every refresh_interval on a background thread), and become
// segment files at flush, committed by an atomic manifest swap that also starts a new WAL.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "engine/dsl/search_request.h"
#include "engine/dsl/search_response.h"
#include "engine/index/doc_id.h"
#include "engine/index/document_parser.h"
#include "engine/index/segment_builder.h"
#include "engine/index/snapshot.h"
#include "engine/index/wal.h"
#include "engine/query/searcher.h"
#include "util/result.h"

namespace comptoir::engine {

struct IndexSettings {
  // <= 0: no periodic refresh (the in-memory segment is still cut at index_buffer_bytes)
  std::chrono::milliseconds refresh_interval{1000};
  bool sync = true;                         // fsync the WAL and commits
  size_t flush_threshold_bytes = 64 << 20;  // unflushed bytes that trigger a flush
  size_t merge_factor = 10;                 // segments per tier before a merge
  uint64_t max_merge_docs = 1'500'000;      // background merges stay below this
  bool background_merge = true;
  // Elasticsearch's index.search.idle.after: once no search has read the index for this
  // long, the periodic refresh stops (writes then cost no small segments and no merges
  // of them). The next search refreshes first and waits for it; meanwhile the in-memory
  // segment is cut when it holds index_buffer_bytes, or when a flush is due. 0: never idle
  // (as in Elasticsearch once refresh_interval is set explicitly).
  std::chrono::milliseconds search_idle_after{30000};
  // The in-memory segment that an idle index, or one without a refresh interval, refreshes.
  size_t index_buffer_bytes = 512 << 20;
};

enum class BulkOp { kIndex, kCreate, kDelete };

struct BulkItem {
  BulkOp op = BulkOp::kIndex;
  std::optional<std::string> id;  // generated for index/create when absent
  std::string source;             // the document (not for delete)
};

struct BulkItemResult {
  BulkOp op = BulkOp::kIndex;
  DocId id;
  int status = 200;  // HTTP-like status, as ES reports per item: 201, 200, 404, 409, 400
  std::string_view
      result;  // a literal: "created", "updated", "deleted", "not_found"; empty on error
  std::optional<Error> error;  // message "document_parsing_exception: ..." etc.
  uint64_t seq_no = 0;
};

struct BulkResult {
  bool errors = false;
  std::vector<BulkItemResult> items;
};

struct IndexStats {
  uint64_t docs = 0;
  uint64_t deleted = 0;
  uint64_t bytes = 0;
  size_t segments = 0;
};

class Index {
 public:
  // A new index in memory only (nothing survives the process).
  static Result<std::unique_ptr<Index>> create_in_memory(std::string name, const Mapping& mapping,
                                                         IndexSettings settings = {});
  // A new durable index in `dir` (created; must not hold an index already).
  static Result<std::unique_ptr<Index>> create(std::string name, const std::filesystem::path& dir,
                                               const Mapping& mapping, IndexSettings settings = {});
  // Opens a durable index: manifest, segment files, then WAL replay (torn tail dropped).
  static Result<std::unique_ptr<Index>> open(std::string name, const std::filesystem::path& dir,
                                             IndexSettings settings = {});
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  const std::string& name() const { return name_; }
  const std::optional<std::filesystem::path>& dir() const { return dir_; }

  // `refresh`: the documents are searchable when it returns (as `?refresh=true`); the
  // WAL is synced on another thread while the in-memory segment is built.
  Result<BulkResult> bulk(std::span<const BulkItem> items, bool refresh = false);
  // Bulk requests of at least this many documents, all with generated ids, parse on a
  // second thread (parse_ahead.h); smaller ones are not worth the thread.
  static constexpr size_t kParseAheadMin = 256;
  // Convenience: index one document; returns its id.
  Result<std::string> index_doc(std::string_view source,
                                std::optional<std::string> id = std::nullopt);
  // true if the document existed.
  Result<bool> delete_doc(std::string_view id);
  Result<int64_t> delete_by_query(const Query& query, const SearchOptions& options = {});

  // Maps each of `fields` the mapping does not know yet (plain names, no dots) as
  // disabled objects ({"type": "object", "enabled": false}): values stay in _source, nothing
  // is indexed. For fields whose values a canonical field already carries. Returns how
  // many were added; the mapping is durable when it returns.
  Result<size_t> map_source_only(std::span<const std::string> fields);

  Status refresh();
  Status flush();
  // Merges segments while some tier holds merge_factor of them (all at once if force).
  // Writes, refreshes and searches go on while segments merge: the write lock is held
  // only to pick the segments and to swap the merged one in.
  Status merge(bool force = false);

  // What searches read. Counts as a search: on a search-idle index with writes no
  // refresh has made visible, it refreshes first (see IndexSettings::search_idle_after).
  SnapshotPtr snapshot();
  std::shared_ptr<const Mapping> mapping() const;
  Result<SearchResponse> search(const SearchRequest& request, const SearchOptions& options = {});
  Result<int64_t> count(const std::optional<Query>& query, const SearchOptions& options = {});
  // The latest stored version of a document (visible after refresh).
  Result<std::optional<std::string>> get_source(std::string_view id);
  // Not a search: reads the published segments as they are, idle or not.
  IndexStats stats() const;
  // true while the index is search-idle (no search for search_idle_after).
  bool search_idle() const;

  // Stops the background thread and flushes (durable indices). Idempotent.
  Status close();

 private:
  struct Seg {
    uint64_t id = 0;
    std::shared_ptr<const SegmentReader> reader;
    std::shared_ptr<Bitmap> deleted;  // writer-owned
    std::shared_ptr<const Bitmap> published_deleted;
    uint64_t deleted_version = 0, published_version = UINT64_MAX;
    bool persisted = false;
    // Named by the manifest on disk, its docs out of the WAL: only such segments merge
    // (the merged one is then written to the manifest without a new WAL).
    bool committed = false;
    uint64_t deletes_persisted_version = 0;
    std::optional<std::string> del_file;
  };

  Index(std::string name, std::optional<std::filesystem::path> dir, IndexSettings settings);
  Status init_new(const Mapping& mapping);
  Status init_existing();
  void start_background();
  void background_loop();
  void merge_loop();

  // A new id at `now_ms` (or just after the last one given out): a bulk request reads
  // the clock once for all its documents.
  DocId generate_id(uint64_t now_ms);
  void append_parsed_ahead_locked(std::span<const BulkItem> items, BulkResult& out);
  bool delete_existing_locked(std::string_view id);
  bool exists_locked(std::string_view id) const;
  Status apply_index_locked(std::string_view id, std::string_view source, BulkItemResult* result);
  // `waited_for`: a bulk request waits for this refresh (as an upload does): plain term
  // dictionaries (merges compress them later), fields prepared on two threads.
  Status refresh_locked(bool waited_for = false);
  // Builds the in-memory segment without holding write_mu_; the caller holds refresh_mu_.
  Status refresh_in_background();
  void install_locked(std::shared_ptr<const SegmentReader> reader, Bitmap deleted);
  Status flush_locked();
  // Writes the segments not on disk yet to their files without the write lock (writers
  // go on meanwhile), then serves them from their memory maps. The caller holds
  // refresh_mu_ (so no segment comes or goes meanwhile) and not write_mu_; a
  // flush_locked() after it has only the commit left to do.
  Status persist_segments();
  // One merge: picked under the write lock, merged and written without it, swapped in
  // under it again. false when there was nothing to merge. Callers hold merge_mu_.
  Result<bool> merge_once(bool force);
  std::vector<size_t> pick_merge_locked(bool force) const;
  Status persist_deletes_locked(Seg& s);
  Status write_manifest_locked();
  Status commit_locked();
  // Writes a segment file and maps it (no shared state: no lock needed).
  Result<std::shared_ptr<const SegmentReader>> persist_segment(uint64_t id, std::string_view bytes);
  void publish_locked();
  void publish_mapping_locked();
  SnapshotPtr published_snapshot() const;
  Status check_writable() const;

  std::string name_;
  std::optional<std::filesystem::path> dir_;
  IndexSettings settings_;

  // Held (before write_mu_) by everything that refreshes or looks documents up by id:
  // a background refresh holds it while it builds a frozen segment outside write_mu_.
  std::mutex refresh_mu_;
  mutable std::mutex write_mu_;
  Mapping mapping_;
  uint64_t published_mapping_version_ = 0;  // mapping_.version() when last published
  DocumentParser parser_;
  std::vector<std::unique_ptr<DocumentParser>> ahead_parsers_;  // ParseAhead's ring
  std::unique_ptr<SegmentBuilder> builder_ = std::make_unique<SegmentBuilder>();
  Bitmap builder_deleted_;
  std::vector<Seg> segs_;
  uint64_t next_segment_ = 1;
  uint64_t generation_ = 0;
  std::string wal_name_;
  WalWriter wal_;
  bool dirty_ = false;
  std::vector<std::string> obsolete_files_;  // to delete after the next commit
  std::optional<Error> failed_;              // set when the WAL could not be made durable
  uint64_t seq_no_ = 0;
  // generate_id()'s state (under write_mu_): the last ms and sequence given out, and
  // the id's characters that change only with the ms (8) or never (8, set at
  // construction).
  uint64_t id_instance_bits_ = 0;
  uint64_t id_last_ms_ = 0, id_sequence_ = 0;
  uint64_t id_prefix_ms_ = UINT64_MAX;
  char id_prefix_[8] = {}, id_suffix_[8] = {};

  mutable std::mutex snap_mu_;
  SnapshotPtr snapshot_;
  std::shared_ptr<const Mapping> published_mapping_;

  std::mutex merge_mu_;  // one merge at a time (background or explicit)

  std::thread bg_, merger_;
  std::mutex bg_mu_;
  std::condition_variable bg_cv_, merge_cv_;
  bool merge_wanted_ = false;
  // Steady-clock ms of the last snapshot() (the index's creation or opening at first),
  // and whether the periodic refresh has skipped writes since the last refresh because
  // the index was search-idle: the next search then refreshes before it reads.
  std::atomic<int64_t> last_search_ms_;
  std::atomic<bool> refresh_skipped_{false};
  bool stop_ = false;
  bool closed_ = false;
};

}  // namespace comptoir::engine
