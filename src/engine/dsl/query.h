// The typed query tree of the Elasticsearch Query DSL subset Comptoir speaks
// (ES-COMPAT.md §4). Built by parse_query() from ES JSON or directly by core/, executed
// by engine/query, and serialised back with to_es_json() for an external cluster.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace comptoir::engine {

// A JSON scalar as written by the user (null is std::monostate).
using JsonScalar = std::variant<std::monostate, bool, int64_t, double, std::string>;

std::string scalar_to_string(const JsonScalar& v);  // "true", "42", "1.5", text; null → ""

enum class Operator { kOr, kAnd };

struct Query;

struct MatchAllQuery {
  float boost = 1.0f;
  bool operator==(const MatchAllQuery&) const = default;
};
struct MatchNoneQuery {
  bool operator==(const MatchNoneQuery&) const = default;
};
struct MatchQuery {
  std::string field;
  JsonScalar query;
  Operator op = Operator::kOr;
  std::optional<std::string> minimum_should_match;
  bool zero_terms_all = false;  // zero_terms_query: "all"
  bool lenient = false;
  float boost = 1.0f;
  bool operator==(const MatchQuery&) const = default;
};
struct MatchPhraseQuery {
  std::string field;
  std::string query;
  int32_t slop = 0;
  float boost = 1.0f;
  bool operator==(const MatchPhraseQuery&) const = default;
};
struct MultiMatchQuery {
  std::vector<std::string> fields;  // may carry "^boost" suffixes, as in ES
  JsonScalar query;
  Operator op = Operator::kOr;
  std::optional<std::string> minimum_should_match;
  float tie_breaker = 0.0f;
  bool phrase = false;  // type: phrase (best_fields otherwise)
  bool lenient = false;
  float boost = 1.0f;
  bool operator==(const MultiMatchQuery&) const = default;
};
struct TermQuery {
  std::string field;
  JsonScalar value;
  bool case_insensitive = false;
  float boost = 1.0f;
  bool operator==(const TermQuery&) const = default;
};
struct TermsQuery {
  std::string field;
  std::vector<JsonScalar> values;
  float boost = 1.0f;
  bool operator==(const TermsQuery&) const = default;
};
struct RangeQuery {
  std::string field;
  JsonScalar gt, gte, lt, lte;  // monostate when absent
  std::optional<std::string> format;
  std::optional<std::string> time_zone;
  float boost = 1.0f;
  bool operator==(const RangeQuery&) const = default;
};
struct ExistsQuery {
  std::string field;
  float boost = 1.0f;
  bool operator==(const ExistsQuery&) const = default;
};
struct PrefixQuery {
  std::string field;
  std::string value;
  bool case_insensitive = false;
  bool normalize = false;  // internal (query_string): apply the field's normalizer
  float boost = 1.0f;
  bool operator==(const PrefixQuery&) const = default;
};
struct WildcardQuery {
  std::string field;
  std::string value;  // '*' any sequence, '?' one code point, '\\' escapes
  bool case_insensitive = false;
  bool normalize = false;  // internal (query_string): apply the field's normalizer
  float boost = 1.0f;
  bool operator==(const WildcardQuery&) const = default;
};
struct QueryStringQuery {
  std::string query;
  std::optional<std::string> default_field;
  std::vector<std::string> fields;
  Operator default_operator = Operator::kOr;
  bool allow_leading_wildcard = true;
  bool analyze_wildcard = false;
  std::optional<bool> lenient;
  float boost = 1.0f;
  bool operator==(const QueryStringQuery&) const = default;
};
struct SimpleQueryStringQuery {
  std::string query;
  std::vector<std::string> fields;
  Operator default_operator = Operator::kOr;
  float boost = 1.0f;
  bool operator==(const SimpleQueryStringQuery&) const = default;
};
struct IdsQuery {
  std::vector<std::string> values;
  float boost = 1.0f;
  bool operator==(const IdsQuery&) const = default;
};
struct BoolQuery {
  std::vector<Query> must, filter, should, must_not;
  std::optional<std::string> minimum_should_match;
  float boost = 1.0f;
  bool operator==(const BoolQuery&) const;
};
// Produced by rewriting (multi_match, query_string over several fields), never parsed
// from JSON: the score is the best clause's plus tie_breaker × the others'.
struct DisMaxQuery {
  std::vector<Query> queries;
  float tie_breaker = 0.0f;
  float boost = 1.0f;
  bool operator==(const DisMaxQuery&) const;
};

struct Query {
  using Node =
      std::variant<MatchAllQuery, MatchNoneQuery, MatchQuery, MatchPhraseQuery, MultiMatchQuery,
                   TermQuery, TermsQuery, RangeQuery, ExistsQuery, PrefixQuery, WildcardQuery,
                   QueryStringQuery, SimpleQueryStringQuery, IdsQuery, BoolQuery, DisMaxQuery>;
  Node node;

  Query() : node(MatchAllQuery{}) {}
  template <typename T>
  Query(T q) : node(std::move(q)) {}  // NOLINT: implicit from any node type
  bool operator==(const Query& o) const { return node == o.node; }
};

inline bool BoolQuery::operator==(const BoolQuery& o) const {
  return must == o.must && filter == o.filter && should == o.should && must_not == o.must_not &&
         minimum_should_match == o.minimum_should_match && boost == o.boost;
}
inline bool DisMaxQuery::operator==(const DisMaxQuery& o) const {
  return queries == o.queries && tie_breaker == o.tie_breaker && boost == o.boost;
}

}  // namespace comptoir::engine
