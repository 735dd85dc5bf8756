// secure_filename() (table-driven, Werkzeug's examples included) and the upload
// folder's no-overwrite, atomic store (reserve, fill, sync) and its I/O errors.
#include "core/upload_folder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "util/random_id.h"
#include "util/sha256.h"

namespace comptoir {
namespace {

TEST(UploadFolderTest, SecureFilename) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"My cool movie.mov", "My_cool_movie.mov"},
      {"../../../etc/passwd", "etc_passwd"},
      {"i contain cool \xc3\xbcml\xc3\xa4uts.txt", "i_contain_cool_umlauts.txt"},
      {"logs_20251223.csv", "logs_20251223.csv"},
      {"C:\\Users\\x\\sales.csv", "C_Users_x_sales.csv"},
      {".bashrc", "bashrc"},
      {"..", ""},
      {"___", ""},
      {"CON.txt", "_CON.txt"},
      {"lpt1", "_lpt1"},
      {"a;rm -rf $(x)|`y`.csv", "arm_-rf_xy.csv"},
      {"report\n\r\t.csv", "report_.csv"},
      {"東京.csv", "csv"},
      {"caf\xc3\xa9.json", "cafe.json"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(secure_filename(in), out) << in;
  const std::string long_name = std::string(300, 'a') + ".ndjson";
  const std::string reduced = secure_filename(long_name);
  EXPECT_EQ(reduced.size(), 120u);
  EXPECT_TRUE(reduced.ends_with(".ndjson"));
}

class UploadFolderStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("uploads-" + random_hex_id());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string read(const std::string& name) {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  size_t files() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_)) ++n;
    return n;
  }
  // Stores `data` as an upload does: reserve, fill, sync.
  static Result<std::string> store(UploadFolder& folder, std::string_view name,
                                   std::string_view data) {
    auto name_taken = folder.reserve(name);
    COMPTOIR_TRY(name_taken);
    COMPTOIR_TRY(folder.fill(*name_taken, data));
    COMPTOIR_TRY(folder.sync(*name_taken));
    return name_taken;
  }
  std::filesystem::path dir_;
};

TEST_F(UploadFolderStoreTest, NeverOverwrites) {
  UploadFolder folder(dir_);
  EXPECT_EQ(*store(folder, "logs.csv", "one"), "logs.csv");
  EXPECT_EQ(*store(folder, "logs.csv", "two"), "logs_1.csv");
  EXPECT_EQ(*store(folder, "logs.csv", "three"), "logs_2.csv");
  EXPECT_EQ(*store(folder, "archive.tar.gz", "x"), "archive.tar.gz");
  EXPECT_EQ(*store(folder, "archive.tar.gz", "y"), "archive_1.tar.gz");
  EXPECT_EQ(read("logs.csv"), "one");
  EXPECT_EQ(read("logs_2.csv"), "three");
  // No temporary file is left behind.
  EXPECT_EQ(files(), 5u);
}

// sync() of a name never stored fails with an I/O error.
TEST_F(UploadFolderStoreTest, SyncOfAMissingNameFails) {
  UploadFolder folder(dir_);
  ASSERT_TRUE(store(folder, "logs.csv", "one").ok());
  const Status missing = folder.sync("never.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
}

// A folder that cannot be made (its path runs through a file): reserve() is an I/O error.
TEST_F(UploadFolderStoreTest, ReserveInAFolderThatCannotBeMadeFails) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "plain-file") << "x";
  UploadFolder folder(dir_ / "plain-file" / "uploads");
  auto taken = folder.reserve("logs.csv");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kIo);
}

// reserve() takes a free name with an empty file (suffixed while taken, by stored files
// and by other reservations alike); fill() puts the data under it, leaving no temporary.
TEST_F(UploadFolderStoreTest, ReserveThenFill) {
  UploadFolder folder(dir_);
  ASSERT_TRUE(store(folder, "logs.csv", "one").ok());
  auto first = folder.reserve("logs.csv");
  auto second = folder.reserve("logs.csv");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, "logs_1.csv");
  EXPECT_EQ(*second, "logs_2.csv");
  EXPECT_EQ(read("logs_1.csv"), "");
  EXPECT_EQ(*store(folder, "logs.csv", "four"), "logs_3.csv");
  ASSERT_TRUE(folder.fill(*second, "two").ok());
  EXPECT_EQ(read("logs_2.csv"), "two");
  EXPECT_TRUE(folder.sync(*second).ok());
  EXPECT_EQ(read("logs.csv"), "one");
  EXPECT_EQ(files(), 4u);
}

TEST_F(UploadFolderStoreTest, RemoveOnlyStoredNames) {
  UploadFolder folder(dir_);
  ASSERT_TRUE(store(folder, "a.csv", "x").ok());
  EXPECT_EQ(folder.remove("../a.csv").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(folder.remove("b.csv").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(folder.remove("a.csv").ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "a.csv"));
}

TEST(Sha256Test, KnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace comptoir
