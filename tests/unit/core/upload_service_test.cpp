// UploadService on the embedded backends: an upload is indexed and registered; a
// failing parse leaves nothing behind; recover() rolls back an upload a crash left
// in state "indexing" (its documents, stored file and registry entry all go).
#include "core/upload_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "backends/search/embedded_search.h"
#include "backends/store/sqlite_store.h"
#include "util/random_id.h"

namespace comptoir {
namespace {

constexpr std::string_view kLogs =
    "timestamp,level,service,message\n"
    "2025-12-23T10:30:00,ERROR,payment-service,Payment failed\n"
    "2025-12-23T10:31:00,INFO,auth-service,User logged in\n";

class UploadServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("upload-service-" + random_hex_id());
    store_ = std::move(SqliteStore::open(dir_ / "c.db").value());
    search_ = std::move(EmbeddedSearch::open(dir_ / "index").value());
    registry_ = std::make_unique<FileRegistry>(*store_);
    folder_ = std::make_unique<UploadFolder>(dir_ / "uploads");
    uploads_ = std::make_unique<UploadService>(*search_, *registry_, *folder_, "UTC");
  }
  void TearDown() override {
    uploads_.reset();
    search_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  int64_t documents_of(const std::string& filename) {
    engine::TermQuery term;
    term.field = "source_file";
    term.value = filename;
    return search_->count("ecommerce-logs-*", engine::Query(term)).value();
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<EmbeddedSearch> search_;
  std::unique_ptr<FileRegistry> registry_;
  std::unique_ptr<UploadFolder> folder_;
  std::unique_ptr<UploadService> uploads_;
};

TEST_F(UploadServiceTest, UploadIndexesAndRegisters) {
  auto outcome = uploads_->upload("logs.csv", kLogs, false);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->entry.documents_indexed, 2u);
  EXPECT_EQ(documents_of("logs.csv"), 2);
  EXPECT_EQ(registry_->get("logs.csv")->state, "indexed");
}

// The CSV's own columns stay in the documents, but only their canonical copies are
// indexed: `level` is in _source and not searchable, `Level` is.
TEST_F(UploadServiceTest, CarriedColumnsAreKeptNotIndexedTwice) {
  ASSERT_TRUE(uploads_->upload("logs.csv", kLogs, false).ok());
  engine::TermQuery original;
  original.field = "level";
  original.value = std::string("ERROR");
  EXPECT_EQ(search_->count("ecommerce-logs-*", engine::Query(original)).value(), 0);
  engine::TermQuery canonical;
  canonical.field = "Level";
  canonical.value = std::string("ERROR");
  EXPECT_EQ(search_->count("ecommerce-logs-*", engine::Query(canonical)).value(), 1);
  engine::SearchRequest request;
  request.query = engine::Query(canonical);
  auto hits = search_->search("ecommerce-logs-*", request);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->hits.size(), 1u);
  ASSERT_TRUE(hits->hits[0].source.has_value());
  EXPECT_EQ(hits->hits[0].source->at("level"), "ERROR");
}

// The same bytes again (under another name): answered as a duplicate pointing at the
// first upload, with nothing stored, registered or indexed a second time; force=true
// indexes them again under a name of their own.
TEST_F(UploadServiceTest, DuplicateLeavesNothingBehind) {
  ASSERT_TRUE(uploads_->upload("logs.csv", kLogs, false).ok());
  auto again = uploads_->upload("again.csv", kLogs, false);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->entry.filename, "logs.csv");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "uploads" / "again.csv"));
  EXPECT_EQ(*registry_->count(), 1u);
  EXPECT_EQ(documents_of("logs.csv"), 2);
  auto forced = uploads_->upload("logs.csv", kLogs, true);
  ASSERT_TRUE(forced.ok()) << forced.error().message;
  EXPECT_FALSE(forced->duplicate);
  EXPECT_EQ(forced->entry.filename, "logs_1.csv");
  EXPECT_EQ(documents_of("logs_1.csv"), 2);
  EXPECT_EQ(*registry_->count(), 2u);
}

TEST_F(UploadServiceTest, FailedParseLeavesNothing) {
  auto outcome = uploads_->upload("bad.csv", "level,message\nERROR,\xff\n", false);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(*registry_->count(), 0u);
  EXPECT_TRUE(registry_->unfinished()->empty());
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "uploads"));
}

// An upload folder that cannot be made: the upload is an I/O error, and nothing is
// registered or indexed.
TEST_F(UploadServiceTest, UnwritableFolderLeavesNothing) {
  std::ofstream(dir_ / "plain-file") << "x";
  UploadFolder folder(dir_ / "plain-file" / "uploads");
  UploadService uploads(*search_, *registry_, folder, "UTC");
  auto outcome = uploads.upload("logs.csv", kLogs, false);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::kIo);
  EXPECT_EQ(*registry_->count(), 0u);
  EXPECT_EQ(documents_of("logs.csv"), 0);
}

TEST_F(UploadServiceTest, RecoverRollsBackAnInterruptedUpload) {
  // What a crash between indexing and the final registry update leaves: the file,
  // its documents, and an entry still "indexing".
  auto outcome = uploads_->upload("crashed.csv", kLogs, false);
  ASSERT_TRUE(outcome.ok());
  FileEntry entry = outcome->entry;
  entry.state = "indexing";
  ASSERT_TRUE(registry_->update(entry).ok());
  ASSERT_EQ(documents_of("crashed.csv"), 2);
  auto kept =
      uploads_->upload("kept.csv", std::string(kLogs) + "2025-12-23T10:32:00,INFO,x,y\n", false);
  ASSERT_TRUE(kept.ok());

  auto recovered = uploads_->recover();
  ASSERT_TRUE(recovered.ok()) << recovered.error().message;
  EXPECT_EQ(*recovered, 1u);
  EXPECT_EQ(documents_of("crashed.csv"), 0);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "uploads" / "crashed.csv"));
  EXPECT_EQ(registry_->get("crashed.csv").error().code, ErrorCode::kNotFound);
  // The finished upload is untouched.
  EXPECT_EQ(documents_of("kept.csv"), 3);
  EXPECT_EQ(*registry_->count(), 1u);
  EXPECT_EQ(*uploads_->recover(), 0u);
}

}  // namespace
}  // namespace comptoir
