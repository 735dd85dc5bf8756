// Every parser on the real files of shared/data (see its SOURCES.md): one event per
// line or row, nothing rejected or unparsed, and agreement with the Loghub
// *_structured.csv ground truth on timestamp, level, component and content.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include "ingest/field_value.h"
#include "ingest/log_fields.h"
#include "ingest/timestamp.h"
#include "ingest_test_support.h"

namespace comptoir::ingest {
namespace {

namespace fs = std::filesystem;
using testing::parse;
using testing::read_file;
using testing::shared_data_dir;
using testing::str;

// Any scalar field as text ("" when absent), as normalisation reads it.
std::string text(const boost::json::object& doc, std::string_view key) {
  auto it = doc.find(key);
  if (it == doc.end()) return "";
  const boost::json::value& v = it->value();
  FieldValue field = FieldValue::null();
  if (v.is_string()) field = FieldValue::of_string(v.get_string());
  if (v.is_int64()) field = FieldValue::of_int(v.get_int64());
  if (v.is_uint64()) field = FieldValue::of_uint(v.get_uint64());
  if (v.is_double()) field = FieldValue::of_double(v.get_double());
  if (v.is_bool()) field = FieldValue::of_bool(v.get_bool());
  ScalarBuffer buffer;
  return std::string(scalar_text(field, buffer));
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

struct RealFile {
  const char* path;
  Format format;
  DocumentKind kind;
  uint64_t documents;
};

class IngestRealData : public ::testing::TestWithParam<RealFile> {};

TEST_P(IngestRealData, OneDocumentPerRecordNothingLost) {
  const fs::path dir = shared_data_dir();
  COMPTOIR_REQUIRE_SHARED_DATA(dir);
  const RealFile& f = GetParam();
  const std::string bytes = read_file(dir / f.path);
  ASSERT_FALSE(bytes.empty()) << f.path;
  auto p = parse(bytes, fs::path(f.path).filename().string());
  ASSERT_TRUE(p->summary.ok()) << f.path << ": " << p->summary.error().message;
  const IngestSummary& s = *p->summary;
  EXPECT_EQ(s.format, f.format) << f.path;
  EXPECT_EQ(s.kind, f.kind) << f.path;
  EXPECT_EQ(s.documents, f.documents) << f.path;
  EXPECT_EQ(s.rejected, 0u) << f.path << ": " << (s.errors.empty() ? "" : s.errors[0].reason);
  EXPECT_EQ(s.unparsed_lines, 0u) << f.path;
  EXPECT_EQ(s.timestamps_defaulted, 0u) << f.path;
}

INSTANTIATE_TEST_SUITE_P(
    IngestRealFiles, IngestRealData,
    ::testing::Values(
        RealFile{"web_access_logs/apache_logs.log", Format::kText, DocumentKind::kLogEvent, 10000},
        RealFile{"web_access_logs/nginx_logs_first10000.log", Format::kText,
                 DocumentKind::kLogEvent, 10000},
        RealFile{"loghub/Apache_2k.log", Format::kText, DocumentKind::kLogEvent, 2000},
        RealFile{"loghub/Linux_2k.log", Format::kText, DocumentKind::kLogEvent, 2000},
        RealFile{"loghub/OpenSSH_2k.log", Format::kText, DocumentKind::kLogEvent, 2000},
        RealFile{"loghub/HDFS_2k.log", Format::kText, DocumentKind::kLogEvent, 2000},
        RealFile{"loghub/Spark_2k.log", Format::kText, DocumentKind::kLogEvent, 2000},
        RealFile{"loghub/Zookeeper_2k.log", Format::kText, DocumentKind::kLogEvent, 2000},
        RealFile{"loghub/Apache_2k.log_templates.csv", Format::kCsv, DocumentKind::kLogEvent, 6},
        RealFile{"loghub/Linux_2k.log_templates.csv", Format::kCsv, DocumentKind::kLogEvent, 118},
        RealFile{"loghub/OpenSSH_2k.log_templates.csv", Format::kCsv, DocumentKind::kLogEvent, 27},
        RealFile{"loghub/HDFS_2k.log_templates.csv", Format::kCsv, DocumentKind::kLogEvent, 14},
        RealFile{"loghub/Spark_2k.log_templates.csv", Format::kCsv, DocumentKind::kLogEvent, 36},
        RealFile{"loghub/Zookeeper_2k.log_templates.csv", Format::kCsv, DocumentKind::kLogEvent,
                 50},
        RealFile{"ecommerce/online_retail_2010-12-01.csv", Format::kCsv, DocumentKind::kSalesLine,
                 3108},
        RealFile{"ecommerce/online_retail_2010-12-02.csv", Format::kCsv, DocumentKind::kSalesLine,
                 2109},
        RealFile{"ecommerce/online_retail_2010-12-03.csv", Format::kCsv, DocumentKind::kSalesLine,
                 2202},
        RealFile{"ecommerce/online_retail_2010-12-05.csv", Format::kCsv, DocumentKind::kSalesLine,
                 2725},
        RealFile{"ecommerce/bestbuy_stores.json", Format::kJson, DocumentKind::kLogEvent, 1565},
        RealFile{"jsonl_logs/nginxplus_json_logs_first100.jsonl", Format::kNdjson,
                 DocumentKind::kLogEvent, 100}),
    [](const auto& info) {
      std::string name = fs::path(info.param.path).filename().string();
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

// Structured CSVs: parsed as CSV themselves (separate Date/Time columns are
// combined where they make a full timestamp).
TEST(IngestRealData, StructuredCsvsParseRowForRow) {
  const fs::path dir = shared_data_dir();
  COMPTOIR_REQUIRE_SHARED_DATA(dir);
  for (const char* name : {"Apache", "Linux", "OpenSSH", "HDFS", "Spark", "Zookeeper"}) {
    const std::string file = std::string(name) + "_2k.log_structured.csv";
    auto p = parse(read_file(dir / "loghub" / file), file);
    ASSERT_TRUE(p->summary.ok()) << file;
    EXPECT_EQ(p->summary->format, Format::kCsv) << file;
    EXPECT_EQ(p->summary->documents, 2000u) << file;
    EXPECT_EQ(p->summary->rejected, 0u) << file;
  }
}

// Every data file in the folder, including ones added later: it parses, and
// nothing is rejected or left unparsed.
TEST(IngestRealData, EveryFileInTheFolderParses) {
  const fs::path dir = shared_data_dir();
  COMPTOIR_REQUIRE_SHARED_DATA(dir);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name.rfind("LICENSE", 0) == 0 || name == "SOURCES.md") continue;
    auto p = parse(read_file(entry.path()), name);
    ASSERT_TRUE(p->summary.ok()) << name << ": " << p->summary.error().message;
    EXPECT_GT(p->summary->documents, 0u) << name;
    EXPECT_EQ(p->summary->rejected, 0u) << name;
    EXPECT_EQ(p->summary->unparsed_lines, 0u) << name;
    ++files;
  }
  EXPECT_GE(files, 20);
}

// The Loghub raw log against its structured ground truth, row by row.
class IngestLoghubTruth : public ::testing::TestWithParam<const char*> {};

TEST_P(IngestLoghubTruth, AgreesWithStructuredCsv) {
  const fs::path dir = shared_data_dir();
  COMPTOIR_REQUIRE_SHARED_DATA(dir);
  const std::string system = GetParam();
  auto raw = parse(read_file(dir / "loghub" / (system + "_2k.log")), system + "_2k.log");
  IngestOptions as_csv;
  as_csv.format = Format::kCsv;
  auto truth =
      parse(read_file(dir / "loghub" / (system + "_2k.log_structured.csv")), "truth.csv", as_csv);
  ASSERT_TRUE(raw->summary.ok());
  ASSERT_TRUE(truth->summary.ok());
  ASSERT_EQ(raw->size(), 2000u);
  ASSERT_EQ(truth->size(), 2000u);
  int mismatches = 0;
  for (size_t i = 0; i < 2000 && mismatches < 5; ++i) {
    const auto& d = raw->doc(i);
    const auto& g = truth->doc(i);
    const std::string ts = str(d, "@timestamp");  // 2025-12-23T10:30:00.000Z
    const std::string hms = ts.substr(11, 8);
    std::string want_level, want_service, want_hms = text(g, "Time"), want_date;
    std::map<std::string, std::string> extra;  // document field → ground truth
    if (system == "Apache") {
      auto t = parse_ctime(text(g, "Time"));
      ASSERT_TRUE(t.has_value());
      want_hms = iso8601_millis(t->to_utc(TimeZone())).substr(11, 8);
      want_date = iso8601_millis(t->to_utc(TimeZone())).substr(0, 10);
      want_level = normalize_level(text(g, "Level"));
    } else if (system == "Linux") {
      want_date = fmt::format("{:02}-{:02}", month_from_abbrev(text(g, "Month")),
                              std::stoi(text(g, "Date")));
      want_service = text(g, "Component");
      // Loghub's "Level" column holds the host here (upper-cased by Level normalisation).
      extra["host"] = text(g, "Level");
      for (char& c : extra["host"])
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      extra["pid"] = text(g, "PID");
    } else if (system == "OpenSSH") {
      want_date =
          fmt::format("{:02}-{:02}", month_from_abbrev(text(g, "Date")), std::stoi(text(g, "Day")));
      extra["host"] = text(g, "Component");  // likewise the host
      extra["pid"] = text(g, "Pid");
    } else if (system == "HDFS") {
      std::string d6 = text(g, "Date"), t6 = text(g, "Time");
      t6 = std::string(6 - t6.size(), '0') + t6;
      want_date = "20" + d6.substr(0, 2) + "-" + d6.substr(2, 2) + "-" + d6.substr(4, 2);
      want_hms = t6.substr(0, 2) + ":" + t6.substr(2, 2) + ":" + t6.substr(4, 2);
      want_level = normalize_level(text(g, "Level"));
      want_service = text(g, "Component");
      extra["pid"] = text(g, "Pid");
    } else if (system == "Spark") {
      const std::string d8 = text(g, "Date");  // 17/06/09
      want_date = "20" + d8.substr(0, 2) + "-" + d8.substr(3, 2) + "-" + d8.substr(6, 2);
      want_level = normalize_level(text(g, "Level"));
      want_service = text(g, "Component");
    } else if (system == "Zookeeper") {
      want_date = text(g, "Date");
      want_hms = text(g, "Time").substr(0, 8);
      want_level = normalize_level(text(g, "Level"));
      extra["code_line"] = text(g, "Id");
      // Loghub splits Node/Component inside the thread name; the class ends Component.
      const std::string component = text(g, "Component");
      const std::string service = str(d, "Service");
      if (service.empty() || component.size() < service.size() ||
          component.compare(component.size() - service.size(), service.size(), service) != 0) {
        ADD_FAILURE() << system << " line " << i + 1 << ": Service " << service
                      << " does not end Component " << component;
        ++mismatches;
      }
    }
    bool ok = hms == want_hms && ts.find(want_date) != std::string::npos &&
              str(d, "Level") == want_level &&
              (want_service.empty() || str(d, "Service") == want_service) &&
              trimmed(str(d, "Message")) == trimmed(text(g, "Content"));
    for (const auto& [field, want] : extra) ok = ok && text(d, field) == want;
    if (!ok) {
      ++mismatches;
      ADD_FAILURE() << system << " line " << i + 1 << ": got " << boost::json::serialize(d)
                    << "\nwant " << boost::json::serialize(g);
    }
  }
  EXPECT_EQ(mismatches, 0);
}

INSTANTIATE_TEST_SUITE_P(IngestLoghub, IngestLoghubTruth,
                         ::testing::Values("Apache", "Linux", "OpenSSH", "HDFS", "Spark",
                                           "Zookeeper"));

TEST(SalesRealData, OnlineRetailCancellationsAndRevenue) {
  const fs::path dir = shared_data_dir();
  COMPTOIR_REQUIRE_SHARED_DATA(dir);
  auto p = parse(read_file(dir / "ecommerce/online_retail_2010-12-01.csv"),
                 "online_retail_2010-12-01.csv");
  ASSERT_TRUE(p->summary.ok());
  int cancelled = 0, without_customer = 0;
  for (const auto& e : p->sink.entries) {
    const auto& d = e.document;
    EXPECT_EQ(e.index, "ecommerce-sales");
    if (str(d, "status") == "cancelled") {
      ++cancelled;
      EXPECT_LT(d.at("quantity").as_int64(), 0);
      EXPECT_LE(d.at("revenue").as_double(), 0);
    }
    without_customer += !d.contains("customer_id");
    const double want =
        std::round(d.at("quantity").as_int64() * d.at("unit_price").as_double() * 100) / 100;
    EXPECT_DOUBLE_EQ(d.at("revenue").as_double(), want);
  }
  EXPECT_EQ(cancelled, 26);
  EXPECT_EQ(without_customer, 1140);
  const auto& first = p->doc(0);
  EXPECT_EQ(str(first, "@timestamp"), "2010-12-01T08:26:00.000Z");
  EXPECT_EQ(str(first, "order_id"), "536365");
  EXPECT_EQ(str(first, "customer_id"), "17850");
  EXPECT_EQ(str(first, "product"), "WHITE HANGING HEART T-LIGHT HOLDER");
  EXPECT_EQ(str(first, "country"), "United Kingdom");
}

TEST(IngestRealData, AccessLogLevelsFollowStatus) {
  const fs::path dir = shared_data_dir();
  COMPTOIR_REQUIRE_SHARED_DATA(dir);
  auto p = parse(read_file(dir / "web_access_logs/apache_logs.log"), "apache_logs.log");
  ASSERT_TRUE(p->summary.ok());
  std::map<std::string, int> levels;
  for (const auto& e : p->sink.entries) ++levels[str(e.document, "Level")];
  // Status counts by awk: 500 ×3; 404 ×213, 403 ×2, 416 ×2 (SOURCES.md omits the last two).
  EXPECT_EQ(levels["ERROR"], 3);
  EXPECT_EQ(levels["WARNING"], 217);
  EXPECT_EQ(levels["INFO"], 10000 - 220);
  EXPECT_EQ(str(p->doc(0), "IP"), "83.149.9.216");
  EXPECT_EQ(str(p->doc(0), "@timestamp"), "2015-05-17T10:05:03.000Z");
  EXPECT_EQ(p->summary->indices.size(), 4u);  // 17 to 20 May 2015
}

TEST(JsonLogRealData, NginxPlusSnapshotsAndBestBuyStores) {
  const fs::path dir = shared_data_dir();
  COMPTOIR_REQUIRE_SHARED_DATA(dir);
  auto n = parse(read_file(dir / "jsonl_logs/nginxplus_json_logs_first100.jsonl"), "n.jsonl");
  ASSERT_TRUE(n->summary.ok());
  EXPECT_EQ(str(n->doc(0), "@timestamp"), "2015-10-30T23:58:19.322Z");
  EXPECT_EQ(n->doc(0).at("connections.accepted").as_int64(), 8995031);
  auto b = parse(read_file(dir / "ecommerce/bestbuy_stores.json"), "bestbuy_stores.json");
  ASSERT_TRUE(b->summary.ok());
  EXPECT_DOUBLE_EQ(b->doc(0).at("location.lat").as_double(), 44.85466);
  EXPECT_EQ(str(b->doc(0), "name"), "Mall of America");
  EXPECT_EQ(str(b->doc(0), "@timestamp"), "2025-12-23T12:00:00.000Z");  // no time field
}

}  // namespace
}  // namespace comptoir::ingest
