// Configuration: defaults, layering precedence, validation naming the variable,
// and masking of secrets.
#include "config/config.h"

#include <gtest/gtest.h>

namespace comptoir {
namespace {

Result<Config> from(const StringMap& env) {
  return config_from_settings(layer_settings({}, env, {}));
}

TEST(ConfigTest, Defaults) {
  auto c = from({});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->host, "0.0.0.0");
  EXPECT_EQ(c->port, 8000);
  EXPECT_EQ(c->data_dir, "./data");
  EXPECT_EQ(c->upload_folder, "./data/uploads");
  EXPECT_EQ(c->max_content_length, 16777216u);
  EXPECT_EQ(c->cors_origins, std::vector<std::string>{"*"});
  EXPECT_GE(c->threads, 1u);
  EXPECT_TRUE(c->mongodb_uri.empty());
  EXPECT_TRUE(c->redis_host.empty());
  EXPECT_TRUE(c->elasticsearch_host.empty());
}

TEST(ConfigTest, PrecedenceIsFlagsOverEnvironmentOverDotenvOverDefaults) {
  const StringMap dotenv = {
      {"COMPTOIR_PORT", "1"}, {"COMPTOIR_HOST", "10.0.0.1"}, {"REDIS_PORT", "7000"}};
  const StringMap env = {{"COMPTOIR_PORT", "2"}, {"COMPTOIR_HOST", "10.0.0.2"}};
  const StringMap flags = {{"COMPTOIR_PORT", "3"}};
  const Settings s = layer_settings(dotenv, env, flags);
  EXPECT_EQ(s.at("COMPTOIR_PORT").value, "3");
  EXPECT_EQ(s.at("COMPTOIR_PORT").source, "flag");
  EXPECT_EQ(s.at("COMPTOIR_HOST").value, "10.0.0.2");
  EXPECT_EQ(s.at("COMPTOIR_HOST").source, "environment");
  EXPECT_EQ(s.at("REDIS_PORT").value, "7000");
  EXPECT_EQ(s.at("REDIS_PORT").source, ".env");
  EXPECT_EQ(s.at("COMPTOIR_DATA_DIR").source, "default");
  EXPECT_EQ(s.count("PATH"), 0u) << "unknown names are not settings";
}

TEST(ConfigTest, UploadFolderFollowsDataDirUnlessSet) {
  auto c = from({{"COMPTOIR_DATA_DIR", "/srv/c"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->upload_folder, "/srv/c/uploads");
  c = from({{"COMPTOIR_DATA_DIR", "/srv/c"}, {"UPLOAD_FOLDER", "/app/uploads"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->upload_folder, "/app/uploads");
}

TEST(ConfigTest, ParsesTimeoutsListsAndFormats) {
  auto c = from({{"COMPTOIR_READ_TIMEOUT", "0.5"},
                 {"COMPTOIR_CORS_ORIGINS", "https://a.example, https://b.example"},
                 {"COMPTOIR_LOG_FORMAT", "json"},
                 {"COMPTOIR_THREADS", "3"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->read_timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(c->cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(c->log_format, LogFormat::kJson);
  EXPECT_EQ(c->threads, 3u);
}

struct InvalidCase {
  const char* name;
  const char* value;
};

class ConfigInvalidTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(ConfigInvalidTest, ErrorNamesTheVariable) {
  auto c = from({{GetParam().name, GetParam().value}});
  ASSERT_FALSE(c.ok()) << GetParam().name << "=" << GetParam().value;
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(c.error().message.find(GetParam().name), std::string::npos) << c.error().message;
  EXPECT_EQ(c.error().message.find('\n'), std::string::npos) << "one line";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigInvalidTest,
    ::testing::Values(
        InvalidCase{"COMPTOIR_PORT", "http"}, InvalidCase{"COMPTOIR_PORT", "70000"},
        InvalidCase{"COMPTOIR_PORT", "-1"}, InvalidCase{"COMPTOIR_PORT", "80x"},
        InvalidCase{"COMPTOIR_THREADS", "0"}, InvalidCase{"MAX_CONTENT_LENGTH", "16MB"},
        InvalidCase{"MAX_CONTENT_LENGTH", "0"}, InvalidCase{"COMPTOIR_READ_TIMEOUT", "forever"},
        InvalidCase{"COMPTOIR_IDLE_TIMEOUT", "0"}, InvalidCase{"COMPTOIR_LOG_FORMAT", "xml"},
        InvalidCase{"COMPTOIR_LOG_LEVEL", "loud"}, InvalidCase{"MONGODB_URI", "localhost:27017"},
        InvalidCase{"REDIS_PORT", "redis"}, InvalidCase{"REDIS_DB", "16"},
        InvalidCase{"ELASTICSEARCH_HOST", "localhost:9200"}, InvalidCase{"COMPTOIR_DATA_DIR", ""},
        InvalidCase{"COMPTOIR_MAX_CONNECTIONS", "0"},
        InvalidCase{"COMPTOIR_ES_VERIFY_TLS", "maybe"}, InvalidCase{"COMPTOIR_ES_TIMEOUT", "0"},
        InvalidCase{"COMPTOIR_ES_RETRIES", "11"}, InvalidCase{"COMPTOIR_ES_BULK_MAX_DOCS", "0"},
        InvalidCase{"COMPTOIR_ES_REFRESH", "false"}, InvalidCase{"COMPTOIR_ES_SHARDS", "0"},
        InvalidCase{"COMPTOIR_ES_SHARDS", "three"}, InvalidCase{"COMPTOIR_ES_REPLICAS", "-1"},
        InvalidCase{"COMPTOIR_ES_INDEX_PREFIX", "a*"}));

const SettingSpec& spec(std::string_view name) {
  for (const auto& s : setting_specs()) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("no such setting");
}

TEST(ConfigTest, MasksSecrets) {
  EXPECT_EQ(masked_value(spec("MONGODB_URI"),
                         "mongodb://admin:admin123@localhost:27017/ecommerce?authSource=admin"),
            "mongodb://admin:****@localhost:27017/ecommerce?authSource=admin");
  EXPECT_EQ(masked_value(spec("MONGODB_URI"), "mongodb://localhost:27017/x"),
            "mongodb://localhost:27017/x");
  EXPECT_EQ(masked_value(spec("REDIS_PASSWORD"), "hunter2"), "****");
  EXPECT_EQ(masked_value(spec("REDIS_PASSWORD"), ""), "");
  EXPECT_EQ(masked_value(spec("ELASTICSEARCH_HOST"),
                         "https://elastic:pw@es1:9200,https://elastic:pw@es2:9200"),
            "https://elastic:****@es1:9200,https://elastic:****@es2:9200");
  EXPECT_EQ(masked_value(spec("COMPTOIR_PORT"), "8000"), "8000");
}

TEST(ConfigTest, ElasticsearchSettings) {
  auto defaults = from({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->es_verify_tls);
  EXPECT_EQ(defaults->es_timeout, std::chrono::seconds(30));
  EXPECT_EQ(defaults->es_retries, 3u);
  EXPECT_FALSE(defaults->es_forced_refresh);
  EXPECT_FALSE(defaults->es_shards.has_value());
  EXPECT_FALSE(defaults->es_replicas.has_value());
  auto c = from({{"COMPTOIR_ES_VERIFY_TLS", "false"},
                 {"COMPTOIR_ES_SHARDS", "3"},
                 {"COMPTOIR_ES_REPLICAS", "0"},
                 {"COMPTOIR_ES_CONNECT_TIMEOUT", "0.5"},
                 {"COMPTOIR_ES_REFRESH", "true"},
                 {"COMPTOIR_ES_INDEX_PREFIX", "staging-"},
                 {"COMPTOIR_ES_BULK_MAX_BYTES", "1048576"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->es_verify_tls);
  EXPECT_EQ(c->es_connect_timeout, std::chrono::milliseconds(500));
  EXPECT_TRUE(c->es_forced_refresh);
  EXPECT_EQ(c->es_index_prefix, "staging-");
  EXPECT_EQ(c->es_bulk_max_bytes, 1048576u);
  EXPECT_EQ(c->es_shards, 3u);
  EXPECT_EQ(c->es_replicas, 0u);
  EXPECT_EQ(masked_value(spec("COMPTOIR_ES_API_KEY"), "secret"), "****");
}

}  // namespace
}  // namespace comptoir
