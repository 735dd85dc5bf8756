// MongoStore: the document store on MongoDB through libmongoc (see mongo_store.h).
//
// JSON and BSON convert directly, with no extended-JSON text between (a "$date" key is
// never read as a type). Filters become {$and: [{F: {$op: v}}]}, kContains an escaped
// case-insensitive $regex; sorts break ties by _id. No sort means natural order, in
// practice insertion order (FerretDB refuses an explicit {$natural: 1}).
#include "backends/store/mongo_store.h"

#include <mongoc/mongoc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <mutex>
#include <utility>

namespace comptoir {
namespace {

constexpr int32_t kServerSelectionTimeoutMs = 2000;
constexpr int32_t kConnectTimeoutMs = 2000;
constexpr int32_t kSocketTimeoutMs = 10000;
constexpr const char* kDefaultDatabase = "comptoir";

// An owned heap bson_t. (Not a unique_ptr: bson_t's alignment attribute would be
// dropped as a template argument, which GCC warns about.)
class BsonHandle {
 public:
  explicit BsonHandle(bson_t* doc) : doc_(doc) {}
  ~BsonHandle() {
    if (doc_) bson_destroy(doc_);
  }
  BsonHandle(BsonHandle&& other) noexcept : doc_(std::exchange(other.doc_, nullptr)) {}
  BsonHandle& operator=(BsonHandle&&) = delete;
  bson_t* get() const { return doc_; }

 private:
  bson_t* doc_;
};
struct CollectionDestroyer {
  void operator()(mongoc_collection_t* c) const { mongoc_collection_destroy(c); }
};
struct DatabaseDestroyer {
  void operator()(mongoc_database_t* d) const { mongoc_database_destroy(d); }
};
struct CursorDestroyer {
  void operator()(mongoc_cursor_t* c) const { mongoc_cursor_destroy(c); }
};
struct UriDestroyer {
  void operator()(mongoc_uri_t* u) const { mongoc_uri_destroy(u); }
};
using CollectionHandle = std::unique_ptr<mongoc_collection_t, CollectionDestroyer>;
using DatabaseHandle = std::unique_ptr<mongoc_database_t, DatabaseDestroyer>;
using CursorHandle = std::unique_ptr<mongoc_cursor_t, CursorDestroyer>;
using UriHandle = std::unique_ptr<mongoc_uri_t, UriDestroyer>;

// A reply document that libmongoc fills in; destroyed whatever the call did.
struct Reply {
  Reply() { bson_init(&doc); }
  ~Reply() { bson_destroy(&doc); }
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
  bson_t doc;
};

void log_to_spdlog(mongoc_log_level_t level, const char* domain, const char* message, void*) {
  switch (level) {
    case MONGOC_LOG_LEVEL_ERROR:
    case MONGOC_LOG_LEVEL_CRITICAL:
      spdlog::error("mongoc {}: {}", domain, message);
      break;
    case MONGOC_LOG_LEVEL_WARNING:
      spdlog::warn("mongoc {}: {}", domain, message);
      break;
    default:
      break;  // libmongoc's info and trace output is noise for an operator
  }
}

void init_mongoc_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    mongoc_init();
    mongoc_log_set_handler(log_to_spdlog, nullptr);
  });
}

// Server codes that mean "the server is going away or unreachable", not "bad request".
bool is_unavailable_code(uint32_t code) {
  switch (code) {
    case 6:      // HostUnreachable
    case 7:      // HostNotFound
    case 89:     // NetworkTimeout
    case 91:     // ShutdownInProgress
    case 189:    // PrimarySteppedDown
    case 10107:  // NotWritablePrimary
    case 11600:  // InterruptedAtShutdown
    case 11602:  // InterruptedDueToReplStateChange
    case 13435:  // NotPrimaryNoSecondaryOk
    case 13436:  // NotPrimaryOrSecondary
      return true;
    default:
      return false;
  }
}

Error mongo_error(const bson_error_t& error, std::string_view what) {
  std::string message = std::string(what) + ": " + error.message;
  if (error.code == 11000 || error.code == 11001) return Error::conflict(std::move(message));
  switch (error.domain) {
    case MONGOC_ERROR_STREAM:
    case MONGOC_ERROR_SERVER_SELECTION:
    case MONGOC_ERROR_CLIENT:  // authentication and handshake failures
      return Error::unavailable(std::move(message));
    default:
      if (is_unavailable_code(error.code)) return Error::unavailable(std::move(message));
      return Error::internal(std::move(message));
  }
}

int64_t clamp_to_int64(uint64_t n) {
  return n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
             ? std::numeric_limits<int64_t>::max()
             : static_cast<int64_t>(n);
}

int key_length(std::string_view key) {
  return static_cast<int>(key.size());
}

// Appends `value` under `key`; false when BSON refuses it (NUL in a key, too large).
bool append_json(bson_t* doc, std::string_view key, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return bson_append_null(doc, key.data(), key_length(key));
    case boost::json::kind::bool_:
      return bson_append_bool(doc, key.data(), key_length(key), value.get_bool());
    case boost::json::kind::int64:
      return bson_append_int64(doc, key.data(), key_length(key), value.get_int64());
    case boost::json::kind::uint64:
      if (value.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return bson_append_int64(doc, key.data(), key_length(key),
                                 static_cast<int64_t>(value.get_uint64()));
      }
      return bson_append_double(doc, key.data(), key_length(key),
                                static_cast<double>(value.get_uint64()));
    case boost::json::kind::double_:
      return bson_append_double(doc, key.data(), key_length(key), value.get_double());
    case boost::json::kind::string: {
      const boost::json::string& s = value.get_string();
      return bson_append_utf8(doc, key.data(), key_length(key), s.data(),
                              static_cast<int>(s.size()));
    }
    case boost::json::kind::array: {
      bson_t child;
      if (!bson_append_array_begin(doc, key.data(), key_length(key), &child)) return false;
      bool ok = true;
      const boost::json::array& array = value.get_array();
      for (size_t i = 0; i < array.size() && ok; ++i) {
        ok = append_json(&child, std::to_string(i), array[i]);
      }
      return bson_append_array_end(doc, &child) && ok;
    }
    case boost::json::kind::object: {
      bson_t child;
      if (!bson_append_document_begin(doc, key.data(), key_length(key), &child)) return false;
      bool ok = true;
      for (const auto& [k, v] : value.get_object()) {
        if (!(ok = append_json(&child, k, v))) break;
      }
      return bson_append_document_end(doc, &child) && ok;
    }
  }
  return false;
}

boost::json::value json_from_iter(const bson_iter_t* it);

boost::json::object object_from_bson(const bson_t* doc, bool drop_id) {
  boost::json::object object;
  bson_iter_t it;
  if (!bson_iter_init(&it, doc)) return object;
  while (bson_iter_next(&it)) {
    std::string_view key(bson_iter_key(&it), bson_iter_key_len(&it));
    if (drop_id && key == "_id") continue;
    object[key] = json_from_iter(&it);
  }
  return object;
}

boost::json::value json_from_iter(const bson_iter_t* it) {
  switch (bson_iter_type(it)) {
    case BSON_TYPE_DOUBLE:
      return bson_iter_double(it);
    case BSON_TYPE_UTF8: {
      uint32_t length = 0;
      const char* s = bson_iter_utf8(it, &length);
      return boost::json::string(std::string_view(s, length));
    }
    case BSON_TYPE_DOCUMENT:
    case BSON_TYPE_ARRAY: {
      uint32_t length = 0;
      const uint8_t* data = nullptr;
      if (bson_iter_type(it) == BSON_TYPE_DOCUMENT) {
        bson_iter_document(it, &length, &data);
      } else {
        bson_iter_array(it, &length, &data);
      }
      bson_t child;
      if (!bson_init_static(&child, data, length)) return nullptr;
      boost::json::object object = object_from_bson(&child, false);
      if (bson_iter_type(it) == BSON_TYPE_DOCUMENT) return object;
      boost::json::array array;
      for (auto& entry : object) array.push_back(std::move(entry.value()));
      return array;
    }
    case BSON_TYPE_BOOL:
      return bson_iter_bool(it);
    case BSON_TYPE_INT32:
      return static_cast<int64_t>(bson_iter_int32(it));
    case BSON_TYPE_INT64:
      return bson_iter_int64(it);
    case BSON_TYPE_DATE_TIME:
      return bson_iter_date_time(it);  // milliseconds since the epoch
    case BSON_TYPE_OID: {
      char hex[25];
      bson_oid_to_string(bson_iter_oid(it), hex);
      return boost::json::string(hex);
    }
    case BSON_TYPE_DECIMAL128: {
      bson_decimal128_t decimal;
      bson_iter_decimal128(it, &decimal);
      char text[BSON_DECIMAL128_STRING];
      bson_decimal128_to_string(&decimal, text);
      return boost::json::string(text);
    }
    default:
      return nullptr;  // types Comptoir never writes
  }
}

// Escapes the characters that are special in both PCRE and Go's RE2 (FerretDB).
std::string escape_regex(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size() * 2);
  for (char c : text) {
    if (std::string_view("\\.+*?()|[]{}^$").find(c) != std::string_view::npos) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

const char* mongo_operator(DocFilter::Op op) {
  switch (op) {
    case DocFilter::Op::kGt:
      return "$gt";
    case DocFilter::Op::kGte:
      return "$gte";
    case DocFilter::Op::kLt:
      return "$lt";
    case DocFilter::Op::kLte:
      return "$lte";
    default:
      return "$eq";
  }
}

Result<BsonHandle> filter_bson(const std::vector<DocFilter>& filters) {
  for (const DocFilter& filter : filters) COMPTOIR_TRY(check_filter(filter));
  BsonHandle query(bson_new());
  if (filters.empty()) return query;
  bson_t clauses;
  bool ok = bson_append_array_begin(query.get(), "$and", -1, &clauses);
  for (size_t i = 0; i < filters.size() && ok; ++i) {
    const DocFilter& filter = filters[i];
    bson_t clause;
    bson_t condition;
    ok = bson_append_document_begin(&clauses, std::to_string(i).c_str(), -1, &clause) &&
         bson_append_document_begin(&clause, filter.field.data(), key_length(filter.field),
                                    &condition);
    if (!ok) break;
    if (filter.op == DocFilter::Op::kContains) {
      std::string pattern = escape_regex(filter.value.get_string());
      ok = bson_append_utf8(&condition, "$regex", -1, pattern.data(),
                            static_cast<int>(pattern.size())) &&
           bson_append_utf8(&condition, "$options", -1, "i", 1);
    } else {
      ok = append_json(&condition, mongo_operator(filter.op), filter.value);
    }
    ok = bson_append_document_end(&clause, &condition) && ok;
    ok = bson_append_document_end(&clauses, &clause) && ok;
  }
  ok = bson_append_array_end(query.get(), &clauses) && ok;
  if (!ok) return Error::invalid("filter does not fit in a BSON document");
  return query;
}

Result<BsonHandle> document_bson(std::string_view id, const boost::json::object& doc) {
  if (doc.contains("_id")) return Error::invalid("field '_id' is reserved in documents");
  BsonHandle bson(bson_new());
  bool ok = bson_append_utf8(bson.get(), "_id", 3, id.data(), static_cast<int>(id.size()));
  for (const auto& [key, value] : doc) {
    if (!ok) break;
    ok = append_json(bson.get(), key, value);
  }
  if (!ok) return Error::invalid("document does not fit in BSON (NUL in a key, or too large)");
  return bson;
}

BsonHandle id_selector(std::string_view id) {
  BsonHandle selector(bson_new());
  bson_append_utf8(selector.get(), "_id", 3, id.data(), static_cast<int>(id.size()));
  return selector;
}

std::string describe(std::string_view collection, std::string_view id) {
  return "document '" + std::string(id) + "' in '" + std::string(collection) + "'";
}

}  // namespace

// One client popped from the pool for the length of a call, pushed back after.
class MongoStore::Session {
 public:
  explicit Session(MongoStore& store)
      : pool_(store.pool_.get()),
        client_(mongoc_client_pool_pop(pool_)),
        database_(store.database_) {}
  ~Session() { mongoc_client_pool_push(pool_, client_); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  mongoc_client_t* client() const { return client_; }
  CollectionHandle collection(std::string_view name) const {
    return CollectionHandle(
        mongoc_client_get_collection(client_, database_.c_str(), std::string(name).c_str()));
  }

 private:
  mongoc_client_pool_t* pool_;
  mongoc_client_t* client_;
  const std::string& database_;
};

void MongoStore::PoolDestroyer::operator()(mongoc_client_pool_t* pool) const {
  mongoc_client_pool_destroy(pool);
}

Result<std::unique_ptr<MongoStore>> MongoStore::open(std::string_view uri_text) {
  init_mongoc_once();
  bson_error_t error;
  UriHandle uri(mongoc_uri_new_with_error(std::string(uri_text).c_str(), &error));
  if (!uri) return Error::invalid(std::string("invalid MongoDB URI: ") + error.message);
  const std::pair<const char*, int32_t> timeouts[] = {
      {MONGOC_URI_SERVERSELECTIONTIMEOUTMS, kServerSelectionTimeoutMs},
      {MONGOC_URI_CONNECTTIMEOUTMS, kConnectTimeoutMs},
      {MONGOC_URI_SOCKETTIMEOUTMS, kSocketTimeoutMs}};
  for (const auto& [option, value] : timeouts) {
    if (!mongoc_uri_has_option(uri.get(), option)) {
      mongoc_uri_set_option_as_int32(uri.get(), option, value);
    }
  }
  const char* database = mongoc_uri_get_database(uri.get());
  PoolHandle pool(mongoc_client_pool_new(uri.get()));
  if (!pool) return Error::invalid("MongoDB URI not supported by this libmongoc build");
  mongoc_client_pool_set_error_api(pool.get(), MONGOC_ERROR_API_VERSION_2);
  mongoc_client_pool_set_appname(pool.get(), "comptoir");
  return std::unique_ptr<MongoStore>(
      new MongoStore(std::move(pool), database && *database ? database : kDefaultDatabase));
}

Status MongoStore::ping() {
  Session session(*this);
  BsonHandle command(BCON_NEW("ping", BCON_INT32(1)));
  Reply reply;
  bson_error_t error;
  if (!mongoc_client_command_simple(session.client(), "admin", command.get(), nullptr, &reply.doc,
                                    &error)) {
    return mongo_error(error, "ping");
  }
  return {};
}

Status MongoStore::insert(std::string_view collection, std::string_view id,
                          const boost::json::object& doc) {
  auto bson = document_bson(id, doc);
  if (!bson) return bson.error();
  Session session(*this);
  CollectionHandle handle = session.collection(collection);
  bson_error_t error;
  if (!mongoc_collection_insert_one(handle.get(), bson->get(), nullptr, nullptr, &error)) {
    Error e = mongo_error(error, "insert " + describe(collection, id));
    if (e.code == ErrorCode::kConflict) e.message = describe(collection, id) + " already exists";
    return e;
  }
  return {};
}

Result<boost::json::object> MongoStore::get(std::string_view collection, std::string_view id) {
  BsonHandle filter = id_selector(id);
  BsonHandle opts(BCON_NEW("limit", BCON_INT64(1)));
  Session session(*this);
  CollectionHandle handle = session.collection(collection);
  CursorHandle cursor(
      mongoc_collection_find_with_opts(handle.get(), filter.get(), opts.get(), nullptr));
  const bson_t* doc = nullptr;
  if (mongoc_cursor_next(cursor.get(), &doc)) return object_from_bson(doc, true);
  bson_error_t error;
  if (mongoc_cursor_error(cursor.get(), &error)) {
    return mongo_error(error, "get " + describe(collection, id));
  }
  return Error::not_found("no " + describe(collection, id));
}

Status MongoStore::replace(std::string_view collection, std::string_view id,
                           const boost::json::object& doc) {
  auto bson = document_bson(id, doc);
  if (!bson) return bson.error();
  BsonHandle selector = id_selector(id);
  Session session(*this);
  CollectionHandle handle = session.collection(collection);
  Reply reply;
  bson_error_t error;
  if (!mongoc_collection_replace_one(handle.get(), selector.get(), bson->get(), nullptr, &reply.doc,
                                     &error)) {
    return mongo_error(error, "replace " + describe(collection, id));
  }
  bson_iter_t it;
  if (bson_iter_init_find(&it, &reply.doc, "matchedCount") && bson_iter_as_int64(&it) == 0) {
    return Error::not_found("no " + describe(collection, id));
  }
  return {};
}

Status MongoStore::remove(std::string_view collection, std::string_view id) {
  BsonHandle selector = id_selector(id);
  Session session(*this);
  CollectionHandle handle = session.collection(collection);
  Reply reply;
  bson_error_t error;
  if (!mongoc_collection_delete_one(handle.get(), selector.get(), nullptr, &reply.doc, &error)) {
    return mongo_error(error, "remove " + describe(collection, id));
  }
  bson_iter_t it;
  if (bson_iter_init_find(&it, &reply.doc, "deletedCount") && bson_iter_as_int64(&it) == 0) {
    return Error::not_found("no " + describe(collection, id));
  }
  return {};
}

Result<std::vector<boost::json::object>> MongoStore::find(std::string_view collection,
                                                          const FindOptions& options) {
  auto filter = filter_bson(options.filters);
  if (!filter) return filter.error();
  BsonHandle opts(bson_new());
  if (!options.sort_field.empty()) {
    COMPTOIR_TRY(check_field_name(options.sort_field));
    bson_t sort;
    bson_append_document_begin(opts.get(), "sort", -1, &sort);
    bson_append_int32(&sort, options.sort_field.data(), key_length(options.sort_field),
                      options.descending ? -1 : 1);
    if (options.sort_field != "_id") bson_append_int32(&sort, "_id", 3, 1);
    bson_append_document_end(opts.get(), &sort);
  }
  if (options.skip > 0) bson_append_int64(opts.get(), "skip", -1, clamp_to_int64(options.skip));
  if (options.limit > 0) {
    bson_append_int64(opts.get(), "limit", -1, clamp_to_int64(options.limit));
  }

  Session session(*this);
  CollectionHandle handle = session.collection(collection);
  CursorHandle cursor(
      mongoc_collection_find_with_opts(handle.get(), filter->get(), opts.get(), nullptr));
  std::vector<boost::json::object> docs;
  const bson_t* doc = nullptr;
  while (mongoc_cursor_next(cursor.get(), &doc)) docs.push_back(object_from_bson(doc, true));
  bson_error_t error;
  if (mongoc_cursor_error(cursor.get(), &error)) {
    return mongo_error(error, "find in '" + std::string(collection) + "'");
  }
  return docs;
}

Result<uint64_t> MongoStore::count(std::string_view collection,
                                   const std::vector<DocFilter>& filters) {
  auto filter = filter_bson(filters);
  if (!filter) return filter.error();
  Session session(*this);
  CollectionHandle handle = session.collection(collection);
  bson_error_t error;
  int64_t n = mongoc_collection_count_documents(handle.get(), filter->get(), nullptr, nullptr,
                                                nullptr, &error);
  if (n < 0) return mongo_error(error, "count in '" + std::string(collection) + "'");
  return static_cast<uint64_t>(n);
}

Result<std::vector<std::string>> MongoStore::list_collections() {
  Session session(*this);
  DatabaseHandle database(mongoc_client_get_database(session.client(), database_.c_str()));
  bson_error_t error;
  char** names = mongoc_database_get_collection_names_with_opts(database.get(), nullptr, &error);
  if (!names) return mongo_error(error, "list collections");
  std::vector<std::string> result;
  for (char** name = names; *name; ++name) {
    if (std::string_view(*name).starts_with("system.")) continue;
    result.emplace_back(*name);
  }
  bson_strfreev(names);
  std::sort(result.begin(), result.end());
  return result;
}

}  // namespace comptoir
