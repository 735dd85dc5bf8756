// The plain search syntax as wildcard and phrase queries, and the Lucene check.
#include "core/user_query.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/analysis/standard_analyzer.h"
#include "engine/dsl/dsl_error.h"
#include "engine/dsl/query_string_parser.h"

namespace comptoir {

namespace {

constexpr std::string_view kTextField = "Message";
constexpr std::string_view kKeywordFields[] = {"Level", "Service", "User"};

struct Term {
  std::string text;
  bool phrase = false;
  bool operator==(const Term&) const = default;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Words split on white space; "..." is one phrase (an unclosed quote runs to the end).
std::vector<Term> split_terms(std::string_view text) {
  std::vector<Term> out;
  size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
    } else if (text[i] == '"') {
      const size_t close = text.find('"', i + 1);
      const size_t end = close == std::string_view::npos ? text.size() : close;
      std::string_view inner = text.substr(i + 1, end - i - 1);
      while (!inner.empty() && is_space(inner.front())) inner.remove_prefix(1);
      while (!inner.empty() && is_space(inner.back())) inner.remove_suffix(1);
      if (!inner.empty()) out.push_back({std::string(inner), true});
      i = close == std::string_view::npos ? text.size() : close + 1;
    } else {
      size_t end = i;
      while (end < text.size() && !is_space(text[end]) && text[end] != '"') ++end;
      out.push_back({std::string(text.substr(i, end - i)), false});
      i = end;
    }
  }
  return out;
}

// A wildcard pattern matching `literal` anywhere: `*literal*` with `*`, `?`, `\` escaped.
std::string contains_pattern(std::string_view literal) {
  std::string p = "*";
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '\\') p.push_back('\\');
    p.push_back(c);
  }
  p.push_back('*');
  return p;
}

engine::Query all_of(std::vector<engine::Query> clauses) {
  if (clauses.size() == 1) return std::move(clauses.front());
  engine::BoolQuery b;
  b.must = std::move(clauses);
  return b;
}

engine::Query any_of(std::vector<engine::Query> clauses) {
  if (clauses.size() == 1) return std::move(clauses.front());
  engine::BoolQuery b;
  b.should = std::move(clauses);
  b.minimum_should_match = "1";
  return b;
}

// One word or phrase: in the message's tokens, or inside a keyword value.
engine::Query term_query(const Term& term) {
  std::vector<engine::Query> where;
  const std::vector<std::string> tokens = engine::StandardAnalyzer::tokens(term.text);
  if (!tokens.empty()) {
    if (term.phrase) {
      engine::MatchPhraseQuery p;
      p.field = std::string(kTextField);
      p.query = term.text;
      where.push_back(std::move(p));
    } else {
      // Tokens are lower case, like the indexed ones: no case folding needed.
      std::vector<engine::Query> each;
      for (const auto& token : tokens) {
        engine::WildcardQuery w;
        w.field = std::string(kTextField);
        w.value = contains_pattern(token);
        each.push_back(std::move(w));
      }
      where.push_back(all_of(std::move(each)));
    }
  }
  for (std::string_view field : kKeywordFields) {
    engine::WildcardQuery w;
    w.field = std::string(field);
    w.value = contains_pattern(term.text);
    w.case_insensitive = true;
    where.push_back(std::move(w));
  }
  return any_of(std::move(where));
}

size_t utf8_length(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

// "... at line 1, column 7." → 7; nullopt when the message has no position.
std::optional<size_t> error_column(std::string_view message) {
  const size_t at = message.rfind("column ");
  if (at == std::string_view::npos) return std::nullopt;
  size_t n = 0, i = at + 7;
  if (i >= message.size() || message[i] < '0' || message[i] > '9') return std::nullopt;
  for (; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i)
    n = n * 10 + static_cast<size_t>(message[i] - '0');
  return n;
}

Result<std::optional<engine::Query>> lucene_query(std::string_view text) {
  engine::QueryStringQuery q;
  q.query = std::string(text);
  auto parsed = engine::parse_query_string(q);
  if (!parsed.ok()) {
    const std::string reason = engine::es_error_parts(parsed.error()).reason;
    const auto column = error_column(reason);
    const std::string problem = column ? fmt::format("Lucene syntax error at position {}", *column)
                                       : std::string("Lucene syntax error");
    return Error::invalid_fields(fmt::format("invalid query: {}", reason), {{"query", problem}});
  }
  return std::optional<engine::Query>(engine::Query(std::move(q)));
}

}  // namespace

Result<std::optional<engine::Query>> user_query(std::string_view text, QuerySyntax syntax) {
  if (utf8_length(text) > kMaxQueryCharacters) {
    return Error::invalid_fields(
        fmt::format("query must be at most {} characters", kMaxQueryCharacters),
        {{"query", fmt::format("must be at most {} characters", kMaxQueryCharacters)}});
  }
  if (std::all_of(text.begin(), text.end(), is_space)) return std::optional<engine::Query>();
  if (syntax == QuerySyntax::kLucene) return lucene_query(text);

  std::vector<Term> terms;
  for (auto& t : split_terms(text)) {
    if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(std::move(t));
  }
  if (terms.empty()) return std::optional<engine::Query>();
  if (terms.size() > kMaxQueryTerms) {
    return Error::invalid_fields(
        fmt::format("query must have at most {} words or phrases", kMaxQueryTerms),
        {{"query", fmt::format("must have at most {} words or phrases", kMaxQueryTerms)}});
  }
  std::vector<engine::Query> each;
  for (const auto& t : terms) each.push_back(term_query(t));
  return std::optional<engine::Query>(all_of(std::move(each)));
}

}  // namespace comptoir
