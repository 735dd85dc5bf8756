// Helpers for the ingest tests: run parse_file on a string into a CollectingSink,
// and find the real data files of shared/data (env COMPTOIR_SHARED_DATA, else
// <repo>/../shared/data); a missing folder skips loudly, or fails under CI=true.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/ingest.h"

namespace comptoir::ingest::testing {

// 2025-12-23T12:00:00Z: a fixed ingest time so syslog years and defaults are stable.
inline std::chrono::system_clock::time_point fixed_ingest_time() {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(1766491200000));
}

struct Parsed {
  Result<IngestSummary> summary = Error::internal("not run");
  CollectingSink sink;

  const boost::json::object& doc(size_t i) const { return sink.entries.at(i).document; }
  size_t size() const { return sink.entries.size(); }
};

inline std::unique_ptr<Parsed> parse(std::string_view bytes, std::string filename,
                                     IngestOptions options = {}) {
  auto out = std::make_unique<Parsed>();
  options.source_file = std::move(filename);
  options.ingest_time = fixed_ingest_time();
  out->summary = parse_file(bytes, options, out->sink);
  return out;
}

// A string field of a document ("" when absent or not a string).
inline std::string str(const boost::json::object& doc, std::string_view key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->value().is_string()) return "";
  return std::string(it->value().get_string());
}

inline bool ci_mode() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

inline std::filesystem::path shared_data_dir() {
  if (const char* env = std::getenv("COMPTOIR_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  // tests/unit/ingest/<file> → <repo>/../shared/data
  return std::filesystem::path(__FILE__)
             .parent_path()
             .parent_path()
             .parent_path()
             .parent_path()
             .parent_path() /
         "shared" / "data";
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace comptoir::ingest::testing

// Skips the test (or fails it under CI=true) when shared/data is absent.
#define COMPTOIR_REQUIRE_SHARED_DATA(dir)                                                 \
  do {                                                                                    \
    if (!std::filesystem::is_directory(dir)) {                                            \
      if (::comptoir::ingest::testing::ci_mode()) {                                       \
        FAIL() << "shared data folder " << (dir) << " is missing (CI=true)";              \
      }                                                                                   \
      GTEST_SKIP() << "shared data folder " << (dir)                                      \
                   << " is missing: set COMPTOIR_SHARED_DATA to run the real-file tests"; \
    }                                                                                     \
  } while (0)
