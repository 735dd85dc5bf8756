// multipart/form-data parsing: curl's shape, quoting, filename*, preamble, and the
// malformed bodies that must be refused rather than misread.
#include "http/multipart.h"

#include <gtest/gtest.h>

namespace comptoir::http {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=------------------------abc123";

std::string body_of(std::initializer_list<std::string_view> parts, bool close = true) {
  std::string b;
  for (auto p : parts) {
    b += "--------------------------abc123\r\n";
    b += p;
    b += "\r\n";
  }
  if (close) b += "--------------------------abc123--\r\n";
  return b;
}

TEST(MultipartTest, ParsesCurlUpload) {
  const std::string body =
      body_of({"Content-Disposition: form-data; name=\"file\"; filename=\"logs.csv\"\r\n"
               "Content-Type: text/csv\r\n\r\na,b\r\n1,2\r\n",
               "Content-Disposition: form-data; name=\"note\"\r\n\r\nhello"});
  auto parts = parse_multipart(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "file");
  EXPECT_EQ((*parts)[0].filename, "logs.csv");
  EXPECT_EQ((*parts)[0].content_type, "text/csv");
  EXPECT_EQ((*parts)[0].data, "a,b\r\n1,2\r\n");
  EXPECT_EQ((*parts)[1].name, "note");
  EXPECT_FALSE((*parts)[1].filename.has_value());
  EXPECT_EQ((*parts)[1].data, "hello");
  // Data is a view into the body: nothing copied.
  EXPECT_GE((*parts)[0].data.data(), body.data());
  EXPECT_LT((*parts)[0].data.data(), body.data() + body.size());
}

TEST(MultipartTest, QuotedBoundaryPreambleAndExtendedFilename) {
  const std::string body =
      "preamble text\r\n--xyz\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"; "
      "filename*=UTF-8''caf%C3%A9%20%3B.csv\r\n\r\n"
      "data\r\n--xyz--";
  auto parts = parse_multipart("Multipart/Form-Data; charset=utf-8; boundary=\"xyz\"", body);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].filename, "café ;.csv");
  EXPECT_EQ((*parts)[0].data, "data");
}

TEST(MultipartTest, EmptyFileAndQuotesInFilename) {
  auto parts = parse_multipart(
      kType,
      body_of({"Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\";c.txt\""
               "\r\n\r\n"}));
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  EXPECT_EQ((*parts)[0].filename, "a \"b\";c.txt");
  EXPECT_EQ((*parts)[0].data, "");
}

TEST(MultipartTest, RefusesMalformedBodies) {
  const std::string good_part = "Content-Disposition: form-data; name=\"file\"\r\n\r\nx";
  const std::pair<std::string_view, std::string> cases[] = {
      {"application/json", body_of({good_part})},
      {"multipart/form-data", body_of({good_part})},
      {"multipart/form-data; boundary=", body_of({good_part})},
      {kType, "no boundary anywhere"},
      {kType, body_of({good_part}, false)},
      {kType, body_of({"Content-Type: text/plain\r\n\r\nx"})},
      {kType, body_of({"Content-Disposition: attachment; name=\"file\"\r\n\r\nx"})},
      {kType, body_of({"Content-Disposition form-data\r\n\r\nx"})},
      {kType, "--------------------------abc123\r\nContent-Disposition: form-data; name=\"f\""},
      {kType, "--------------------------abc123junk\r\n"},
  };
  for (const auto& [type, body] : cases) {
    auto parts = parse_multipart(type, body);
    ASSERT_FALSE(parts.ok()) << type << " / " << body;
    EXPECT_EQ(parts.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(MultipartTest, BoundsThePartCount) {
  std::string body;
  for (int i = 0; i < 100; ++i) {
    body += "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  }
  body += "--b--";
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=b", body).ok());
}

}  // namespace
}  // namespace comptoir::http
