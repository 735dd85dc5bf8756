// csv_writer: RFC 4180 quoting and the spreadsheet formula guard, one case per line.
#include "core/csv_writer.h"

#include <gtest/gtest.h>

#include <vector>

namespace comptoir {
namespace {

struct CellCase {
  std::string_view in;
  std::string_view out;
};

TEST(CsvWriterTest, Cells) {
  const CellCase cases[] = {
      {"plain", "plain"},
      {"", ""},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"line\nbreak", "\"line\nbreak\""},
      {"cr\rhere", "\"cr\rhere\""},
      {"=SUM(A1:A2)", "'=SUM(A1:A2)"},
      {"+1", "'+1"},
      {"-1", "'-1"},
      {"@cmd", "'@cmd"},
      {"\tTab", "'\tTab"},
      {"\rx", "\"'\rx\""},
      {"=HYPERLINK(\"x\"),y", "\"'=HYPERLINK(\"\"x\"\"),y\""},
      {"a=b", "a=b"},
      {"café – ü", "café – ü"},
  };
  for (const auto& c : cases) {
    std::string out;
    append_csv_cell(out, c.in);
    EXPECT_EQ(out, c.out) << "input: " << c.in;
  }
}

TEST(CsvWriterTest, RowsEndWithCrLf) {
  std::string out;
  const std::vector<std::string_view> cells = {"Timestamp", "a,b", ""};
  append_csv_row(out, cells);
  append_csv_row(out, cells);
  EXPECT_EQ(out, "Timestamp,\"a,b\",\r\nTimestamp,\"a,b\",\r\n");
}

}  // namespace
}  // namespace comptoir
