// LogCsvExport on the embedded engine: the CSV of its scan, which hands over the stored
// source text, is byte for byte the CSV of the portable scan, which parses it, on
// documents with escapes, nested objects, repeated keys, missing fields and values that
// are not strings, page after page; and column lists name their problem.
#include "core/log_export.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "backends/search/embedded_search.h"
#include "core/canonical_mappings.h"
#include "portable_scan.h"
#include "util/random_id.h"

namespace comptoir {
namespace {

const std::vector<std::string> kSources = {
    R"({"@timestamp":"2026-01-02T10:00:00Z","Level":"INFO","Service":"cart","Message":"plain","User":"u1"})",
    R"({"@timestamp":"2026-01-02T10:00:01Z","Level":"ERROR","Service":"caf\u00e9 \ud83d\ude00",)"
    R"("Message":"say \"hi\", then\nbreak \\ \/ \t","User":"=cmd"})",
    R"( { "@timestamp" : "2026-01-02T10:00:02Z" , "level" : "warn", "service":"alt",)"
    R"( "msg":"spelling of another tool", "user":"u3" } )",
    R"({"@timestamp":"2026-01-02T10:00:03Z","Level":"DEBUG","Level":"TRACE","Message":"repeated"})",
    R"({"@timestamp":"2026-01-02T10:00:04Z","a":{"b":{"c":["x","y\"z"]},"d":null},)"
    R"("http":{"status":503},"Duration":1234,"x":1.0,"n":[1.5, 2,-0.0],"flag":true})",
    R"({"@timestamp":"2026-01-02T10:00:05Z","M\u0065ssage":"escaped key","p.q":"whole key",)"
    R"("p":{"q":"by path"},"Duration":-7})",
    R"({"@timestamp":"2026-01-02T10:00:06Z"})",
    R"({"@timestamp":"2026-01-02T10:00:06Z","Message":"same time","severity":"NOTICE",)"
    R"("source":"syslog","big":1.5E10})",
    R"({"@timestamp":"2026-01-02T10:00:07Z","Message":"\u00e9t\u00e9 \u20ac","Level":null,)"
    R"("level":"from the second key","a":{"e":{"deep":"object"}}})",
    R"({"Message":"no timestamp","Timestamp":"1 Jan","http":{"status":"200"}})",
};

class LogExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("log-export-" + random_hex_id());
    search_ = std::move(EmbeddedSearch::open(dir_ / "index").value());
    const std::string index = "ecommerce-logs-2026.01.02";
    ASSERT_TRUE(search_->ensure_index(index, log_events_mapping()).ok());
    auto bulk = search_->bulk_index(index, kSources);
    ASSERT_TRUE(bulk.ok()) << bulk.error().message;
    ASSERT_TRUE(bulk->failures.empty()) << bulk->failures[0].second;
    ASSERT_EQ(bulk->indexed, kSources.size());
  }
  void TearDown() override {
    search_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The whole CSV, read in pages of `page_size` hits.
  static std::string csv(SearchBackend& backend, std::string_view columns, int64_t page_size) {
    LogSearch logs(backend, ingest::TimeZone());
    auto export_ = LogCsvExport::open(logs, {}, parse_export_columns(columns).value(), page_size);
    EXPECT_TRUE(export_.ok());
    std::string out;
    if (!export_.ok()) return out;
    for (;;) {
      auto more = (*export_)->next(out);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) break;
    }
    EXPECT_EQ((*export_)->rows(), kSources.size());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<EmbeddedSearch> search_;
};

TEST_F(LogExportTest, SourceTextGivesTheCsvOfTheParsedSource) {
  PortableScan portable(*search_);
  for (std::string_view columns :
       {"", "timestamp,level,service,message,user,id,index",
        "message,a,a.b,a.b.c,a.d,a.e,p.q,http.status,Duration,x,n,big,flag,Timestamp,"
        "M\\u0065ssage,nope"}) {
    for (int64_t page_size : {1, 3, 1000}) {
      const std::string from_text = csv(*search_, columns, page_size);
      EXPECT_EQ(from_text, csv(portable, columns, 1000)) << columns << " / " << page_size;
    }
  }
}

TEST_F(LogExportTest, CellsShowTheSourceValues) {
  const std::string out =
      csv(*search_, "timestamp,level,service,message,user,a.b.c,http.status,x", 1000);
  EXPECT_NE(out.find("Timestamp,Level,Service,Message,User,a.b.c,http.status,x\r\n"),
            std::string::npos);
  EXPECT_NE(out.find("2026-01-02T10:00:01Z,ERROR,café 😀,\"say \"\"hi\"\", then\nbreak \\ / \t\","
                     "'=cmd,,,\r\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("2026-01-02T10:00:04Z,,,,,\"[\"\"x\"\",\"\"y\\\"\"z\"\"]\",503,1.0\r\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("2026-01-02T10:00:03Z,TRACE,,repeated,,,,\r\n"), std::string::npos) << out;
}

TEST_F(LogExportTest, ColumnErrorsNameTheProblem) {
  auto twice = parse_export_columns("level, Level");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message, "invalid columns: column 'Level' appears twice");
  ASSERT_EQ(twice.error().fields.size(), 1u);
  EXPECT_EQ(twice.error().fields[0].field, "columns");
  EXPECT_EQ(twice.error().fields[0].problem, "column 'Level' appears twice");
}

}  // namespace
}  // namespace comptoir
