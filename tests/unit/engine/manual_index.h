// Test helper: an in-memory index refreshed only when a test says so, with an explicit
// mapping given as Elasticsearch mapping JSON ("{}" for none).
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "engine/index/index.h"

namespace comptoir::engine {

inline std::unique_ptr<Index> manual_index(const std::string& name, const std::string& mapping) {
  IndexSettings settings;
  settings.refresh_interval = std::chrono::milliseconds(0);
  auto m = parse_mapping(boost::json::parse(mapping));
  EXPECT_TRUE(m.ok());
  auto idx = Index::create_in_memory(name, m.ok() ? *m : Mapping{}, settings);
  EXPECT_TRUE(idx.ok());
  return idx.ok() ? std::move(*idx) : nullptr;
}

}  // namespace comptoir::engine
