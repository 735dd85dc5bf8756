// Golden files: every input under golden/ (CSV with quotes, missing and extra
// cells, odd and canonical header spellings, both sales layouts, NDJSON and JSON
// shapes, every text-log layout) must give the documents, rejections and summary
// of its .expected file, byte for byte. The .expected files were written by the
// general path (an object per document, canonical fields insert_or_assign'ed)
// before the parsers wrote each document's text directly, so these tests hold the
// direct writing to it. COMPTOIR_UPDATE_GOLDEN=1 rewrites them (a deliberate
// change of the output).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "golden_dump.h"

namespace comptoir::ingest {
namespace {

namespace fs = std::filesystem;

fs::path golden_dir() {
  return COMPTOIR_INGEST_GOLDEN_DIR;
}

std::vector<std::string> golden_inputs() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(golden_dir(), ec)) {
    if (entry.path().extension() != ".expected") names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class IngestGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(IngestGolden, SameDocumentsAsTheGeneralPath) {
  const fs::path input = golden_dir() / GetParam();
  const fs::path expected_path = fs::path(input.string() + ".expected");
  const std::string actual = testing::golden_dump(testing::read_file(input), GetParam());
  const char* update = std::getenv("COMPTOIR_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(expected_path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << expected_path;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path;
  EXPECT_EQ(actual, testing::read_file(expected_path)) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(IngestGoldenFiles, IngestGolden, ::testing::ValuesIn(golden_inputs()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace comptoir::ingest
