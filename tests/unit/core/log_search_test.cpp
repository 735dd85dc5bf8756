// LogSearch and the log filters on the embedded engine, with logs ingested like an
// upload: the plain query's semantics (inside words, any case, phrases, escaping),
// Lucene syntax errors, level/service/date filters, validation naming the field, and
// scans that return exactly the search's rows, from a point in time.
#include "core/log_search.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "backends/search/embedded_search.h"
#include "backends/store/sqlite_store.h"
#include "core/upload_service.h"
#include "portable_scan.h"
#include "util/random_id.h"

namespace comptoir {
namespace {

constexpr std::string_view kLogs =
    "timestamp,level,service,message,user\n"
    "2025-12-23T10:30:00Z,ERROR,payment-service,Payment failed,user123\n"
    "2025-12-23T10:31:00Z,INFO,auth-service,User logged in,user456\n"
    "2025-12-23T23:59:59Z,WARN,cart-service,Slow response,user789\n"
    "2025-12-24T00:00:00Z,ERROR,Payment-Service,Card declined,user999\n"
    "2025-12-22T22:30:00Z,INFO,auth-service,Session (renewed) * star \\ back,user1\n";

class LogSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("log-search-" + random_hex_id());
    store_ = std::move(SqliteStore::open(dir_ / "c.db").value());
    search_ = std::move(EmbeddedSearch::open(dir_ / "index").value());
    registry_ = std::make_unique<FileRegistry>(*store_);
    folder_ = std::make_unique<UploadFolder>(dir_ / "uploads");
    uploads_ = std::make_unique<UploadService>(*search_, *registry_, *folder_, "UTC");
    ASSERT_TRUE(uploads_->upload("logs.csv", kLogs, false).ok());
    logs_ = std::make_unique<LogSearch>(*search_, ingest::TimeZone());
  }
  void TearDown() override {
    logs_.reset();
    uploads_.reset();
    search_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Users of the matching events, newest first.
  std::vector<std::string> users(LogFilters filters) {
    LogSearchRequest r;
    r.filters = std::move(filters);
    r.size = 100;
    auto page = logs_->search(r);
    EXPECT_TRUE(page.ok()) << page.error().message;
    std::vector<std::string> out;
    if (!page.ok()) return out;
    EXPECT_EQ(page->total, static_cast<int64_t>(page->hits.size()));
    for (const auto& h : page->hits) out.emplace_back(h.source->at("User").as_string());
    return out;
  }
  std::vector<std::string> users_for(std::string query) {
    LogFilters f;
    f.query = std::move(query);
    return users(f);
  }
  // The field an invalid request is rejected for.
  std::string rejected_field(const LogSearchRequest& r) {
    auto page = logs_->search(r);
    if (page.ok()) return "(accepted)";
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
    return page.error().fields.empty() ? "(no field)" : page.error().fields[0].field;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<EmbeddedSearch> search_;
  std::unique_ptr<FileRegistry> registry_;
  std::unique_ptr<UploadFolder> folder_;
  std::unique_ptr<UploadService> uploads_;
  std::unique_ptr<LogSearch> logs_;
};

using Users = std::vector<std::string>;

TEST_F(LogSearchTest, PlainQueryFindsWordsInsideWordsInAnyCase) {
  EXPECT_EQ(users_for(""), (Users{"user999", "user789", "user456", "user123", "user1"}));
  EXPECT_EQ(users_for("PAYMENT"), (Users{"user999", "user123"}));  // message or service
  EXPECT_EQ(users_for("ayme"), (Users{"user999", "user123"}));
  EXPECT_EQ(users_for("fail"), (Users{"user123"}));
  EXPECT_EQ(users_for("payment declined"), (Users{"user999"}));  // every word
  EXPECT_EQ(users_for("payment nothing"), (Users{}));
  EXPECT_EQ(users_for("user45"), (Users{"user456"}));   // the User value
  EXPECT_EQ(users_for("warning"), (Users{"user789"}));  // the Level value
}

TEST_F(LogSearchTest, QuotedPhrases) {
  EXPECT_EQ(users_for("\"logged in\""), (Users{"user456"}));
  EXPECT_EQ(users_for("\"in logged\""), (Users{}));
  EXPECT_EQ(users_for("\"card declined\" payment"), (Users{"user999"}));
  EXPECT_EQ(users_for("\"unclosed phrase"), (Users{}));
}

TEST_F(LogSearchTest, NothingTypedIsInterpreted) {
  EXPECT_EQ(users_for("foo) OR (bar"), (Users{}));
  EXPECT_EQ(users_for("(renewed)"), (Users{"user1"}));
  EXPECT_EQ(users_for("\\"), (Users{}));  // no value holds a backslash
  EXPECT_EQ(users_for("*"), (Users{}));
  EXPECT_EQ(users_for("?"), (Users{}));
  EXPECT_EQ(users_for("Level:ERROR"), (Users{}));
  EXPECT_EQ(users_for("payment OR auth"), (Users{}));  // OR is a word like any other
  // `*` is no word character: "user*" is the word "user", inside "User logged in".
  EXPECT_EQ(users_for("user*"), (Users{"user456"}));
}

TEST_F(LogSearchTest, LuceneSyntax) {
  LogFilters f;
  f.syntax = QuerySyntax::kLucene;
  f.query = "Level:ERROR AND NOT Service:payment-service";
  EXPECT_EQ(users(f), (Users{"user999"}));
  f.query = "foo) OR (bar";
  LogSearchRequest r;
  r.filters = f;
  auto page = logs_->search(r);
  ASSERT_FALSE(page.ok());
  ASSERT_EQ(page.error().fields.size(), 1u);
  EXPECT_EQ(page.error().fields[0].field, "query");
  EXPECT_EQ(page.error().fields[0].problem, "Lucene syntax error at position 3");
}

TEST_F(LogSearchTest, LevelAndServiceAreExactInAnyCase) {
  LogFilters f;
  f.level = "error";
  EXPECT_EQ(users(f), (Users{"user999", "user123"}));
  f.level = "warn";  // normalised like ingestion: WARNING
  EXPECT_EQ(users(f), (Users{"user789"}));
  f.level = "";
  f.service = "PAYMENT-SERVICE";
  EXPECT_EQ(users(f), (Users{"user999", "user123"}));
  f.service = "payment";  // exact, not a substring
  EXPECT_EQ(users(f), (Users{}));
}

TEST_F(LogSearchTest, DateRangeWithInclusiveEndDay) {
  LogFilters f;
  f.start_date = "2025-12-23";
  f.end_date = "2025-12-23";
  EXPECT_EQ(users(f), (Users{"user789", "user456", "user123"}));  // 23:59:59 included
  f.start_date = "2025-12-23T10:31:00Z";
  f.end_date = "2025-12-24T00:00:00Z";  // a time is inclusive to the millisecond
  EXPECT_EQ(users(f), (Users{"user999", "user789", "user456"}));
  // Days in another zone: 2025-12-23 at +02:00 is 22:00Z on the 22nd to 22:00Z on the 23rd.
  LogSearch paris(*search_, ingest::TimeZone::named("+02:00").value());
  LogSearchRequest r;
  r.filters.start_date = r.filters.end_date = "2025-12-23";
  auto page = paris.search(r);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);  // 22:30Z on the 22nd, 10:30Z and 10:31Z
}

TEST_F(LogSearchTest, ValidationNamesTheField) {
  LogSearchRequest r;
  r.page = 0;
  EXPECT_EQ(rejected_field(r), "page");
  r = {};
  r.size = 0;
  EXPECT_EQ(rejected_field(r), "size");
  r.size = 1001;
  EXPECT_EQ(rejected_field(r), "size");
  r = {};
  r.size = 1000;
  r.page = 10;
  EXPECT_EQ(rejected_field(r), "(accepted)");
  r.page = 11;
  EXPECT_EQ(rejected_field(r), "page");
  r = {};
  r.from = 9990;
  r.size = 11;
  EXPECT_EQ(rejected_field(r), "from");
  r = {};
  r.sort = "Message";
  EXPECT_EQ(rejected_field(r), "(accepted)");
  r.sort = "source_file";
  EXPECT_EQ(rejected_field(r), "sort");
  r = {};
  r.filters.start_date = "2025-13-01";
  EXPECT_EQ(rejected_field(r), "start_date");
  r = {};
  r.filters.end_date = "yesterday";
  EXPECT_EQ(rejected_field(r), "end_date");
  r.filters.start_date = "2025-12-24";
  r.filters.end_date = "2025-12-23";
  EXPECT_EQ(rejected_field(r), "end_date");
  r = {};
  r.filters.query = std::string(kMaxQueryCharacters + 1, 'a');
  EXPECT_EQ(rejected_field(r), "query");
  r.filters.query = std::string(kMaxQueryCharacters, 'a');
  EXPECT_EQ(rejected_field(r), "(accepted)");
  std::string many;
  for (size_t i = 0; i <= kMaxQueryTerms; ++i) many += "w" + std::to_string(i) + " ";
  r.filters.query = many;
  EXPECT_EQ(rejected_field(r), "query");
}

std::vector<std::string> scan_ids(LogSearch& logs, const LogFilters& f, int64_t page_size) {
  std::vector<std::string> ids;
  auto cursor = logs.scan(f, page_size);
  EXPECT_TRUE(cursor.ok());
  for (;;) {
    auto page = (*cursor)->next_page();
    EXPECT_TRUE(page.ok());
    if (!page.ok() || page->empty()) break;
    for (const auto& h : *page) ids.push_back(h.id);
  }
  return ids;
}

TEST_F(LogSearchTest, ScanReturnsTheSearchRowsInOrder) {
  // Many events on one timestamp: the `_doc` tiebreaker keeps pages apart.
  std::string more = "timestamp,level,service,message,user\n";
  for (int i = 0; i < 57; ++i)
    more += "2025-12-25T08:00:00Z,INFO,svc,same time " + std::to_string(i) + ",u\n";
  ASSERT_TRUE(uploads_->upload("more.csv", more, false).ok());
  for (const std::string q : {"", "payment", "same"}) {
    LogFilters f;
    f.query = q;
    LogSearchRequest r;
    r.filters = f;
    r.size = 1000;
    auto page = logs_->search(r);
    ASSERT_TRUE(page.ok());
    std::vector<std::string> searched;
    for (const auto& h : page->hits) searched.push_back(h.id);
    EXPECT_EQ(scan_ids(*logs_, f, 4), searched) << q;
    EXPECT_EQ(scan_ids(*logs_, f, 1000), searched) << q;
    PortableScan portable(*search_);
    LogSearch portable_logs(portable, ingest::TimeZone());
    EXPECT_EQ(scan_ids(portable_logs, f, 5), searched) << q;
  }
}

TEST_F(LogSearchTest, EmbeddedScanReadsOnePointInTime) {
  auto cursor = logs_->scan({}, 2);
  ASSERT_TRUE(cursor.ok());
  auto first = (*cursor)->next_page();
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  ASSERT_TRUE(uploads_
                  ->upload("late.csv",
                           "timestamp,level,service,message,user\n"
                           "2025-12-01T00:00:00Z,INFO,svc,late,late\n",
                           false)
                  .ok());
  size_t total = first->size();
  for (;;) {
    auto page = (*cursor)->next_page();
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    for (const auto& h : *page)  // scans hand over the stored text
      EXPECT_NE(boost::json::parse(*h.source_text).at("User").as_string(), "late");
    total += page->size();
  }
  EXPECT_EQ(total, 5u);
}

}  // namespace
}  // namespace comptoir
