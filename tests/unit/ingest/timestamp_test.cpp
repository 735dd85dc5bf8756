// Tests for timestamp parsing, time zones and ISO printing (ingest/timestamp.h).
#include "ingest/timestamp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace comptoir::ingest {
namespace {

TimeContext utc_context() {
  TimeContext ctx;
  ctx.reference = 1766491200000;  // 2025-12-23T12:00:00Z
  return ctx;
}

struct TimestampCase {
  const char* text;
  const char* expected;  // ISO UTC with millis; nullptr = not a timestamp
};

class TimestampForms : public ::testing::TestWithParam<TimestampCase> {};

TEST_P(TimestampForms, ParsesToUtcMillis) {
  const auto& c = GetParam();
  auto t = parse_timestamp(c.text, utc_context());
  if (c.expected == nullptr) {
    EXPECT_FALSE(t.has_value()) << c.text << " → " << iso8601_millis(*t);
  } else {
    ASSERT_TRUE(t.has_value()) << c.text;
    EXPECT_EQ(iso8601_millis(*t), c.expected) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    TimestampTable, TimestampForms,
    ::testing::Values(
        TimestampCase{"2025-12-23T10:30:00", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"2025-12-23T10:30:00Z", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"2025-12-23T10:30:00.5Z", "2025-12-23T10:30:00.500Z"},
        TimestampCase{"2025-12-23T10:30:00.123456789Z", "2025-12-23T10:30:00.123Z"},
        TimestampCase{"2025-12-23T10:30:00+01:00", "2025-12-23T09:30:00.000Z"},
        TimestampCase{"2025-12-23T10:30:00-0530", "2025-12-23T16:00:00.000Z"},
        TimestampCase{"2025-12-23T10:30:00+02", "2025-12-23T08:30:00.000Z"},
        TimestampCase{"2025-12-23 10:30:00,123", "2025-12-23T10:30:00.123Z"},
        TimestampCase{"2025-12-23 10:30:00.123", "2025-12-23T10:30:00.123Z"},
        TimestampCase{"2025-12-23 10:30:00 +0100", "2025-12-23T09:30:00.000Z"},
        TimestampCase{"2025-12-23 10:30:00 UTC", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"2025-12-23 10:30", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"2025-12-23", "2025-12-23T00:00:00.000Z"},
        TimestampCase{"2025/12/23 10:30:00", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"  2025-12-23T10:30:00Z  ", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"23/Dec/2025:10:30:00 +0000", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"17/May/2015:10:05:03 +0200", "2015-05-17T08:05:03.000Z"},
        TimestampCase{"Tue Dec 23 10:30:00 2025", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"Sun Dec 04 04:47:44.123456 2005", "2005-12-04T04:47:44.123Z"},
        TimestampCase{"Dec 23 10:30:00", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"Jul  1 09:00:55", "2025-07-01T09:00:55.000Z"},
        TimestampCase{"Dec 24 11:00:00", "2025-12-24T11:00:00.000Z"},  // within a day ahead
        TimestampCase{"Dec 31 10:00:00", "2024-12-31T10:00:00.000Z"},  // in the future: last year
        TimestampCase{"12/1/2010 8:26", "2010-12-01T08:26:00.000Z"},
        TimestampCase{"12/23/2025 10:30:15", "2025-12-23T10:30:15.000Z"},
        TimestampCase{"1766485800", "2025-12-23T10:30:00.000Z"},
        TimestampCase{"1766485800123", "2025-12-23T10:30:00.123Z"},
        TimestampCase{"1766485800.5", "2025-12-23T10:30:00.500Z"},
        TimestampCase{"1446249499322", "2015-10-30T23:58:19.322Z"},
        TimestampCase{"2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"},
        TimestampCase{"2023-02-29T00:00:00Z", nullptr}, TimestampCase{"2025-13-01", nullptr},
        TimestampCase{"2025-12-23T25:00:00", nullptr},
        TimestampCase{"2025-12-23T10:30:00+25:00", nullptr},
        TimestampCase{"2025-12-23 garbage", nullptr}, TimestampCase{"hello world", nullptr},
        TimestampCase{"12345", nullptr}, TimestampCase{"", nullptr},
        TimestampCase{"Foo 23 10:30:00", nullptr}));

TEST(TimestampZone, LocalTimesUseTheConfiguredZone) {
  auto paris = TimeZone::named("Europe/Paris");
  ASSERT_TRUE(paris.ok());
  TimeContext ctx = utc_context();
  ctx.zone = *paris;
  // Winter (+01:00) and summer (+02:00).
  EXPECT_EQ(iso8601_millis(*parse_timestamp("2025-12-23 10:30:00", ctx)),
            "2025-12-23T09:30:00.000Z");
  EXPECT_EQ(iso8601_millis(*parse_timestamp("2025-07-01 12:00:00", ctx)),
            "2025-07-01T10:00:00.000Z");
  // An explicit offset wins over the zone.
  EXPECT_EQ(iso8601_millis(*parse_timestamp("2025-07-01T12:00:00Z", ctx)),
            "2025-07-01T12:00:00.000Z");
  // The repeated hour takes the earlier instant; the skipped hour moves forward.
  EXPECT_EQ(iso8601_millis(*parse_timestamp("2025-10-26 02:30:00", ctx)),
            "2025-10-26T00:30:00.000Z");
  EXPECT_EQ(iso8601_millis(*parse_timestamp("2025-03-30 02:30:00", ctx)),
            "2025-03-30T01:30:00.000Z");
}

TEST(TimestampZone, FixedOffsetsAndErrors) {
  auto plus2 = TimeZone::named("+02:00");
  ASSERT_TRUE(plus2.ok());
  TimeContext ctx = utc_context();
  ctx.zone = *plus2;
  EXPECT_EQ(iso8601_millis(*parse_timestamp("2025-12-23 10:30:00", ctx)),
            "2025-12-23T08:30:00.000Z");
  EXPECT_TRUE(TimeZone::named("UTC").ok());
  EXPECT_TRUE(TimeZone::named("UTC")->is_utc());
  auto bad = TimeZone::named("Mars/Olympus_Mons");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("Mars/Olympus_Mons"), std::string::npos);
  EXPECT_FALSE(TimeZone::named("+99:00").ok());
}

TEST(TimestampFormat, PrintsIsoUtcWithMillis) {
  EXPECT_EQ(iso8601_millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso8601_millis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(iso8601_millis(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(iso8601_millis(1766485800123), "2025-12-23T10:30:00.123Z");
}

TEST(TimestampCalendar, DaysRoundTrip) {
  for (int64_t d = -800000; d <= 800000; d += 97) {
    int64_t y = 0;
    unsigned m = 0, day = 0;
    civil_from_days(d, y, m, day);
    ASSERT_EQ(days_from_civil(y, m, day), d);
  }
}

TEST(TimestampEpoch, MagnitudeDecidesTheUnit) {
  EXPECT_EQ(*epoch_number_to_millis(1766485800), 1766485800000);
  EXPECT_EQ(*epoch_number_to_millis(1766485800123.0), 1766485800123);
  EXPECT_EQ(*epoch_number_to_millis(1766485800123456.0), 1766485800123);
  EXPECT_FALSE(epoch_number_to_millis(42).has_value());
  EXPECT_FALSE(epoch_number_to_millis(std::nan("")).has_value());
}

}  // namespace
}  // namespace comptoir::ingest
