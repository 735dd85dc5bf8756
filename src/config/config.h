// Comptoir's configuration: the typed Config, and how it is assembled.
//
// Every setting has a name (the environment variable), a default and a parser.
// Values are layered defaults < `.env` file < environment < command-line flags;
// config_from_settings() validates them all and names the variable of the first
// invalid value, so a bad deployment stops at start-up with a one-line message.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/log.h"
#include "util/result.h"

namespace comptoir {

struct Config {
  std::string host;
  uint16_t port = 0;
  std::string data_dir;
  unsigned threads = 1;
  std::string upload_folder;
  uint64_t max_content_length = 0;
  uint32_t max_header_bytes = 0;
  uint32_t max_connections = 0;
  std::chrono::milliseconds read_timeout{0};
  std::chrono::milliseconds idle_timeout{0};
  std::chrono::milliseconds shutdown_timeout{0};
  std::vector<std::string> cors_origins;  // {"*"} allows any origin
  LogFormat log_format = LogFormat::kText;
  std::string log_level;
  std::string mongodb_uri;  // empty: embedded SQLite store
  std::string redis_host;   // empty: in-process cache
  uint16_t redis_port = 0;
  std::string redis_password;
  uint32_t redis_db = 0;
  std::string elasticsearch_host;  // empty: embedded search engine
  std::string es_api_key;          // `Authorization: ApiKey`; or user:pass@ in the URL
  std::string es_ca_file;          // PEM bundle for an https cluster (empty: system CAs)
  bool es_verify_tls = true;
  std::chrono::milliseconds es_connect_timeout{0};
  std::chrono::milliseconds es_timeout{0};  // of one request to the cluster
  uint32_t es_retries = 0;                  // on 429/502/503/504 and connection failures
  uint32_t es_bulk_max_docs = 0;            // per _bulk request
  uint64_t es_bulk_max_bytes = 0;           // per _bulk request
  std::string es_index_prefix;              // before every index name on the cluster
  bool es_forced_refresh = false;           // uploads: refresh=true, not wait_for
  std::optional<uint32_t> es_shards;        // primary shards of new indices (unset: cluster's)
  std::optional<uint32_t> es_replicas;      // replicas of new indices (unset: cluster's)
  uint64_t cache_max_bytes = 0;
  std::chrono::seconds cache_ttl{30};  // of cached search/dashboard answers; 0: off
  std::string timezone;                // of timestamps written without an offset
};

// What a setting is: its variable name, default, meaning, and whether its value
// must be masked when printed.
struct SettingSpec {
  std::string_view name;
  std::string_view default_value;
  std::string_view description;
  bool secret;
};

// Every setting Comptoir reads, in the order `comptoir config` prints them.
const std::vector<SettingSpec>& setting_specs();

// One setting's raw value and where it came from ("default", ".env",
// "environment" or "flag").
struct Setting {
  std::string value;
  std::string source;
};
using Settings = std::map<std::string, Setting, std::less<>>;

using StringMap = std::map<std::string, std::string>;

// Layers the known settings: defaults < dotenv < environment < flags. Names that
// are not settings are ignored.
Settings layer_settings(const StringMap& dotenv, const StringMap& environment,
                        const StringMap& flags);

// Parses and validates. The error message names the offending variable.
Result<Config> config_from_settings(const Settings& settings);

// The whole procedure: `.env` in the working directory, the process environment,
// then `flags` (keyed by variable name).
Result<Settings> load_settings(const StringMap& flags);

// A value as `comptoir config` prints it: secrets and URL passwords masked.
std::string masked_value(const SettingSpec& spec, std::string_view value);

// Reads the process environment into a map.
StringMap process_environment();

}  // namespace comptoir
