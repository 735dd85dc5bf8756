// Tests for Result<T> and COMPTOIR_TRY.
#include "util/result.h"

#include <gtest/gtest.h>

namespace comptoir {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return Error::invalid("not positive");
  return v;
}

Status twice_positive(int v) {
  COMPTOIR_TRY(parse_positive(v));
  COMPTOIR_TRY(parse_positive(v * 2));
  return {};
}

TEST(ResultTest, HoldsValueOrError) {
  auto ok = parse_positive(3);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "not positive");
}

TEST(ResultTest, TryPropagatesTheFirstError) {
  EXPECT_TRUE(twice_positive(2).ok());
  auto st = twice_positive(0);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(error_code_name(st.error().code), "invalid_argument");
}

}  // namespace
}  // namespace comptoir
