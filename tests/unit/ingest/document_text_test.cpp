// DocumentText against the object it stands for: random records (ordinary names,
// canonical ones, names that need escapes) with random canonical fields, written
// in both orders DocumentText allows, must equal the Boost.JSON object of the
// record's fields with each canonical field then insert_or_assign'ed.
#include "ingest/document_text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "ingest/canonical_key.h"
#include "ingest/document_json.h"

namespace comptoir::ingest {
namespace {

namespace json = boost::json;

// In CanonicalKey order.
constexpr std::string_view kCanonicalNames[] = {
    "@timestamp",   "Level",      "Service",     "Message",        "User",    "IP",
    "Duration",     "order_id",   "customer_id", "country",        "product", "category",
    "quantity",     "unit_price", "revenue",     "payment_method", "status",  "source_file",
    "source_format"};
static_assert(std::size(kCanonicalNames) == kCanonicalKeyCount);

constexpr std::string_view kOrdinaryNames[] = {"level",     "message",  "a",      "b.c",
                                               "x y",       "quo\"te",  "back\\", "",
                                               "timestamp", "Quantity", "ip",     "@TIMESTAMP"};

struct Value {
  FieldValue field;
  json::value json;
  std::string text;  // owns a string field's bytes
};

Value random_value(std::mt19937& rng) {
  Value v;
  switch (rng() % 6) {
    case 0:
      v.text = std::string(rng() % 2 ? "plain" : "esc\"aped\n") + std::to_string(rng() % 100);
      v.json = json::string(v.text);
      break;
    case 1: {
      const auto n = static_cast<int64_t>(rng() % 2000) - 1000;
      v.field = FieldValue::of_int(n);
      v.json = n;
      return v;
    }
    case 2: {
      const double d = static_cast<double>(rng() % 100000) / 100.0;
      v.field = FieldValue::of_double(d);
      v.json = d;
      return v;
    }
    case 3:
      v.field = FieldValue::of_bool(rng() % 2 == 0);
      v.json = v.field.boolean;
      return v;
    case 4:
      v.field = FieldValue::null();
      v.json = nullptr;
      return v;
    default:
      v.text = "";
      v.json = json::string();
      break;
  }
  return v;
}

TEST(DocumentTextNames, CanonicalKeysAreFoundByExactName) {
  for (size_t k = 0; k < kCanonicalKeyCount; ++k) {
    EXPECT_EQ(canonical_key_of(kCanonicalNames[k]), static_cast<CanonicalKey>(k));
  }
  for (std::string_view name : kOrdinaryNames) {
    EXPECT_EQ(canonical_key_of(name), CanonicalKey::kNone) << name;
  }
}

class DocumentTextOrder : public ::testing::TestWithParam<bool> {};

TEST_P(DocumentTextOrder, SameTextAsInsertOrAssignIntoTheRecordsObject) {
  const bool canonical_after_members = GetParam();
  std::mt19937 rng(canonical_after_members ? 11 : 7);
  std::vector<std::string_view> pool(std::begin(kOrdinaryNames), std::end(kOrdinaryNames));
  if (!canonical_after_members) {
    pool.insert(pool.end(), std::begin(kCanonicalNames), std::end(kCanonicalNames));
  }
  DocumentText doc("file \"x\".csv", "csv");
  for (int round = 0; round < 3000; ++round) {
    // The record: distinct names, in a random order.
    std::shuffle(pool.begin(), pool.end(), rng);
    std::vector<std::string_view> names(pool.begin(), pool.begin() + rng() % 8);
    std::vector<Value> values;
    for (size_t i = 0; i < names.size(); ++i) values.push_back(random_value(rng));
    for (Value& v : values) {
      if (v.json.is_string()) v.field = FieldValue::of_string(v.text);
    }
    // The canonical fields: a random subset, set in key order (as normalisation does).
    std::vector<std::pair<CanonicalKey, Value>> canonical;
    for (size_t k = 0; k < static_cast<size_t>(CanonicalKey::kSourceFile); ++k) {
      if (rng() % 3 == 0) canonical.emplace_back(static_cast<CanonicalKey>(k), random_value(rng));
    }

    json::object expected;
    for (size_t i = 0; i < names.size(); ++i) expected[names[i]] = values[i].json;
    doc.begin();
    auto set_canonical = [&] {
      for (auto& [key, v] : canonical) {
        expected.insert_or_assign(kCanonicalNames[static_cast<size_t>(key)], v.json);
        if (v.json.is_string()) {
          doc.set_string(key, v.text);
        } else if (v.json.is_int64()) {
          doc.set_int(key, v.json.get_int64());
        } else if (v.json.is_double()) {
          doc.set_double(key, v.json.get_double());
        } else {  // no boolean or null canonical value: a string instead
          v.text = "s";
          v.json = "s";
          expected.insert_or_assign(kCanonicalNames[static_cast<size_t>(key)], "s");
          doc.set_string(key, "s");
        }
      }
    };
    auto write_members = [&] {
      for (size_t i = 0; i < names.size(); ++i) {
        doc.member(json_member_prefix(names[i]), canonical_key_of(names[i]), values[i].field);
      }
    };
    if (canonical_after_members) {
      write_members();
      set_canonical();
    } else {
      set_canonical();
      write_members();
    }
    expected.insert_or_assign("source_file", "file \"x\".csv");
    expected.insert_or_assign("source_format", "csv");
    TextBuffer want;
    want.push_back('{');
    append_json_members(want, expected);
    want.push_back('}');
    ASSERT_EQ(doc.finish(), want.view()) << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(DocumentTextOrders, DocumentTextOrder, ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "CanonicalAfterMembers" : "CanonicalFirst";
                         });

}  // namespace
}  // namespace comptoir::ingest
