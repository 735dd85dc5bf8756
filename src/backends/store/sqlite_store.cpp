// SqliteStore: the embedded document store on one SQLite file (see sqlite_store.h).
//
// Schema: documents(seq INTEGER PRIMARY KEY AUTOINCREMENT, collection, id, body JSON,
// UNIQUE(collection, id)); seq gives insertion order. A filter on field F becomes a
// json_type() check (so numbers only meet numbers, strings only strings) plus a
// comparison on json_extract(body, '$.F'), which the (collection, json_extract) indexes serve.
#include "backends/store/sqlite_store.h"

#include <sqlite3.h>

#include <limits>
#include <system_error>

namespace comptoir {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr size_t kMaxCachedStatements = 256;
// The fields the catalogue API filters and sorts on (products, then orders).
constexpr std::string_view kIndexedFields[] = {"category", "price", "name",
                                               "customer", "date",  "total"};

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error::unavailable(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error::corruption(std::move(message));
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Error::io(std::move(message));
    case SQLITE_CONSTRAINT:
      return Error::conflict(std::move(message));
    default:
      return Error::internal(std::move(message));
  }
}

// A JSON path literal for a field that passed check_field_name (no quote can occur).
std::string json_path(std::string_view field) {
  return "'$." + std::string(field) + "'";
}

std::string_view sql_operator(DocFilter::Op op) {
  switch (op) {
    case DocFilter::Op::kGt:
      return ">";
    case DocFilter::Op::kGte:
      return ">=";
    case DocFilter::Op::kLt:
      return "<";
    case DocFilter::Op::kLte:
      return "<=";
    default:
      return "=";
  }
}

// The SQL condition for one filter; its parameter, if any, is appended to `params`.
Result<std::string> filter_sql(const DocFilter& filter, std::vector<boost::json::value>& params) {
  COMPTOIR_TRY(check_filter(filter));
  const std::string path = json_path(filter.field);
  const std::string type = "json_type(body, " + path + ")";
  const std::string value = "json_extract(body, " + path + ")";
  const boost::json::value& v = filter.value;
  if (filter.op == DocFilter::Op::kContains) {
    params.push_back(v);
    return "(" + type + " = 'text' AND instr(lower(" + value + "), lower(?)) > 0)";
  }
  if (v.is_bool()) return type + (v.as_bool() ? " = 'true'" : " = 'false'");
  if (v.is_null()) return "coalesce(" + type + ", 'null') = 'null'";
  params.push_back(v);
  const std::string type_check =
      v.is_string() ? type + " = 'text'" : type + " IN ('integer', 'real')";
  return "(" + type_check + " AND " + value + " " + std::string(sql_operator(filter.op)) + " ?)";
}

Result<std::string> where_sql(std::string_view collection, const std::vector<DocFilter>& filters,
                              std::vector<boost::json::value>& params) {
  std::string sql = " WHERE collection = ?";
  params.emplace_back(collection);
  for (const DocFilter& filter : filters) {
    auto condition = filter_sql(filter, params);
    if (!condition) return condition.error();
    sql += " AND " + *condition;
  }
  return sql;
}

int bind_value(sqlite3_stmt* stmt, int index, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return sqlite3_bind_text(stmt, index, v.get_string().data(),
                               static_cast<int>(v.get_string().size()), SQLITE_TRANSIENT);
    case boost::json::kind::int64:
      return sqlite3_bind_int64(stmt, index, v.get_int64());
    case boost::json::kind::uint64:
      if (v.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return sqlite3_bind_int64(stmt, index, static_cast<int64_t>(v.get_uint64()));
      }
      return sqlite3_bind_double(stmt, index, static_cast<double>(v.get_uint64()));
    case boost::json::kind::double_:
      return sqlite3_bind_double(stmt, index, v.get_double());
    case boost::json::kind::bool_:
      return sqlite3_bind_int(stmt, index, v.get_bool() ? 1 : 0);
    default:
      return sqlite3_bind_null(stmt, index);
  }
}

int64_t clamp_to_int64(uint64_t n) {
  return n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
             ? std::numeric_limits<int64_t>::max()
             : static_cast<int64_t>(n);
}

Result<boost::json::object> parse_body(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return Error::corruption("stored document is not a JSON object");
  return std::move(v.get_object());
}

}  // namespace

// A prepared statement in use: binds parameters, steps rows, and on destruction
// resets the statement so the cache can hand it out again.
class SqliteStore::Cursor {
 public:
  Cursor(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Cursor() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  Status bind(const std::vector<boost::json::value>& params) {
    for (size_t i = 0; i < params.size(); ++i) {
      int rc = bind_value(stmt_, static_cast<int>(i + 1), params[i]);
      if (rc != SQLITE_OK) return sqlite_error(db_, rc, "bind");
    }
    return {};
  }
  // true when a row is ready, false when the statement is done.
  Result<bool> step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, rc, "step");
  }
  std::string_view text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return {data ? data : "", static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

void SqliteStore::DatabaseCloser::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}
void SqliteStore::StatementFinalizer::operator()(sqlite3_stmt* stmt) const {
  sqlite3_finalize(stmt);
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return Error::io("cannot create " + path.parent_path().string() + ": " + ec.message());
  }
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  DatabaseHandle db(raw);
  if (rc != SQLITE_OK) return sqlite_error(db.get(), rc, "open " + path.string());
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);

  // synchronous=NORMAL: in WAL mode a crash never corrupts the file; a power loss may
  // lose the last commits, the same bargain as MongoDB's default write concern.
  std::string schema =
      "PRAGMA journal_mode = WAL;"
      "PRAGMA synchronous = NORMAL;"
      "CREATE TABLE IF NOT EXISTS documents ("
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  collection TEXT NOT NULL,"
      "  id TEXT NOT NULL,"
      "  body TEXT NOT NULL,"
      "  UNIQUE (collection, id));";
  for (std::string_view field : kIndexedFields) {
    schema += "CREATE INDEX IF NOT EXISTS documents_" + std::string(field) +
              " ON documents (collection, json_extract(body, " + json_path(field) + "));";
  }
  char* message = nullptr;
  rc = sqlite3_exec(db.get(), schema.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    Error error = sqlite_error(db.get(), rc, "create schema in " + path.string());
    sqlite3_free(message);
    return error;
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db)));
}

Result<sqlite3_stmt*> SqliteStore::prepare(const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second.get();
  // Queries differ by their filters; the cache only needs to hold the common shapes.
  if (statements_.size() >= kMaxCachedStatements) statements_.clear();
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  StatementHandle stmt(raw);
  if (rc != SQLITE_OK) return sqlite_error(db_.get(), rc, "prepare");
  sqlite3_stmt* result = stmt.get();
  statements_.emplace(sql, std::move(stmt));
  return result;
}

Result<int> SqliteStore::execute(const std::string& sql,
                                 const std::vector<boost::json::value>& params) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  Cursor cursor(db_.get(), *stmt);
  COMPTOIR_TRY(cursor.bind(params));
  auto row = cursor.step();
  if (!row) return row.error();
  return sqlite3_changes(db_.get());
}

Status SqliteStore::ping() {
  std::lock_guard lock(mutex_);
  auto stmt = prepare("SELECT 1");
  if (!stmt) return stmt.error();
  Cursor cursor(db_.get(), *stmt);
  auto row = cursor.step();
  if (!row) return row.error();
  return {};
}

Status SqliteStore::insert(std::string_view collection, std::string_view id,
                           const boost::json::object& doc) {
  std::vector<boost::json::value> params{boost::json::string(collection), boost::json::string(id),
                                         boost::json::string(boost::json::serialize(doc))};
  std::lock_guard lock(mutex_);
  auto changed = execute("INSERT INTO documents (collection, id, body) VALUES (?, ?, ?)", params);
  if (!changed) {
    if (changed.error().code == ErrorCode::kConflict) {
      return Error::conflict("document '" + std::string(id) + "' already exists in '" +
                             std::string(collection) + "'");
    }
    return changed.error();
  }
  return {};
}

Result<boost::json::object> SqliteStore::get(std::string_view collection, std::string_view id) {
  std::string body;
  {
    std::lock_guard lock(mutex_);
    auto stmt = prepare("SELECT body FROM documents WHERE collection = ? AND id = ?");
    if (!stmt) return stmt.error();
    Cursor cursor(db_.get(), *stmt);
    COMPTOIR_TRY(cursor.bind({boost::json::string(collection), boost::json::string(id)}));
    auto row = cursor.step();
    if (!row) return row.error();
    if (!*row) {
      return Error::not_found("no document '" + std::string(id) + "' in '" +
                              std::string(collection) + "'");
    }
    body = cursor.text(0);
  }
  return parse_body(body);
}

Status SqliteStore::replace(std::string_view collection, std::string_view id,
                            const boost::json::object& doc) {
  std::vector<boost::json::value> params{boost::json::string(boost::json::serialize(doc)),
                                         boost::json::string(collection), boost::json::string(id)};
  std::lock_guard lock(mutex_);
  auto changed = execute("UPDATE documents SET body = ? WHERE collection = ? AND id = ?", params);
  if (!changed) return changed.error();
  if (*changed == 0) {
    return Error::not_found("no document '" + std::string(id) + "' in '" + std::string(collection) +
                            "'");
  }
  return {};
}

Status SqliteStore::remove(std::string_view collection, std::string_view id) {
  std::vector<boost::json::value> params{boost::json::string(collection), boost::json::string(id)};
  std::lock_guard lock(mutex_);
  auto changed = execute("DELETE FROM documents WHERE collection = ? AND id = ?", params);
  if (!changed) return changed.error();
  if (*changed == 0) {
    return Error::not_found("no document '" + std::string(id) + "' in '" + std::string(collection) +
                            "'");
  }
  return {};
}

Result<std::vector<boost::json::object>> SqliteStore::find(std::string_view collection,
                                                           const FindOptions& options) {
  std::vector<boost::json::value> params;
  auto where = where_sql(collection, options.filters, params);
  if (!where) return where.error();
  std::string sql = "SELECT body FROM documents" + *where;
  if (options.sort_field.empty()) {
    sql += " ORDER BY seq";
  } else {
    COMPTOIR_TRY(check_field_name(options.sort_field));
    sql += " ORDER BY json_extract(body, " + json_path(options.sort_field) + ")" +
           (options.descending ? " DESC" : " ASC") + ", id ASC";
  }
  sql += " LIMIT ? OFFSET ?";
  params.emplace_back(options.limit == 0 ? int64_t{-1} : clamp_to_int64(options.limit));
  params.emplace_back(clamp_to_int64(options.skip));

  std::vector<std::string> bodies;
  {
    std::lock_guard lock(mutex_);
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();
    Cursor cursor(db_.get(), *stmt);
    COMPTOIR_TRY(cursor.bind(params));
    while (true) {
      auto row = cursor.step();
      if (!row) return row.error();
      if (!*row) break;
      bodies.emplace_back(cursor.text(0));
    }
  }
  // Parsing happens outside the lock: it is the expensive part of a large page.
  std::vector<boost::json::object> docs;
  docs.reserve(bodies.size());
  for (const std::string& body : bodies) {
    auto doc = parse_body(body);
    if (!doc) return doc.error();
    docs.push_back(std::move(*doc));
  }
  return docs;
}

Result<uint64_t> SqliteStore::count(std::string_view collection,
                                    const std::vector<DocFilter>& filters) {
  std::vector<boost::json::value> params;
  auto where = where_sql(collection, filters, params);
  if (!where) return where.error();
  std::lock_guard lock(mutex_);
  auto stmt = prepare("SELECT count(*) FROM documents" + *where);
  if (!stmt) return stmt.error();
  Cursor cursor(db_.get(), *stmt);
  COMPTOIR_TRY(cursor.bind(params));
  auto row = cursor.step();
  if (!row) return row.error();
  return static_cast<uint64_t>(cursor.integer(0));
}

Result<std::vector<std::string>> SqliteStore::list_collections() {
  std::lock_guard lock(mutex_);
  auto stmt = prepare("SELECT DISTINCT collection FROM documents ORDER BY collection");
  if (!stmt) return stmt.error();
  Cursor cursor(db_.get(), *stmt);
  std::vector<std::string> names;
  while (true) {
    auto row = cursor.step();
    if (!row) return row.error();
    if (!*row) break;
    names.emplace_back(cursor.text(0));
  }
  return names;
}

}  // namespace comptoir
