// Index: write path (WAL, in-memory segment, refresh, flush, merge), recovery, and the
// snapshot handed to readers (see index.h for the model).
#include "engine/index/index.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "engine/dsl/dsl_error.h"
#include "engine/index/manifest.h"
#include "engine/index/parse_ahead.h"
#include "engine/index/segment_merger.h"
#include "engine/store/file_io.h"
#include "util/monotonic_ms.h"

namespace comptoir::engine {

namespace fs = std::filesystem;

namespace {

std::string wal_file_name(uint64_t gen) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "wal_%06llu.log", static_cast<unsigned long long>(gen));
  return buf;
}

std::string del_file_name(uint64_t seg, uint64_t gen) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "seg_%06llu_%llu.del", static_cast<unsigned long long>(seg),
                static_cast<unsigned long long>(gen));
  return buf;
}

constexpr char kIdAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Four URL-safe base64 characters for three bytes (the low 24 bits of v).
void put_base64_group(uint32_t v, char* out) {
  for (int k = 3; k >= 0; --k) *out++ = kIdAlphabet[(v >> (6 * k)) & 63];
}

}  // namespace

Index::Index(std::string name, std::optional<fs::path> dir, IndexSettings settings)
    : name_(std::move(name)),
      dir_(std::move(dir)),
      settings_(settings),
      id_instance_bits_(std::mt19937_64(std::random_device{}())()),
      last_search_ms_(monotonic_ms()) {
  // Characters 12-19 of every generated id: the instance's random bytes 9-14.
  const uint64_t b = id_instance_bits_;
  put_base64_group(
      static_cast<uint32_t>((b >> 8 & 0xFF) << 16 | (b >> 16 & 0xFF) << 8 | (b >> 24 & 0xFF)),
      id_suffix_);
  put_base64_group(
      static_cast<uint32_t>((b >> 32 & 0xFF) << 16 | (b >> 40 & 0xFF) << 8 | (b >> 48 & 0xFF)),
      id_suffix_ + 4);
}

Index::~Index() {
  Status s = close();
  if (!s.ok()) spdlog::warn("index [{}]: close failed: {}", name_, s.error().message);
}

Result<std::unique_ptr<Index>> Index::create_in_memory(std::string name, const Mapping& mapping,
                                                       IndexSettings settings) {
  std::unique_ptr<Index> idx(new Index(std::move(name), std::nullopt, settings));
  COMPTOIR_TRY(idx->init_new(mapping));
  idx->start_background();
  return idx;
}

Result<std::unique_ptr<Index>> Index::create(std::string name, const fs::path& dir,
                                             const Mapping& mapping, IndexSettings settings) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::io("cannot create " + dir.string() + ": " + ec.message());
  if (fs::exists(dir / kManifestName))
    return Error::conflict("index directory already exists: " + dir.string());
  std::unique_ptr<Index> idx(new Index(std::move(name), dir, settings));
  COMPTOIR_TRY(idx->init_new(mapping));
  idx->start_background();
  return idx;
}

Result<std::unique_ptr<Index>> Index::open(std::string name, const fs::path& dir,
                                           IndexSettings settings) {
  std::unique_ptr<Index> idx(new Index(std::move(name), dir, settings));
  COMPTOIR_TRY(idx->init_existing());
  idx->start_background();
  return idx;
}

Status Index::init_new(const Mapping& mapping) {
  std::lock_guard lock(write_mu_);
  mapping_ = mapping;
  if (dir_) {
    generation_ = 1;
    wal_name_ = wal_file_name(generation_);
    auto w = WalWriter::open(*dir_ / wal_name_, 0, settings_.sync);
    if (!w) return w.error();
    wal_ = std::move(*w);
    COMPTOIR_TRY(write_manifest_locked());
  }
  publish_mapping_locked();
  publish_locked();
  return {};
}

Status Index::init_existing() {
  std::lock_guard lock(write_mu_);
  auto m = read_manifest(*dir_);
  if (!m) return m.error();
  if (!*m) return Error::not_found("no index in " + dir_->string());
  const Manifest& man = **m;
  auto mapping = parse_mapping(man.mapping);
  if (!mapping) return Error::corruption("manifest mapping: " + mapping.error().message);
  mapping_ = std::move(*mapping);
  generation_ = man.generation;
  next_segment_ = man.next_segment;
  for (const auto& ms : man.segments) {
    auto file = MappedFile::open(*dir_ / segment_file_name(ms.id));
    if (!file) return file.error();
    auto reader = SegmentReader::open(*file);
    if (!reader) return Error::corruption(segment_file_name(ms.id) + ": " + reader.error().message);
    if ((*reader)->doc_count() != ms.docs)
      return Error::corruption(segment_file_name(ms.id) + ": doc count mismatch");
    Seg s;
    s.id = ms.id;
    s.reader = *reader;
    s.deleted = std::make_shared<Bitmap>();
    s.persisted = true;
    s.committed = true;
    if (ms.deletes) {
      auto bytes = read_file(*dir_ / *ms.deletes);
      if (!bytes) return bytes.error();
      *s.deleted = Bitmap::deserialize_portable(bytes->data(), bytes->size());
      s.del_file = ms.deletes;
    }
    segs_.push_back(std::move(s));
  }
  // Replay the WAL on top of the last commit.
  wal_name_ = man.wal;
  auto valid = replay_wal(*dir_ / wal_name_, [&](const WalRecord& r) -> Status {
    if (r.op == WalRecord::kDelete) {
      delete_existing_locked(r.id);
      return {};
    }
    Status s = apply_index_locked(r.id, r.source, nullptr);
    if (!s.ok())
      spdlog::warn("index [{}]: WAL record for [{}] skipped: {}", name_, r.id, s.error().message);
    return {};
  });
  if (!valid) return valid.error();
  auto w = WalWriter::open(*dir_ / wal_name_, *valid, settings_.sync);
  if (!w) return w.error();
  wal_ = std::move(*w);
  // Remove files no commit refers to (crashed flushes, merges, temp files).
  std::set<std::string> keep{kManifestName, wal_name_};
  for (const auto& s : segs_) {
    keep.insert(segment_file_name(s.id));
    if (s.del_file) keep.insert(*s.del_file);
  }
  for (const auto& entry : fs::directory_iterator(*dir_)) {
    std::string n = entry.path().filename().string();
    if (!keep.count(n)) {
      std::error_code ec;
      fs::remove(entry.path(), ec);
    }
  }
  publish_mapping_locked();
  COMPTOIR_TRY(refresh_locked());
  publish_locked();
  return {};
}

void Index::start_background() {
  // Without a refresh interval the thread still cuts the in-memory segment at
  // index_buffer_bytes and flushes when due (as Elasticsearch with refresh_interval -1):
  // memory and the WAL stay bounded. Merges run with the periodic refresh only.
  bg_ = std::thread([this] { background_loop(); });
  if (settings_.background_merge && settings_.refresh_interval.count() > 0)
    merger_ = std::thread([this] { merge_loop(); });
}

void Index::background_loop() {
  const bool scheduled = settings_.refresh_interval.count() > 0;
  const auto period = scheduled ? settings_.refresh_interval : std::chrono::milliseconds(1000);
  std::unique_lock lock(bg_mu_);
  while (!stop_) {
    bg_cv_.wait_for(lock, period, [&] { return stop_; });
    if (stop_) break;
    lock.unlock();
    {
      std::lock_guard rl(refresh_mu_);
      // A search-idle index (or one without a refresh interval) cuts its in-memory
      // segment only when it is full or a flush is due: under a bulk load nobody reads,
      // segments come out as large as the buffer allows, and the merges that small ones
      // would need are never owed.
      const bool idle = search_idle();
      const bool periodic = scheduled && !idle;
      bool cut = false;
      if (!periodic) {
        std::lock_guard wl(write_mu_);
        cut = builder_->memory_bytes() >= settings_.index_buffer_bytes ||
              (dir_ && wal_.size() >= 4 * settings_.flush_threshold_bytes);
        if (!cut && idle && !builder_->empty()) refresh_skipped_ = true;
      }
      // On disk, a cut is a flush, whose own refresh cuts the segment: the only small
      // segment it leaves holds what came while the large one was written.
      Status s = periodic || (cut && !dir_) ? refresh_in_background() : Status{};
      bool flush = cut && dir_;
      if (!flush) {
        std::lock_guard wl(write_mu_);
        size_t unflushed = periodic ? builder_->memory_bytes() : 0;
        for (const auto& seg : segs_)
          if (!seg.persisted) unflushed += seg.reader->byte_size();
        flush = s.ok() && dir_ &&
                (unflushed >= settings_.flush_threshold_bytes ||
                 wal_.size() >= 4 * settings_.flush_threshold_bytes);
      }
      if (flush) {
        // The files first, outside the write lock; then the documents that came
        // meanwhile, built and written outside it too, so that the commit under the lock
        // (which must refresh and write all that is left) has little left to do: under
        // ingest, a flush under the lock stalled the writers 130-200 ms.
        s = persist_segments();
        if (s.ok()) s = refresh_in_background();
        if (s.ok()) s = persist_segments();
        if (s.ok()) {
          std::lock_guard wl(write_mu_);
          s = flush_locked();
        }
      }
      if (!s.ok())
        spdlog::warn("index [{}]: background maintenance failed: {}", name_, s.error().message);
    }
    lock.lock();
    if (scheduled && settings_.background_merge) {
      merge_wanted_ = true;
      merge_cv_.notify_one();
    }
  }
}

bool Index::search_idle() const {
  return settings_.search_idle_after.count() > 0 && settings_.refresh_interval.count() > 0 &&
         monotonic_ms() - last_search_ms_.load(std::memory_order_relaxed) >=
             settings_.search_idle_after.count();
}

// Merges run on their own thread, so a long merge delays neither the periodic refresh
// nor the writers.
void Index::merge_loop() {
  std::unique_lock lock(bg_mu_);
  while (!stop_) {
    merge_cv_.wait(lock, [&] { return stop_ || merge_wanted_; });
    if (stop_) break;
    merge_wanted_ = false;
    lock.unlock();
    {
      std::lock_guard ml(merge_mu_);
      for (;;) {
        {
          std::lock_guard stop_check(bg_mu_);
          if (stop_) break;
        }
        auto merged = merge_once(false);
        if (!merged) {
          std::lock_guard stop_check(bg_mu_);
          if (!stop_)  // closing meanwhile is not a failure
            spdlog::warn("index [{}]: background merge failed: {}", name_, merged.error().message);
          break;
        }
        if (!*merged) break;
      }
    }
    lock.lock();
  }
}

Status Index::close() {
  {
    std::lock_guard lock(bg_mu_);
    if (closed_) return {};
    closed_ = true;
    stop_ = true;
  }
  bg_cv_.notify_all();
  merge_cv_.notify_all();
  if (bg_.joinable()) bg_.join();
  if (merger_.joinable()) merger_.join();
  std::lock_guard refreshing(refresh_mu_);
  std::lock_guard wl(write_mu_);
  if (dir_ && !failed_) return flush_locked();
  return {};
}

DocId Index::generate_id(uint64_t now_ms) {
  // 15 bytes in URL-safe base64 (20 characters), as Elasticsearch's time-based ids: the
  // time in ms and a sequence (48 + 16 bits, always increasing within this instance), then
  // 56 random bits drawn once per instance (Elasticsearch uses the MAC address), which
  // keep two instances, or two runs, apart. Consecutive ids share their first characters
  // and differ in a few bits, so stored documents and the _id dictionary compress them:
  // fresh random bits per id cost ~13 bytes per document on the 1M-document bench.
  // Bytes 0-5 (the ms) are characters 0-7, bytes 6-8 (the sequence and the first random
  // byte) characters 8-11, bytes 9-14 (random) characters 12-19: only the middle four
  // are written for each id.
  uint64_t ms = now_ms;
  if (ms <= id_last_ms_) {
    ms = id_last_ms_;
    if (++id_sequence_ > 0xFFFF) {  // 65,536 ids within one ms: borrow the next ms
      id_sequence_ = 0;
      ++ms;
    }
  } else {
    id_sequence_ = 0;
  }
  id_last_ms_ = ms;
  if (ms != id_prefix_ms_) {
    put_base64_group(static_cast<uint32_t>(ms >> 24 & 0xFFFFFF), id_prefix_);
    put_base64_group(static_cast<uint32_t>(ms & 0xFFFFFF), id_prefix_ + 4);
    id_prefix_ms_ = ms;
  }
  DocId out;
  char* p = out.resize_for_overwrite(20);
  std::memcpy(p, id_prefix_, 8);
  put_base64_group(static_cast<uint32_t>(id_sequence_ << 8 | (id_instance_bits_ & 0xFF)), p + 8);
  std::memcpy(p + 12, id_suffix_, 8);
  return out;
}

bool Index::exists_locked(std::string_view id) const {
  if (auto d = builder_->find_id(id); d && !builder_deleted_.contains(*d)) return true;
  for (auto it = segs_.rbegin(); it != segs_.rend(); ++it) {
    if (auto d = it->reader->find_id(id); d && !it->deleted->contains(*d)) return true;
  }
  return false;
}

bool Index::delete_existing_locked(std::string_view id) {
  if (auto d = builder_->find_id(id); d && !builder_deleted_.contains(*d)) {
    builder_deleted_.add(*d);
    dirty_ = true;
    return true;
  }
  for (auto it = segs_.rbegin(); it != segs_.rend(); ++it) {
    if (auto d = it->reader->find_id(id); d && !it->deleted->contains(*d)) {
      it->deleted->add(*d);
      ++it->deleted_version;
      dirty_ = true;
      return true;
    }
  }
  return false;
}

Status Index::apply_index_locked(std::string_view id, std::string_view source,
                                 BulkItemResult* result) {
  auto doc = parser_.parse(source, id, mapping_);
  if (!doc) return doc.error();
  bool existed = delete_existing_locked(id);
  builder_->add(**doc);
  dirty_ = true;
  if (result != nullptr) {
    result->result = existed ? "updated" : "created";
    result->status = existed ? 200 : 201;
  }
  return {};
}

Status Index::check_writable() const {
  if (failed_) return Error::unavailable("index [" + name_ + "] is failed: " + failed_->message);
  if (closed_) return Error::unavailable("index [" + name_ + "] is closed");
  return {};
}

Result<BulkResult> Index::bulk(std::span<const BulkItem> items, bool refresh) {
  // Appends of documents with generated ids run beside a background refresh; writes
  // that look documents up by id (or refresh) wait for it.
  const bool append_only = std::all_of(items.begin(), items.end(), [](const BulkItem& item) {
    return item.op != BulkOp::kDelete && (!item.id || item.id->empty());
  });
  std::unique_lock refreshing(refresh_mu_, std::defer_lock);
  if (!append_only || refresh) refreshing.lock();
  std::lock_guard lock(write_mu_);
  COMPTOIR_TRY(check_writable());
  BulkResult out;
  if (append_only && items.size() >= kParseAheadMin) append_parsed_ahead_locked(items, out);
  out.items.reserve(items.size());
  const auto now_ms = static_cast<uint64_t>(now_epoch_ms());
  for (const BulkItem& item : items.subspan(out.items.size())) {
    BulkItemResult r;
    r.op = item.op;
    if (item.op == BulkOp::kDelete) {
      if (!item.id || item.id->empty()) {
        r.status = 400;
        r.error = dsl_error("action_request_validation_exception",
                            "Validation Failed: 1: id is missing;");
      } else {
        r.id = *item.id;
        bool existed = delete_existing_locked(r.id);
        if (existed && dir_) wal_.append(WalRecord{WalRecord::kDelete, r.id, {}});
        r.result = existed ? "deleted" : "not_found";
        r.status = existed ? 200 : 404;
        r.seq_no = seq_no_++;
      }
      out.items.push_back(std::move(r));
      continue;
    }
    const bool generated = !item.id.has_value() || item.id->empty();
    if (generated) {
      r.id = generate_id(now_ms);
    } else {
      r.id = *item.id;
    }
    if (!generated && r.id.size() > 512) {
      r.status = 400;
      r.error = dsl_error(
          "illegal_argument_exception",
          "id [" + item.id->substr(0, 20) + "...] is too long, must be no longer than 512 bytes");
      out.items.push_back(std::move(r));
      continue;
    }
    if (item.op == BulkOp::kCreate && !generated && exists_locked(r.id)) {
      r.status = 409;
      r.error = dsl_error(
          "version_conflict_engine_exception",
          "[" + *item.id + "]: version conflict, document already exists (current version [1])");
      out.items.push_back(std::move(r));
      continue;
    }
    auto doc =
        parser_.parse(item.source, r.id, mapping_, DocumentParser::readable_past_end(item.source));
    if (!doc) {
      r.status = 400;
      r.error = doc.error();
      out.items.push_back(std::move(r));
      continue;
    }
    bool existed = !generated && delete_existing_locked(r.id);
    builder_->add(**doc);
    dirty_ = true;
    if (dir_) wal_.append(WalRecord{WalRecord::kIndex, r.id, item.source});
    r.result = existed ? "updated" : "created";
    r.status = existed ? 200 : 201;
    r.seq_no = seq_no_++;
    out.items.push_back(std::move(r));
  }
  for (const auto& r : out.items) out.errors = out.errors || r.error.has_value();
  // The fdatasync and the refresh are independent: they overlap (nothing else touches
  // the WAL while the write lock is held).
  Status synced;
  std::thread syncer;
  if (dir_) {
    if (refresh) {
      syncer = std::thread([&] { synced = wal_.sync(); });
    } else {
      synced = wal_.sync();
    }
  }
  publish_mapping_locked();
  // The caller waits for this refresh: its segment keeps plain term dictionaries (a
  // 1 MiB upload's refresh writes ~2x faster); merges compress them later.
  Status refreshed = refresh ? refresh_locked(/*waited_for=*/true) : Status{};
  if (syncer.joinable()) syncer.join();
  if (!synced.ok()) {
    failed_ = synced.error();
    return synced.error();
  }
  if (!refreshed.ok()) return refreshed.error();
  return out;
}

// Documents with generated ids only add (nothing to look up or delete): parsing runs
// on a second thread ahead of the indexing (parse_ahead.h).
void Index::append_parsed_ahead_locked(std::span<const BulkItem> items, BulkResult& out) {
  out.items.resize(items.size());
  const auto now_ms = static_cast<uint64_t>(now_epoch_ms());
  for (size_t i = 0; i < items.size(); ++i) {
    out.items[i].op = items[i].op;
    out.items[i].id = generate_id(now_ms);
  }
  // The WAL records are written on the parsing thread (the indexing thread is the busier
  // one), in order, for the documents that parse; this thread leaves the WAL alone until
  // the parser is done.
  std::function<void(size_t)> log;
  if (dir_) {
    log = [&](size_t i) {
      wal_.append(WalRecord{WalRecord::kIndex, out.items[i].id, items[i].source});
    };
  }
  // The stored blocks sealed meanwhile are compressed by whichever of the two threads
  // would otherwise wait (ParseAhead's side work), not by a third thread.
  SegmentBuilder& builder = *builder_;
  builder.set_compression_helped(true);
  struct Unhelp {
    SegmentBuilder& b;
    ~Unhelp() { b.set_compression_helped(false); }
  } unhelp{builder};
  ParseAhead ahead(
      items.size(), [&](size_t i) -> const std::string& { return items[i].source; },
      [&](size_t i) { return std::string_view(out.items[i].id); }, mapping_, ahead_parsers_,
      std::move(log), [&builder] { return builder.help_compress(); });
  for (size_t i = 0; i < items.size(); ++i) {
    BulkItemResult& r = out.items[i];
    auto doc = ahead.next();
    if (!doc) {
      r.status = 400;
      r.error = doc.error();
      continue;
    }
    builder_->add(**doc);
    dirty_ = true;
    r.result = "created";
    r.status = 201;
    r.seq_no = seq_no_++;
  }
}

Result<size_t> Index::map_source_only(std::span<const std::string> fields) {
  std::lock_guard refreshing(refresh_mu_);
  std::lock_guard lock(write_mu_);
  COMPTOIR_TRY(check_writable());
  size_t added = 0;
  for (const std::string& name : fields) {
    if (name.empty() || name.find('.') != std::string::npos || name.starts_with('_')) continue;
    if (mapping_.find(name) != nullptr || mapping_.is_object(name) || mapping_.is_disabled(name))
      continue;
    mapping_.add_disabled(name);
    ++added;
  }
  if (added == 0) return added;
  publish_mapping_locked();
  if (dir_) COMPTOIR_TRY(write_manifest_locked());
  return added;
}

Result<std::string> Index::index_doc(std::string_view source, std::optional<std::string> id) {
  BulkItem item;
  item.id = std::move(id);
  item.source = std::string(source);
  auto r = bulk(std::span<const BulkItem>(&item, 1));
  if (!r) return r.error();
  if (r->items[0].error) return *r->items[0].error;
  return r->items[0].id.str();
}

Result<bool> Index::delete_doc(std::string_view id) {
  BulkItem item;
  item.op = BulkOp::kDelete;
  item.id = std::string(id);
  auto r = bulk(std::span<const BulkItem>(&item, 1));
  if (!r) return r.error();
  if (r->items[0].error) return *r->items[0].error;
  return r->items[0].status == 200;
}

Result<int64_t> Index::delete_by_query(const Query& query, const SearchOptions& options) {
  std::lock_guard refreshing(refresh_mu_);
  std::lock_guard lock(write_mu_);
  COMPTOIR_TRY(check_writable());
  COMPTOIR_TRY(refresh_locked());
  SnapshotPtr snap = published_snapshot();
  auto matches = match_live_docs(*snap, query, options);
  if (!matches) return matches.error();
  int64_t deleted = 0;
  for (auto& [si, docs] : *matches) {
    const SegmentView& view = snap->segments[si];
    Seg* seg = nullptr;
    for (auto& s : segs_)
      if (s.id == view.id) seg = &s;
    if (seg == nullptr) continue;
    Status st;
    docs.for_each([&](uint32_t d) {
      if (seg->deleted->contains(d)) return;
      auto stored = view.reader->stored(d);
      if (!stored) {
        st = stored.error();
        return;
      }
      seg->deleted->add(d);
      ++seg->deleted_version;
      if (dir_) wal_.append(WalRecord{WalRecord::kDelete, stored->id, {}});
      ++deleted;
    });
    COMPTOIR_TRY(st);
  }
  if (dir_) {
    Status s = wal_.sync();
    if (!s.ok()) {
      failed_ = s.error();
      return s.error();
    }
  }
  dirty_ = true;
  COMPTOIR_TRY(refresh_locked());
  return deleted;
}

Status Index::refresh() {
  std::lock_guard refreshing(refresh_mu_);
  std::lock_guard lock(write_mu_);
  return refresh_locked();
}

Status Index::refresh_locked(bool waited_for) {
  refresh_skipped_ = false;
  if (!builder_->empty()) {
    SegmentBytes bytes =
        builder_->finish(SegmentWriterOptions{.compress_terms = !waited_for}, waited_for);
    auto reader = SegmentReader::open(SegmentData::adopt(std::move(bytes)));
    if (!reader) return reader.error();
    install_locked(*reader, std::exchange(builder_deleted_, Bitmap()));
  }
  if (dirty_) publish_locked();
  dirty_ = false;
  return {};
}

void Index::install_locked(std::shared_ptr<const SegmentReader> reader, Bitmap deleted) {
  Seg s;
  s.id = next_segment_++;
  s.reader = std::move(reader);
  s.deleted = std::make_shared<Bitmap>(std::move(deleted));
  s.deleted_version = 1;
  segs_.push_back(std::move(s));
  dirty_ = true;
}

// The background refresh: the in-memory segment is frozen under the write lock and
// built without it, so writers go on meanwhile. Only appends of documents with
// generated ids take the write lock without refresh_mu_ (they never look into the
// frozen documents); every other write waits for the refresh (see bulk()).
Status Index::refresh_in_background() {
  std::unique_ptr<SegmentBuilder> frozen;
  Bitmap frozen_deleted;
  {
    std::lock_guard lock(write_mu_);
    if (builder_->empty() || !check_writable().ok()) return refresh_locked();
    refresh_skipped_ = false;
    frozen = std::exchange(builder_, std::make_unique<SegmentBuilder>(builder_->term_counts()));
    frozen_deleted = std::exchange(builder_deleted_, Bitmap());
  }
  auto reader = SegmentReader::open(SegmentData::adopt(frozen->finish()));
  std::lock_guard lock(write_mu_);
  if (!reader) {
    // Nothing is lost (the documents are in the WAL), but nothing may be acknowledged
    // as searchable or flushed past this point either.
    failed_ = reader.error();
    return reader.error();
  }
  install_locked(*reader, std::move(frozen_deleted));
  publish_locked();
  return {};
}

void Index::publish_mapping_locked() {
  if (published_mapping_ && mapping_.version() == published_mapping_version_) return;
  published_mapping_version_ = mapping_.version();
  auto m = std::make_shared<const Mapping>(mapping_);
  std::lock_guard lock(snap_mu_);
  published_mapping_ = std::move(m);
}

void Index::publish_locked() {
  auto snap = std::make_shared<IndexSnapshot>();
  snap->index = name_;
  snap->mapping = std::make_shared<const Mapping>(mapping_);
  for (auto& s : segs_) {
    if (s.published_version != s.deleted_version || !s.published_deleted) {
      s.published_deleted = std::make_shared<const Bitmap>(*s.deleted);
      s.published_version = s.deleted_version;
    }
    snap->segments.push_back(SegmentView{s.id, s.reader, s.published_deleted});
  }
  std::lock_guard lock(snap_mu_);
  snapshot_ = std::move(snap);
}

Status Index::flush() {
  std::lock_guard refreshing(refresh_mu_);
  std::lock_guard lock(write_mu_);
  COMPTOIR_TRY(check_writable());
  return flush_locked();
}

Result<std::shared_ptr<const SegmentReader>> Index::persist_segment(uint64_t id,
                                                                    std::string_view bytes) {
  const std::string name = segment_file_name(id);
  COMPTOIR_TRY(write_file_atomic(*dir_, name, bytes, settings_.sync));
  auto file = MappedFile::open(*dir_ / name);
  if (!file) return file.error();
  return SegmentReader::open(*file);
}

Status Index::persist_segments() {
  if (!dir_) return {};
  std::vector<std::pair<uint64_t, std::shared_ptr<const SegmentReader>>> pending;
  {
    std::lock_guard lock(write_mu_);
    for (const auto& s : segs_)
      if (!s.persisted) pending.emplace_back(s.id, s.reader);
  }
  if (pending.empty()) return {};
  for (auto& [id, reader] : pending) {
    auto mapped = persist_segment(id, reader->data()->bytes());
    if (!mapped) return mapped.error();
    reader = *mapped;
  }
  std::lock_guard lock(write_mu_);
  for (auto& s : segs_) {
    for (const auto& [id, reader] : pending) {
      if (s.id != id || s.persisted) continue;
      s.reader = reader;  // now served from the memory map
      s.persisted = true;
    }
  }
  publish_locked();
  return {};
}

Status Index::flush_locked() {
  COMPTOIR_TRY(refresh_locked());
  if (!dir_) return {};
  bool changed = false;
  for (auto& s : segs_) {
    if (!s.persisted) {
      auto reader = persist_segment(s.id, s.reader->data()->bytes());
      if (!reader) return reader.error();
      s.reader = *reader;  // now served from the memory map
      s.persisted = true;
      changed = true;
    }
    if (s.deleted_version != s.deletes_persisted_version) {
      COMPTOIR_TRY(persist_deletes_locked(s));
      changed = true;
    }
  }
  if (!changed && wal_.size() == 0) return {};
  return commit_locked();
}

// Writes the segment's deletes to a new .del file (the old one goes at the next commit).
Status Index::persist_deletes_locked(Seg& s) {
  if (s.del_file) obsolete_files_.push_back(*s.del_file);
  s.del_file.reset();
  if (!s.deleted->empty()) {
    std::string name = del_file_name(s.id, generation_ + 1);
    COMPTOIR_TRY(write_file_atomic(*dir_, name, s.deleted->serialize_portable(), settings_.sync));
    s.del_file = name;
  }
  s.deletes_persisted_version = s.deleted_version;
  return {};
}

// Starts a new WAL and swaps the manifest to name it with the current segments; only
// then are the old WAL and superseded files removed.
Status Index::commit_locked() {
  const std::string old_wal = wal_name_;
  ++generation_;
  wal_name_ = wal_file_name(generation_);
  auto w = WalWriter::open(*dir_ / wal_name_, 0, settings_.sync);
  if (!w) return w.error();
  for (auto& seg : segs_) seg.committed = seg.persisted;  // flush_locked persisted all
  Status s = write_manifest_locked();
  if (!s.ok()) {
    failed_ = s.error();
    return s;
  }
  wal_ = std::move(*w);
  obsolete_files_.push_back(old_wal);
  for (const auto& f : obsolete_files_) {
    std::error_code ec;
    if (f != wal_name_) fs::remove(*dir_ / f, ec);
  }
  obsolete_files_.clear();
  publish_locked();
  return {};
}

Status Index::write_manifest_locked() {
  Manifest m;
  m.generation = generation_;
  m.next_segment = next_segment_;
  m.wal = wal_name_;
  for (const auto& s : segs_) {
    if (!s.committed) continue;
    m.segments.push_back(ManifestSegment{s.id, s.reader->doc_count(), s.del_file});
  }
  m.mapping = to_es_json(mapping_);
  m.refresh_interval_ms = settings_.refresh_interval.count();
  return write_manifest(*dir_, m, settings_.sync);
}

Status Index::merge(bool force) {
  std::lock_guard ml(merge_mu_);
  for (;;) {
    auto merged = merge_once(force);
    if (!merged) return merged.error();
    if (!*merged || force) return {};
  }
}

// Tiered merging: segments are grouped by the order of magnitude (base merge_factor) of
// their live doc count; merge_factor neighbouring segments of one tier are merged into
// one (at the structure level, see segment_merger.h), which keeps the segment count
// logarithmic and the documents in arrival order.
std::vector<size_t> Index::pick_merge_locked(bool force) const {
  const size_t factor = std::max<size_t>(2, settings_.merge_factor);
  std::vector<size_t> group;
  if (force) {
    if (segs_.size() > 1 || (segs_.size() == 1 && !segs_[0].deleted->empty()))
      for (size_t i = 0; i < segs_.size(); ++i) group.push_back(i);
    return group;
  }
  // Only neighbours merge: segments keep the order documents arrived in, so a
  // time-ordered stream stays sorted by time inside every segment (the sorted column
  // fast paths of sorts, search_after and date histograms rely on it). Levels as in
  // Lucene's LogMergePolicy: a segment's level is log_factor(live docs); from the
  // oldest segment on, the run up to the last segment within 0.75 of the highest level
  // left is one level, and merge_factor neighbours in it merge. (Whole-number tiers
  // would keep 50k- and 150k-doc refresh segments, neighbours of different tiers,
  // from ever merging.)
  constexpr double kLevelSpan = 0.75;
  std::vector<double> levels;
  std::vector<uint64_t> live;
  for (const auto& seg : segs_) {
    // On disk, the committed segments come first (a flush commits them all): merges take
    // them only, and no flush under the write lock is needed to start one.
    if (dir_ && !seg.committed) break;
    live.push_back(seg.reader->doc_count() - seg.deleted->cardinality());
    levels.push_back(live.back() == 0 ? 0.0
                                      : std::log(double(live.back())) / std::log(double(factor)));
  }
  for (size_t start = 0; start < levels.size();) {
    const double top =
        *std::max_element(levels.begin() + static_cast<std::ptrdiff_t>(start), levels.end());
    size_t end = levels.size();  // one past the last segment of this level
    while (end > start + 1 && levels[end - 1] < top - kLevelSpan) --end;
    // A level of merge_factor segments or more merges its first merge_factor neighbours,
    // or, when they would pass max_merge_docs (a merge builds its segment in memory), as
    // many of them as stay within it (at least two): refresh segments of 200k docs would
    // otherwise never merge under a 1.5M cap.
    for (size_t w = start; w + factor <= end; ++w) {
      uint64_t docs = 0;
      size_t k = 0;
      uint64_t largest = 0;
      while (k < factor && docs + live[w + k] <= settings_.max_merge_docs) {
        largest = std::max(largest, live[w + k]);
        docs += live[w + k++];
      }
      // No input may hold more than half the merged docs: rewriting a large segment to
      // absorb a small neighbour (the few documents a flush finds in the in-memory
      // segment once the large one is cut) costs the large one's docs for one segment
      // less. Such small segments merge with comparable neighbours instead.
      if (k < 2 || 2 * largest > docs) continue;
      for (size_t i = 0; i < k; ++i) group.push_back(w + i);
      return group;
    }
    start = end;
  }
  return group;
}

Result<bool> Index::merge_once(bool force) {
  // Pick, under the write lock: the inputs and their deletes as of now.
  std::vector<uint64_t> ids;
  std::vector<MergeInput> inputs;
  Seg out;
  {
    std::lock_guard refreshing(refresh_mu_);  // it may flush: no frozen segment then
    std::lock_guard lock(write_mu_);
    COMPTOIR_TRY(check_writable());
    std::vector<size_t> group = pick_merge_locked(force);
    if (group.empty()) return false;
    // Only committed segments merge; a forced merge takes them all, committed first.
    if (dir_ && force) COMPTOIR_TRY(flush_locked());
    for (size_t gi : group) {
      ids.push_back(segs_[gi].id);
      inputs.push_back(
          MergeInput{segs_[gi].reader, std::make_shared<const Bitmap>(*segs_[gi].deleted)});
    }
    out.id = next_segment_++;
  }
  // Merge and write without it: writers, refreshes and searches go on.
  auto merged = merge_segments(inputs);
  if (!merged) return merged.error();
  if (dir_) {
    // Written from the merge's output as it is, then served from the file's memory map.
    auto reader = persist_segment(out.id, *merged);
    if (!reader) return reader.error();
    out.reader = *reader;
    out.persisted = true;
    out.committed = true;  // of committed inputs: named by the manifest written at the swap
  } else {
    auto reader = SegmentReader::open(SegmentData::adopt(std::move(*merged)));
    if (!reader) return reader.error();
    out.reader = *reader;
  }
  *merged = SegmentBytes();
  // Swap in, under the lock. Only merges remove segments (one at a time), so the inputs
  // are still there, still neighbours. Docs deleted meanwhile are deleted in the merged
  // segment too: its docs are the inputs' live docs (as of the pick) in order.
  std::lock_guard refreshing(refresh_mu_);
  std::lock_guard lock(write_mu_);
  auto first =
      std::find_if(segs_.begin(), segs_.end(), [&](const Seg& s) { return s.id == ids.front(); });
  if (first == segs_.end() || size_t(segs_.end() - first) < ids.size())
    return Error::internal("merged segments vanished during the merge");
  out.deleted = std::make_shared<Bitmap>();
  uint32_t base = 0;
  for (size_t k = 0; k < ids.size(); ++k) {
    const Seg& in = first[static_cast<std::ptrdiff_t>(k)];
    if (in.id != ids[k]) return Error::internal("merged segments moved during the merge");
    const Bitmap& before = *inputs[k].deleted;
    if (in.deleted->cardinality() != before.cardinality()) {
      (*in.deleted - before).for_each([&](uint32_t d) {
        out.deleted->add(base + d - static_cast<uint32_t>(before.rank(d)));
      });
    }
    base += in.reader->doc_count() - static_cast<uint32_t>(before.cardinality());
  }
  if (!out.deleted->empty()) out.deleted_version = 1;
  for (size_t k = 0; k < ids.size(); ++k) {
    const Seg& in = first[static_cast<std::ptrdiff_t>(k)];
    obsolete_files_.push_back(segment_file_name(in.id));
    if (in.del_file) obsolete_files_.push_back(*in.del_file);
  }
  const bool keep = out.reader->doc_count() > out.deleted->cardinality();
  if (!keep && out.persisted) obsolete_files_.push_back(segment_file_name(out.id));
  first = segs_.erase(first, first + static_cast<std::ptrdiff_t>(ids.size()));
  if (keep) first = segs_.insert(first, std::move(out));
  if (dir_) {
    if (keep && first->deleted_version != first->deletes_persisted_version) {
      // Deletes made during the merge may already be out of the WAL (a commit
      // meanwhile): a flush writes them and commits the merged segment with them.
      COMPTOIR_TRY(flush_locked());
    } else {
      COMPTOIR_TRY(write_manifest_locked());
      for (const auto& f : obsolete_files_) {
        std::error_code ec;
        fs::remove(*dir_ / f, ec);
      }
    }
  }
  obsolete_files_.clear();
  publish_locked();
  return true;
}

SnapshotPtr Index::snapshot() {
  last_search_ms_.store(monotonic_ms(), std::memory_order_relaxed);
  if (refresh_skipped_.load()) {
    // As Elasticsearch does for a search that hits a search-idle shard: refresh, and
    // wait for it. A failure leaves the index failed (check_writable) and the search
    // reads what was published before.
    std::lock_guard rl(refresh_mu_);
    if (refresh_skipped_.load()) {
      Status s = refresh_in_background();
      if (!s.ok())
        spdlog::warn("index [{}]: refresh before a search failed: {}", name_, s.error().message);
    }
  }
  return published_snapshot();
}

SnapshotPtr Index::published_snapshot() const {
  std::lock_guard lock(snap_mu_);
  return snapshot_;
}

std::shared_ptr<const Mapping> Index::mapping() const {
  std::lock_guard lock(snap_mu_);
  return published_mapping_;
}

Result<SearchResponse> Index::search(const SearchRequest& request, const SearchOptions& options) {
  return execute_search({snapshot()}, request, options);
}

Result<int64_t> Index::count(const std::optional<Query>& query, const SearchOptions& options) {
  return execute_count({snapshot()}, query, options);
}

Result<std::optional<std::string>> Index::get_source(std::string_view id) {
  SnapshotPtr snap = snapshot();
  for (auto it = snap->segments.rbegin(); it != snap->segments.rend(); ++it) {
    if (auto d = it->reader->find_id(id); d && !it->deleted->contains(*d)) {
      auto doc = it->reader->stored(*d);
      if (!doc) return doc.error();
      return std::optional<std::string>(std::move(doc->source));
    }
  }
  return std::optional<std::string>{};
}

IndexStats Index::stats() const {
  SnapshotPtr snap = published_snapshot();
  IndexStats st;
  st.docs = snap->live_docs();
  st.deleted = snap->deleted_docs();
  st.segments = snap->segments.size();
  for (const auto& s : snap->segments) st.bytes += s.reader->byte_size();
  return st;
}

}  // namespace comptoir::engine
