// .env parsing: the specification's own example, quoting, comments and errors.
#include "config/dotenv.h"

#include <gtest/gtest.h>

namespace comptoir {
namespace {

TEST(DotenvTest, ParsesTheSpecificationExample) {
  auto parsed = parse_dotenv(
      "# MongoDB\n"
      "MONGODB_URI=mongodb://admin:admin123@localhost:27017/ecommerce?authSource=admin\n"
      "\n"
      "REDIS_HOST=localhost\n"
      "REDIS_PORT=6379\n"
      "ELASTICSEARCH_HOST=http://localhost:9200\n"
      "UPLOAD_FOLDER=/app/uploads\n"
      "MAX_CONTENT_LENGTH=16777216  # 16MB\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto& m = *parsed;
  EXPECT_EQ(m.at("MONGODB_URI"),
            "mongodb://admin:admin123@localhost:27017/ecommerce?authSource=admin");
  EXPECT_EQ(m.at("REDIS_PORT"), "6379");
  EXPECT_EQ(m.at("MAX_CONTENT_LENGTH"), "16777216");
  EXPECT_EQ(m.size(), 6u);
}

struct DotenvCase {
  const char* text;
  const char* key;
  const char* value;
};

class DotenvValueTest : public ::testing::TestWithParam<DotenvCase> {};

TEST_P(DotenvValueTest, Value) {
  auto parsed = parse_dotenv(GetParam().text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_TRUE(parsed->count(GetParam().key)) << GetParam().text;
  EXPECT_EQ(parsed->at(GetParam().key), GetParam().value);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DotenvValueTest,
    ::testing::Values(DotenvCase{"A=1", "A", "1"}, DotenvCase{"  A = 1  ", "A", "1"},
                      DotenvCase{"export A=x", "A", "x"}, DotenvCase{"A=", "A", ""},
                      DotenvCase{"A=a#b", "A", "a#b"}, DotenvCase{"A=a #b", "A", "a"},
                      DotenvCase{"A='a #b'", "A", "a #b"}, DotenvCase{"A=\"x\\ny\"", "A", "x\ny"},
                      DotenvCase{"A='x\\ny'", "A", "x\\ny"},
                      DotenvCase{"A=\"multi\nline\"\nB=2", "B", "2"},
                      DotenvCase{"A=\"multi\nline\" # c", "A", "multi\nline"},
                      DotenvCase{"A=1\r\n", "A", "1"}, DotenvCase{"A=1\nA=2", "A", "2"}));

TEST(DotenvTest, RejectsMalformedLinesWithTheirNumber) {
  for (const char* text :
       {"A=1\nnot a setting\n", "A=1\n1A=2", "A=1\nB=\"open\n", "A=1\nB='x' y"}) {
    auto parsed = parse_dotenv(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message.find("line 2"), std::string::npos) << parsed.error().message;
  }
}

TEST(DotenvTest, MissingFileIsEmpty) {
  auto parsed = read_dotenv_file("/nonexistent/dir/.env");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

}  // namespace
}  // namespace comptoir
