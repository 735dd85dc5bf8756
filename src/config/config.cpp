// Setting table, layering and validation of Comptoir's configuration.
#include "config/config.h"

#include <charconv>
#include <thread>

#include <fmt/format.h>

#include "config/dotenv.h"

extern char** environ;

namespace comptoir {

const std::vector<SettingSpec>& setting_specs() {
  static const std::vector<SettingSpec> specs = {
      {"COMPTOIR_HOST", "0.0.0.0", "address the HTTP server listens on", false},
      {"COMPTOIR_PORT", "8000", "TCP port of the HTTP server", false},
      {"COMPTOIR_DATA_DIR", "./data", "where the embedded backends keep their files", false},
      {"COMPTOIR_THREADS", "", "I/O threads (empty: one per core)", false},
      {"UPLOAD_FOLDER", "", "where uploaded files are stored (empty: DATA_DIR/uploads)", false},
      {"MAX_CONTENT_LENGTH", "16777216", "largest request body in bytes (413 beyond)", false},
      {"COMPTOIR_MAX_HEADER_BYTES", "16384", "largest request head in bytes (431 beyond)", false},
      {"COMPTOIR_MAX_CONNECTIONS", "10000", "open connections at most (503 beyond)", false},
      {"COMPTOIR_READ_TIMEOUT", "30", "seconds to receive a whole request", false},
      {"COMPTOIR_IDLE_TIMEOUT", "60", "seconds a keep-alive connection may stay idle", false},
      {"COMPTOIR_SHUTDOWN_TIMEOUT", "10", "seconds in-flight requests get at shutdown", false},
      {"COMPTOIR_CORS_ORIGINS", "*", "origins allowed on /api/* (comma list, * = any)", false},
      {"COMPTOIR_LOG_FORMAT", "text", "access and server log format: text or json", false},
      {"COMPTOIR_LOG_LEVEL", "info", "debug, info, warn or error", false},
      {"MONGODB_URI", "", "MongoDB URI (empty: embedded SQLite store)", true},
      {"REDIS_HOST", "", "Redis host (empty: in-process cache)", false},
      {"REDIS_PORT", "6379", "Redis port", false},
      {"REDIS_PASSWORD", "", "Redis password", true},
      {"REDIS_DB", "0", "Redis database number", false},
      {"ELASTICSEARCH_HOST", "", "Elasticsearch URL(s) (empty: embedded engine)", true},
      {"COMPTOIR_ES_API_KEY", "", "Elasticsearch API key (Authorization: ApiKey)", true},
      {"COMPTOIR_ES_CA_FILE", "", "CA bundle (PEM) for an https cluster (empty: system CAs)",
       false},
      {"COMPTOIR_ES_VERIFY_TLS", "true", "verify the cluster's certificate and host name", false},
      {"COMPTOIR_ES_CONNECT_TIMEOUT", "2", "seconds to connect to an Elasticsearch node", false},
      {"COMPTOIR_ES_TIMEOUT", "30", "seconds one request to Elasticsearch may take", false},
      {"COMPTOIR_ES_RETRIES", "3", "retries on 429/502/503/504 and connection failures", false},
      {"COMPTOIR_ES_BULK_MAX_DOCS", "1000", "documents per Elasticsearch _bulk request", false},
      {"COMPTOIR_ES_BULK_MAX_BYTES", "5242880", "bytes per Elasticsearch _bulk request", false},
      {"COMPTOIR_ES_INDEX_PREFIX", "", "prefix of Comptoir's index names on the cluster", false},
      {"COMPTOIR_ES_REFRESH", "wait_for", "how uploads refresh on the cluster: wait_for or true",
       false},
      {"COMPTOIR_ES_SHARDS", "", "primary shards of new indices (empty: the cluster's default)",
       false},
      {"COMPTOIR_ES_REPLICAS", "", "replicas of new indices (empty: the cluster's default)", false},
      {"COMPTOIR_CACHE_MAX_BYTES", "268435456", "memory the in-process cache may use", false},
      {"COMPTOIR_CACHE_TTL", "30", "seconds search and dashboard answers stay cached (0: off)",
       false},
      {"COMPTOIR_TIMEZONE", "UTC", "zone of timestamps written without an offset", false},
  };
  return specs;
}

Settings layer_settings(const StringMap& dotenv, const StringMap& environment,
                        const StringMap& flags) {
  Settings out;
  for (const auto& spec : setting_specs()) {
    Setting s{std::string(spec.default_value), "default"};
    const std::string name(spec.name);
    if (auto it = dotenv.find(name); it != dotenv.end()) s = {it->second, ".env"};
    if (auto it = environment.find(name); it != environment.end()) s = {it->second, "environment"};
    if (auto it = flags.find(name); it != flags.end()) s = {it->second, "flag"};
    out.emplace(name, std::move(s));
  }
  return out;
}

namespace {

Error bad(std::string_view name, std::string_view value, std::string_view expected) {
  return Error::invalid(fmt::format("invalid {}: '{}' is not {}", name, value, expected));
}

template <typename T>
Result<T> parse_integer(std::string_view name, std::string_view value, T min, T max) {
  T out{};
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || ptr != value.data() + value.size() || out < min || out > max) {
    return bad(name, value, fmt::format("an integer from {} to {}", min, max));
  }
  return out;
}

// Seconds, possibly fractional ("0.5"), from 0.01 s to one day.
Result<std::chrono::milliseconds> parse_seconds(std::string_view name, std::string_view value) {
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || ptr != value.data() + value.size() || !(seconds >= 0.01) ||
      seconds > 86400) {
    return bad(name, value, "a number of seconds from 0.01 to 86400");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

// true/false, 1/0, yes/no, on/off.
Result<bool> parse_bool(std::string_view name, std::string_view value) {
  if (value == "true" || value == "1" || value == "yes" || value == "on") return true;
  if (value == "false" || value == "0" || value == "no" || value == "off") return false;
  return bad(name, value, "true or false");
}

std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view item = value.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    pos = comma + 1;
  }
  return out;
}

}  // namespace

Result<Config> config_from_settings(const Settings& settings) {
  auto get = [&](std::string_view name) -> const std::string& {
    return settings.find(name)->second.value;
  };
  Config c;
  c.host = get("COMPTOIR_HOST");
  if (c.host.empty()) return bad("COMPTOIR_HOST", "", "an address");

  auto port = parse_integer<uint16_t>("COMPTOIR_PORT", get("COMPTOIR_PORT"), 0, 65535);
  COMPTOIR_TRY(port);
  c.port = *port;

  c.data_dir = get("COMPTOIR_DATA_DIR");
  if (c.data_dir.empty()) return bad("COMPTOIR_DATA_DIR", "", "a directory");

  if (get("COMPTOIR_THREADS").empty()) {
    c.threads = std::max(1u, std::thread::hardware_concurrency());
  } else {
    auto threads = parse_integer<unsigned>("COMPTOIR_THREADS", get("COMPTOIR_THREADS"), 1, 256);
    COMPTOIR_TRY(threads);
    c.threads = *threads;
  }

  c.upload_folder = get("UPLOAD_FOLDER");
  if (c.upload_folder.empty()) c.upload_folder = c.data_dir + "/uploads";

  auto max_body = parse_integer<uint64_t>("MAX_CONTENT_LENGTH", get("MAX_CONTENT_LENGTH"), 1,
                                          uint64_t{1} << 34);
  COMPTOIR_TRY(max_body);
  c.max_content_length = *max_body;

  auto max_header = parse_integer<uint32_t>("COMPTOIR_MAX_HEADER_BYTES",
                                            get("COMPTOIR_MAX_HEADER_BYTES"), 1024, 1 << 20);
  COMPTOIR_TRY(max_header);
  c.max_header_bytes = *max_header;

  auto max_conn = parse_integer<uint32_t>("COMPTOIR_MAX_CONNECTIONS",
                                          get("COMPTOIR_MAX_CONNECTIONS"), 1, 1000000);
  COMPTOIR_TRY(max_conn);
  c.max_connections = *max_conn;

  auto read_timeout = parse_seconds("COMPTOIR_READ_TIMEOUT", get("COMPTOIR_READ_TIMEOUT"));
  COMPTOIR_TRY(read_timeout);
  c.read_timeout = *read_timeout;
  auto idle_timeout = parse_seconds("COMPTOIR_IDLE_TIMEOUT", get("COMPTOIR_IDLE_TIMEOUT"));
  COMPTOIR_TRY(idle_timeout);
  c.idle_timeout = *idle_timeout;
  auto shutdown_timeout =
      parse_seconds("COMPTOIR_SHUTDOWN_TIMEOUT", get("COMPTOIR_SHUTDOWN_TIMEOUT"));
  COMPTOIR_TRY(shutdown_timeout);
  c.shutdown_timeout = *shutdown_timeout;

  c.cors_origins = split_list(get("COMPTOIR_CORS_ORIGINS"));

  const std::string& format = get("COMPTOIR_LOG_FORMAT");
  if (format == "text") {
    c.log_format = LogFormat::kText;
  } else if (format == "json") {
    c.log_format = LogFormat::kJson;
  } else {
    return bad("COMPTOIR_LOG_FORMAT", format, "text or json");
  }
  c.log_level = get("COMPTOIR_LOG_LEVEL");
  if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
      c.log_level != "error") {
    return bad("COMPTOIR_LOG_LEVEL", c.log_level, "debug, info, warn or error");
  }

  c.mongodb_uri = get("MONGODB_URI");
  if (!c.mongodb_uri.empty() && !c.mongodb_uri.starts_with("mongodb://") &&
      !c.mongodb_uri.starts_with("mongodb+srv://")) {
    return Error::invalid("invalid MONGODB_URI: expected mongodb:// or mongodb+srv://");
  }
  c.redis_host = get("REDIS_HOST");
  auto redis_port = parse_integer<uint16_t>("REDIS_PORT", get("REDIS_PORT"), 1, 65535);
  COMPTOIR_TRY(redis_port);
  c.redis_port = *redis_port;
  c.redis_password = get("REDIS_PASSWORD");
  auto redis_db = parse_integer<uint32_t>("REDIS_DB", get("REDIS_DB"), 0, 15);
  COMPTOIR_TRY(redis_db);
  c.redis_db = *redis_db;

  c.elasticsearch_host = get("ELASTICSEARCH_HOST");
  for (const auto& url : split_list(c.elasticsearch_host)) {
    if (!url.starts_with("http://") && !url.starts_with("https://")) {
      return Error::invalid(
          "invalid ELASTICSEARCH_HOST: each URL must start with http:// or "
          "https://");
    }
  }
  c.es_api_key = get("COMPTOIR_ES_API_KEY");
  c.es_ca_file = get("COMPTOIR_ES_CA_FILE");
  auto verify_tls = parse_bool("COMPTOIR_ES_VERIFY_TLS", get("COMPTOIR_ES_VERIFY_TLS"));
  COMPTOIR_TRY(verify_tls);
  c.es_verify_tls = *verify_tls;
  auto es_connect =
      parse_seconds("COMPTOIR_ES_CONNECT_TIMEOUT", get("COMPTOIR_ES_CONNECT_TIMEOUT"));
  COMPTOIR_TRY(es_connect);
  c.es_connect_timeout = *es_connect;
  auto es_timeout = parse_seconds("COMPTOIR_ES_TIMEOUT", get("COMPTOIR_ES_TIMEOUT"));
  COMPTOIR_TRY(es_timeout);
  c.es_timeout = *es_timeout;
  auto es_retries =
      parse_integer<uint32_t>("COMPTOIR_ES_RETRIES", get("COMPTOIR_ES_RETRIES"), 0, 10);
  COMPTOIR_TRY(es_retries);
  c.es_retries = *es_retries;
  auto bulk_docs = parse_integer<uint32_t>("COMPTOIR_ES_BULK_MAX_DOCS",
                                           get("COMPTOIR_ES_BULK_MAX_DOCS"), 1, 100000);
  COMPTOIR_TRY(bulk_docs);
  c.es_bulk_max_docs = *bulk_docs;
  auto bulk_bytes = parse_integer<uint64_t>("COMPTOIR_ES_BULK_MAX_BYTES",
                                            get("COMPTOIR_ES_BULK_MAX_BYTES"), 1024, 1u << 30);
  COMPTOIR_TRY(bulk_bytes);
  c.es_bulk_max_bytes = *bulk_bytes;
  const std::string& refresh = get("COMPTOIR_ES_REFRESH");
  if (refresh != "wait_for" && refresh != "true") {
    return bad("COMPTOIR_ES_REFRESH", refresh, "wait_for or true");
  }
  c.es_forced_refresh = refresh == "true";
  c.es_index_prefix = get("COMPTOIR_ES_INDEX_PREFIX");
  if (c.es_index_prefix.find_first_of("*,/\\?\"<>| #:") != std::string::npos ||
      c.es_index_prefix.starts_with('_') || c.es_index_prefix.starts_with('-')) {
    return bad("COMPTOIR_ES_INDEX_PREFIX", c.es_index_prefix, "a valid start of an index name");
  }
  if (const std::string& shards = get("COMPTOIR_ES_SHARDS"); !shards.empty()) {
    // 1024: the cluster's own limit on index.number_of_shards.
    auto n = parse_integer<uint32_t>("COMPTOIR_ES_SHARDS", shards, 1, 1024);
    COMPTOIR_TRY(n);
    c.es_shards = *n;
  }
  if (const std::string& replicas = get("COMPTOIR_ES_REPLICAS"); !replicas.empty()) {
    auto n = parse_integer<uint32_t>("COMPTOIR_ES_REPLICAS", replicas, 0, 100);
    COMPTOIR_TRY(n);
    c.es_replicas = *n;
  }

  auto cache_bytes = parse_integer<uint64_t>(
      "COMPTOIR_CACHE_MAX_BYTES", get("COMPTOIR_CACHE_MAX_BYTES"), 1024, uint64_t{1} << 40);
  COMPTOIR_TRY(cache_bytes);
  c.cache_max_bytes = *cache_bytes;
  auto cache_ttl =
      parse_integer<uint32_t>("COMPTOIR_CACHE_TTL", get("COMPTOIR_CACHE_TTL"), 0, 86400);
  COMPTOIR_TRY(cache_ttl);
  c.cache_ttl = std::chrono::seconds(*cache_ttl);
  // The zone itself is checked against the tz database by the ingestion at start-up.
  c.timezone = get("COMPTOIR_TIMEZONE");
  if (c.timezone.empty()) return bad("COMPTOIR_TIMEZONE", "", "a time zone");
  return c;
}

StringMap process_environment() {
  StringMap out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return out;
}

Result<Settings> load_settings(const StringMap& flags) {
  auto dotenv = read_dotenv_file(".env");
  COMPTOIR_TRY(dotenv);
  return layer_settings(*dotenv, process_environment(), flags);
}

std::string masked_value(const SettingSpec& spec, std::string_view value) {
  if (!spec.secret || value.empty()) return std::string(value);
  // URLs: mask only the password of `scheme://user:password@host`, keep the rest.
  std::string out(value);
  bool url = false;
  size_t pos = 0;
  while ((pos = out.find("://", pos)) != std::string::npos) {
    url = true;
    const size_t start = pos + 3;
    const size_t end = out.find_first_of("/,", start);
    const size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at > start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "****");
    }
    pos = start;
  }
  return url ? out : "****";
}

}  // namespace comptoir
