// Source references: the template encoder cuts only whole values it can give back, the
// expander puts them back byte for byte or reports a damaged template, and a segment's
// stored documents read back exactly as they were given, whatever their shape.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/index/document_parser.h"
#include "engine/index/segment_builder.h"
#include "engine/index/segment_reader.h"
#include "engine/store/source_refs.h"

namespace comptoir::engine {
namespace {

// Expands `stored` with the values given per field name.
Result<std::string> expand(std::string_view stored,
                           const std::map<std::string, std::string, std::less<>>& values) {
  std::string out;
  Status s = expand_source(stored, out,
                           [&](SourceRefKind, std::string_view field, std::string& o) -> Status {
                             auto it = values.find(field);
                             if (it == values.end()) return Error::corruption("no such field");
                             o.append(it->second);
                             return {};
                           });
  if (!s.ok()) return s.error();
  return out;
}

// Expands `stored` with the values of `values` (each field's column gives its text).
Result<std::string> expand_values(std::string_view stored,
                                  const std::vector<SourceRefValue>& values) {
  std::map<std::string, std::string, std::less<>> by_field;
  for (const SourceRefValue& v : values) by_field.emplace(v.field, v.text);
  return expand(stored, by_field);
}

TEST(SourceRefsTest, WholeValuesAreCutAndPutBack) {
  SourceRefEncoder enc;
  const std::string source =
      R"({"Message":"payment failed for order 12","Level":"ERROR","Duration":1234,)"
      R"("n":12345,"@timestamp":"2025-12-23T10:30:00.000Z"})";
  std::vector<SourceRefValue> values = {
      {"Message.keyword", SourceRefKind::kKeyword, "payment failed for order 12"},
      {"Level.keyword", SourceRefKind::kKeyword, "ERROR"},
      {"Duration", SourceRefKind::kInteger, "1234"},
      {"@timestamp", SourceRefKind::kDate, "2025-12-23T10:30:00.000Z"}};
  const std::string stored(enc.encode(source, values));
  ASSERT_TRUE(is_source_template(stored));
  EXPECT_EQ(stored.find("payment"), std::string::npos);
  EXPECT_EQ(stored.find("1234,"), std::string::npos);
  EXPECT_NE(stored.find("12345"), std::string::npos);  // another number, not a cut
  auto back = expand_values(stored, values);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, source);
  // Known to be parsed JSON (not looked over for marker bytes): the same template.
  EXPECT_EQ(enc.encode(source, values, SourceText::kParsedJson), stored);
}

TEST(SourceRefsTest, ValuesNotStandingAsTokensStayInTheText) {
  SourceRefEncoder enc;
  // Inside a longer string, inside a longer number, escaped, too short: nothing to cut.
  const std::string source = R"({"a":"xx abcd yy","n":123456,"q":"say \"hi\" there","s":"abc"})";
  std::vector<SourceRefValue> values = {{"a.keyword", SourceRefKind::kKeyword, "abcd"},
                                        {"n2", SourceRefKind::kInteger, "2345"},
                                        {"q.keyword", SourceRefKind::kKeyword, "say \"hi\" there"},
                                        {"s.keyword", SourceRefKind::kKeyword, "abc"}};
  EXPECT_EQ(enc.encode(source, values), source);
  // A source already holding marker bytes, or a field name holding one, is left alone.
  // Wherever the marker is: in a later string, escaped, between tokens, in a string that
  // does not end.
  for (const std::string& odd : {std::string("{\"a\":\"abcdef\",\"b\":\"\x02\"}"),
                                 std::string("{\"a\":\"abcdef\",\"b\":\"\\\x03\"}"),
                                 std::string("{\"a\":\"abcdef\",\x03\"b\":1}"),
                                 std::string("{\"a\":\"abcdef\",\"b\":\"x\x02"),
                                 std::string("{\"a\":\"abcdef\",\"b\":\"\x02x\\")}) {
    EXPECT_EQ(enc.encode(odd, {{"a.keyword", SourceRefKind::kKeyword, "abcdef"}}), odd) << odd;
  }
  // Without one, the same texts are templates.
  EXPECT_NE(
      enc.encode(R"({"a":"abcdef","b":"x)", {{"a.keyword", SourceRefKind::kKeyword, "abcdef"}}),
      R"({"a":"abcdef","b":"x)");
  const std::string plain = R"({"a":"abcdef"})";
  EXPECT_EQ(enc.encode(plain, {{"a\x03", SourceRefKind::kKeyword, "abcdef"}}), plain);
}

// Values are looked for right after the next key first, then anywhere: spaces and line
// breaks after colons, values out of key order, a number the next key's value starts with.
TEST(SourceRefsTest, ValuesAreFoundInAnyLayout) {
  SourceRefEncoder enc;
  const std::string source =
      "{\n  \"Level\": \"ERROR\",\n  \"n\":  123456,\n  \"Duration\":\n"
      "1234, \"User\" : \"user42\", \"note\": \"user42 ERROR\"}";
  std::vector<SourceRefValue> values = {{"User", SourceRefKind::kKeyword, "user42"},
                                        {"n", SourceRefKind::kInteger, "1234"},
                                        {"Duration", SourceRefKind::kInteger, "1234"},
                                        {"Level", SourceRefKind::kKeyword, "ERROR"}};
  const std::string stored(enc.encode(source, values));
  ASSERT_TRUE(is_source_template(stored));
  EXPECT_NE(stored.find("123456"), std::string::npos);  // "1234" is not cut from it
  EXPECT_EQ(stored.find("1234,"), std::string::npos);
  EXPECT_EQ(stored.find(R"("ERROR")"), std::string::npos);
  EXPECT_EQ(stored.find(R"("user42")"), std::string::npos);
  auto back =
      expand(stored, {{"User", "user42"}, {"n", "1234"}, {"Duration", "1234"}, {"Level", "ERROR"}});
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, source);
}

TEST(SourceRefsTest, OverlappingValuesCutOnce) {
  SourceRefEncoder enc;
  // The same text for two fields, and a value that is also a key: any cut of the same
  // bytes gives them back.
  const std::string source = R"({"host":"web-01","alias":"web-01","web-01":"host"})";
  std::vector<SourceRefValue> values = {{"host", SourceRefKind::kKeyword, "web-01"},
                                        {"alias", SourceRefKind::kKeyword, "web-01"}};
  const std::string stored(enc.encode(source, values));
  ASSERT_TRUE(is_source_template(stored));
  auto back = expand(stored, {{"host", "web-01"}, {"alias", "web-01"}});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, source);
}

// A value the document repeats is stored once: an ingested event's original fields stand
// beside their canonical copies, and every copy becomes a reference. Keys, parts of
// longer tokens and escaped strings stay as they are.
TEST(SourceRefsTest, RepeatedValuesAreAllCut) {
  SourceRefEncoder enc;
  const std::string source =
      R"({"timestamp":"2025-12-23T10:30:00.123Z","service":"payment-service",)"
      R"("message":"Payment failed, card declined","user":"user123","duration":1500,)"
      R"("note":"payment-service restarted","payment-service":1,"n":15000,)"
      R"("@timestamp":"2025-12-23T10:30:00.123Z","Service":"payment-service",)"
      R"("Message":"Payment failed, card declined","User":"user123","Duration":1500})";
  const std::vector<SourceRefValue> values = {
      {"@timestamp", SourceRefKind::kDate, "2025-12-23T10:30:00.123Z"},
      {"Service", SourceRefKind::kKeyword, "payment-service"},
      {"Message.keyword", SourceRefKind::kKeyword, "Payment failed, card declined"},
      {"User", SourceRefKind::kKeyword, "user123"},
      {"Duration", SourceRefKind::kInteger, "1500"}};
  const std::string stored(enc.encode(source, values));
  ASSERT_TRUE(is_source_template(stored));
  EXPECT_EQ(stored.find("card declined"), std::string::npos);
  EXPECT_EQ(stored.find("2025-12-23"), std::string::npos);
  EXPECT_EQ(stored.find(R"("user123")"), std::string::npos);
  EXPECT_EQ(stored.find(":1500,"), std::string::npos);
  EXPECT_EQ(stored.find(":1500}"), std::string::npos);
  EXPECT_NE(stored.find("payment-service restarted"), std::string::npos);  // a longer token
  EXPECT_NE(stored.find(R"("payment-service":1)"), std::string::npos);     // a key
  EXPECT_NE(stored.find("15000"), std::string::npos);                      // a longer number
  size_t refs = 0;
  for (char c : stored) refs += c == '\x02';
  EXPECT_EQ(refs, 10u);  // both copies of each of the five values
  auto back = expand_values(stored, values);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, source);
  // An escaped quote does not end a string: the value after it is still found whole.
  const std::string escaped = R"({"q":"say \"payment-service\"","s":"payment-service"})";
  const std::string stored_escaped(enc.encode(escaped, values));
  EXPECT_NE(stored_escaped.find(R"(\"payment-service\")"), std::string::npos);
  auto back_escaped = expand(stored_escaped, {{"Service", "payment-service"}});
  ASSERT_TRUE(back_escaped.ok());
  EXPECT_EQ(*back_escaped, escaped);
}

// Random JSON texts (strings with escapes and multi-byte characters, numbers of every
// form, nested arrays and objects, odd spacing) and random values, some equal to tokens
// of the text, some to parts of tokens, keys or nothing: whatever the encoder cuts, the
// template expands back to the text byte for byte, in both modes. Seeded; the failing
// case's seed and text are printed.
TEST(SourceRefsTest, RandomTextsReadBackExactly) {
  std::mt19937 rng(20261126);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::vector<std::string> pieces = {
      "payment", "-",   "service", "a", "é",       "日本", "\\\"",
      "\\\\",    "\\n", "\\u00e9", " ", "10.0.1.", "user", "2025-12-23T10:30:00.000Z",
      ":",       ","};
  bool escapes = false;  // half the texts hold none (the encoder's quote-pairing path)
  auto random_string = [&] {
    std::string s;
    for (size_t n = pick(6); n > 0; --n) {
      const std::string& piece = pieces[pick(pieces.size())];
      if (escapes || piece.find('\\') == std::string::npos) s += piece;
    }
    return s;
  };
  auto random_number = [&] {
    static const std::vector<std::string> forms = {"0",     "-1",   "1500", "15000",    "2.5",
                                                   "-0.75", "1e10", "3E-2", "123456789"};
    return forms[pick(forms.size())];
  };
  std::vector<std::string> tokens;  // raw tokens of the text: string contents, numbers
  std::function<std::string(int)> value = [&](int depth) -> std::string {
    switch (pick(depth > 2 ? 4 : 6)) {
      case 0:
      case 1: {
        std::string s = random_string();
        tokens.push_back(s);
        return "\"" + s + "\"";
      }
      case 2: {
        std::string n = random_number();
        tokens.push_back(n);
        return n;
      }
      case 3:
        return pick(2) ? "true" : "null";
      case 4: {
        std::string a = "[";
        for (size_t n = pick(4); n > 0; --n) a += value(depth + 1) + (n > 1 ? ", " : "");
        return a + "]";
      }
      default: {
        std::string o = "{";
        for (size_t n = pick(4); n > 0; --n)
          o += "\"" + random_string() + "\" :" + value(depth + 1) + (n > 1 ? "," : "");
        return o + "}";
      }
    }
  };
  SourceRefEncoder enc;
  size_t templates = 0;
  for (int c = 0; c < 3000; ++c) {
    tokens.clear();
    escapes = c % 2 == 1;
    std::string source = "{";
    for (size_t n = 1 + pick(8); n > 0; --n)
      source += "\"" + random_string() + "\":" + value(0) + (n > 1 ? (pick(2) ? "," : " ,\n") : "");
    source += "}";
    std::vector<std::string> texts;
    for (size_t n = pick(8); n > 0; --n) {
      if (!tokens.empty() && pick(3) != 0) {
        std::string t = tokens[pick(tokens.size())];
        if (pick(5) == 0 && t.size() > 2) t = t.substr(1);  // a part of a token
        texts.push_back(t);
      } else {
        texts.push_back(random_string());
      }
    }
    std::vector<std::string> names;  // the values view them
    for (size_t i = 0; i < texts.size(); ++i) names.push_back("f" + std::to_string(i));
    std::vector<SourceRefValue> values;
    for (size_t i = 0; i < texts.size(); ++i)
      values.push_back({names[i], SourceRefKind::kKeyword, texts[i]});
    for (SourceText mode : {SourceText::kUnchecked, SourceText::kParsedJson}) {
      const std::string stored(enc.encode(source, values, mode));
      templates += is_source_template(stored);
      auto back = expand_values(stored, values);
      ASSERT_TRUE(back.ok()) << "case " << c << ": " << back.error().message << "\n" << source;
      ASSERT_EQ(*back, source) << "case " << c;
    }
  }
  EXPECT_GT(templates, 2000u);  // most cases cut something
}

TEST(SourceRefsTest, DamagedTemplatesAreCorruptionErrors) {
  for (std::string bad : {std::string("\x01{\"a\":\"\x02kfield"), std::string("\x01{\x02"),
                          std::string("\x01{\"a\":\x02zfield\x03}")}) {
    auto r = expand(bad, {{"field", "v"}});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  }
  auto missing = expand("\x01{\"a\":\"\x02kother\x03\"}", {{"field", "v"}});
  EXPECT_FALSE(missing.ok());
  // A plain source is given back as it is.
  auto plain = expand(R"({"a":1})", {});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, R"({"a":1})");
}

// Documents of every shape through a segment: the stored form is smaller when the columns
// hold the values, and every source reads back byte for byte.
TEST(SourceRefsTest, SegmentSourcesReadBackExactly) {
  const std::vector<std::string> docs = {
      R"({"@timestamp":"2025-12-23T10:30:00.000Z","Level":"ERROR","Service":"payment-service","Message":"Payment failed for order 1234","User":"user123","IP":"10.1.2.3","Duration":1500})",
      R"({ "@timestamp" : "2025-12-23T10:30:00Z", "Level" : "INFO", "Duration" : "1500" })",
      R"({"@timestamp":"1969-12-31T23:59:59.999Z","Duration":-42,"Message":"caf\u00e9 \"quoted\""})",
      R"({"@timestamp":1766485800000,"Duration":12.75,"Message":"naïve 東京 text"})",
      R"({"Message":["first message","second message"],"User":["same","same"]})",
      R"({"nested":{"User":"user123","deeper":{"Duration":777777}},"User":"user1234"})",
      R"({"Message":")" + std::string(300, 'x') + R"("})",  // over ignore_above: no keyword
      R"({"Level":"","User":"user123 ","IP":"user123","Service":"Level"})",
      R"({"Duration":123456789012,"flag":true,"ratio":0.5})",
      R"({})"};
  Mapping mapping;
  DocumentParser parser;
  SegmentBuilder builder;
  for (size_t i = 0; i < docs.size(); ++i) {
    const std::string id = "id" + std::to_string(i);  // viewed by the parsed document
    auto parsed = parser.parse(docs[i], id, mapping);
    ASSERT_TRUE(parsed.ok()) << i << ": " << parsed.error().message;
    builder.add(**parsed);
  }
  auto reader = SegmentReader::open(SegmentData::from_string(builder.finish()));
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    auto doc = (*reader)->stored(d);
    ASSERT_TRUE(doc.ok()) << d << ": " << doc.error().message;
    EXPECT_EQ(doc->id, "id" + std::to_string(d));
    EXPECT_EQ(doc->source, docs[d]) << d;
  }
  // As stored: the log event's values are references, the long message is text.
  std::vector<std::string> stored;
  ASSERT_TRUE(
      (*reader)
          ->stored_fields()
          .for_each([&](uint32_t, std::string_view, std::string_view s) { stored.emplace_back(s); })
          .ok());
  ASSERT_EQ(stored.size(), docs.size());
  EXPECT_TRUE(is_source_template(stored[0]));
  for (const char* value : {"Payment failed", "10.1.2.3", "2025-12-23T10:30:00.000Z", "1500",
                            "user123", "payment-service"})
    EXPECT_EQ(stored[0].find(value), std::string::npos) << value;
  EXPECT_EQ(stored[6], docs[6]);
  EXPECT_EQ(stored[9], docs[9]);
}

// A template naming a field the segment has no column for is reported, not guessed.
TEST(SourceRefsTest, ReferenceToAMissingColumnIsCorruption) {
  SegmentWriter w;
  StoredFieldsWriter stored;
  stored.add("a", "\x01{\"m\":\"\x02kMessage.keyword\x03\"}");
  auto reader = SegmentReader::open(SegmentData::from_string(w.finish(1, stored)));
  ASSERT_TRUE(reader.ok());
  auto doc = (*reader)->stored(0);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, ErrorCode::kCorruption);
  EXPECT_NE(doc.error().message.find("Message.keyword"), std::string::npos);
}

// A referenced keyword whose term block is damaged: fetching the document is a
// corruption error, not an answer from garbage nor a crash.
TEST(SourceRefsTest, DamagedTermBlockFailsTheFetch) {
  Mapping mapping;
  DocumentParser parser;
  SegmentBuilder builder;
  std::vector<std::string> docs;
  for (int i = 0; i < 2000; ++i)  // ~100 KiB of distinct messages: a block dictionary
    docs.push_back(R"({"Message":"message number )" + std::to_string(i * 7919) +
                   R"( with some words to make it long enough"})");
  for (size_t i = 0; i < docs.size(); ++i) {
    const std::string id = std::to_string(i);
    auto parsed = parser.parse(docs[i], id, mapping);
    ASSERT_TRUE(parsed.ok());
    builder.add(**parsed);
  }
  std::string bytes = builder.finish().str();
  const uint64_t meta_off = load_le<uint64_t>(bytes.data() + bytes.size() - 32);
  const uint64_t meta_len = load_le<uint64_t>(bytes.data() + bytes.size() - 24);
  const boost::json::value meta =
      boost::json::parse(std::string_view(bytes).substr(meta_off, meta_len));
  uint64_t terms = 0, terms_bytes = 0;
  for (const auto& f : meta.at("fields").as_array()) {
    if (f.at("name") != "Message.keyword") continue;
    ASSERT_EQ(f.at("terms_codec"), "blocks");
    terms = f.at("terms").to_number<uint64_t>();
    terms_bytes = f.at("terms_bytes").to_number<uint64_t>();
  }
  ASSERT_GT(terms_bytes, 0u);
  auto good = SegmentReader::open(SegmentData::from_string(bytes));
  ASSERT_TRUE(good.ok());
  ASSERT_EQ((*good)->stored(100)->source, docs[100]);
  // Damage the second half of the blocks (past the header, index and zstd dictionary).
  for (uint64_t at = terms + terms_bytes / 2; at < terms + terms_bytes; at += 97) bytes[at] ^= 0x5A;
  auto damaged = SegmentReader::open(SegmentData::from_string(bytes));
  ASSERT_TRUE(damaged.ok());  // block contents are checked when read
  size_t failed = 0;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    auto doc = (*damaged)->stored(d);
    if (doc.ok()) {
      EXPECT_EQ(doc->source, docs[d]) << d;  // in an undamaged block: exact
    } else {
      EXPECT_EQ(doc.error().code, ErrorCode::kCorruption);
      ++failed;
    }
  }
  EXPECT_GT(failed, 0u);
}

}  // namespace
}  // namespace comptoir::engine
