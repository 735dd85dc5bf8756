// Recursive-descent parser for Lucene's classic query syntax with Elasticsearch's
// additions (`_exists_:f`, `f:*`, `f:>=10`), and the forgiving simple syntax.
// Boolean operators follow Lucene's QueryParserBase.addClause (no precedence: AND marks
// both neighbours required, NOT prohibits, default_operator joins the rest).
#include "engine/dsl/query_string_parser.h"

#include <cstdlib>

#include "engine/dsl/dsl_error.h"

namespace comptoir::engine {

namespace {

enum class Occur { kMust, kShould, kMustNot };

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_special(char c) {
  switch (c) {
    case '+':
    case '-':
    case '!':
    case '(':
    case ')':
    case ':':
    case '^':
    case '[':
    case ']':
    case '"':
    case '{':
    case '}':
    case '~':
    case '\\':
    case '/':
      return true;
    default:
      return false;
  }
}

// Splits "field^2.5" into field and boost.
std::pair<std::string, float> field_boost(const std::string& f) {
  size_t caret = f.rfind('^');
  if (caret == std::string::npos) return {f, 1.0f};
  return {f.substr(0, caret), std::strtof(f.c_str() + caret + 1, nullptr)};
}

void set_boost(Query& q, float boost) {
  std::visit(
      [&](auto& node) {
        if constexpr (requires { node.boost; }) node.boost *= boost;
      },
      q.node);
}

// One field query for each default field, combined with dis_max (best_fields).
template <typename Make>
Query per_field(const std::vector<std::string>& fields, Make make) {
  if (fields.size() == 1) {
    auto [f, boost] = field_boost(fields[0]);
    Query q = make(f);
    if (boost != 1.0f) set_boost(q, boost);
    return q;
  }
  DisMaxQuery dm;
  for (const auto& spec : fields) {
    auto [f, boost] = field_boost(spec);
    Query q = make(f);
    if (boost != 1.0f) set_boost(q, boost);
    dm.queries.push_back(std::move(q));
  }
  return dm;
}

class ClassicParser {
 public:
  ClassicParser(const QueryStringQuery& opts, std::vector<std::string> default_fields)
      : s_(opts.query), opts_(opts), default_fields_(std::move(default_fields)) {}

  Result<Query> parse() {
    skip_space();
    if (pos_ >= s_.size()) return Query(MatchNoneQuery{});
    auto q = parse_query(nullptr);
    if (!q) return q;
    skip_space();
    if (pos_ < s_.size()) return error_at("\")\"");
    return q;
  }

 private:
  Error error_at(std::string_view encountered) {
    return dsl_error("query_shard_exception", "Failed to parse query [" + s_ + "]: Cannot parse '" +
                                                  s_ + "': Encountered " +
                                                  std::string(encountered) + " at line 1, column " +
                                                  std::to_string(pos_) + ".");
  }
  Error error_eof() { return error_at("\"<EOF>\""); }

  void skip_space() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }
  bool at(std::string_view w) const { return s_.compare(pos_, w.size(), w) == 0; }
  // A keyword (AND/OR/NOT) must stand alone.
  bool at_word(std::string_view w) const {
    if (!at(w)) return false;
    size_t e = pos_ + w.size();
    return e >= s_.size() || is_space(s_[e]) || s_[e] == '(' || s_[e] == ')';
  }

  // Reads a bare term (with escapes kept as "\x" so wildcards can tell them apart).
  std::string read_term_raw() {
    std::string out;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\\' && pos_ + 1 < s_.size()) {
        out += c;
        out += s_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      if (is_space(c)) break;
      if (is_special(c) && !(c == '-' || c == '+' || c == '!')) break;
      if (c == '/') break;
      out += c;
      ++pos_;
    }
    return out;
  }
  static std::string unescape(std::string_view raw) {
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
      out += raw[i];
    }
    return out;
  }
  static bool has_unescaped(std::string_view raw, char c) {
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\') {
        ++i;
        continue;
      }
      if (raw[i] == c) return true;
    }
    return false;
  }
  float read_number_after(char sigil, float dflt) {
    if (pos_ < s_.size() && s_[pos_] == sigil) {
      ++pos_;
      size_t start = pos_;
      while (pos_ < s_.size() &&
             (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.'))
        ++pos_;
      if (pos_ == start) return dflt;
      return std::strtof(s_.substr(start, pos_ - start).c_str(), nullptr);
    }
    return dflt;
  }

  std::vector<std::string> fields_for(const std::string* field) const {
    if (field != nullptr) return {*field};
    return default_fields_;
  }

  Result<Query> parse_query(const std::string* field) {
    std::vector<std::pair<Occur, Query>> clauses;
    bool first = true;
    for (;;) {
      skip_space();
      if (pos_ >= s_.size() || s_[pos_] == ')') break;
      enum { kNone, kAnd, kOr } conj = kNone;
      if (at_word("AND") || at("&&")) {
        conj = kAnd;
        pos_ += at("&&") ? 2 : 3;
      } else if (at_word("OR") || at("||")) {
        conj = kOr;
        pos_ += at("||") ? 2 : 2;
      }
      if (conj != kNone) {
        if (first) return error_at("<AND/OR>");
        skip_space();
        if (pos_ >= s_.size()) return error_eof();
      }
      enum { kModNone, kReq, kNot } mods = kModNone;
      if (s_[pos_] == '+') {
        mods = kReq;
        ++pos_;
      } else if (s_[pos_] == '-' || s_[pos_] == '!') {
        mods = kNot;
        ++pos_;
      } else if (at_word("NOT")) {
        mods = kNot;
        pos_ += 3;
      }
      skip_space();
      if (pos_ >= s_.size()) return error_eof();
      auto clause = parse_clause(field);
      if (!clause) return clause.error();
      add_clause(clauses, conj == kAnd, conj == kOr, mods == kReq, mods == kNot,
                 std::move(*clause));
      first = false;
    }
    if (clauses.empty()) return error_at("\")\"");
    if (clauses.size() == 1 && clauses[0].first != Occur::kMustNot)
      return std::move(clauses[0].second);
    BoolQuery b;
    for (auto& [occur, q] : clauses) {
      if (occur == Occur::kMust) b.must.push_back(std::move(q));
      if (occur == Occur::kShould) b.should.push_back(std::move(q));
      if (occur == Occur::kMustNot) b.must_not.push_back(std::move(q));
    }
    if (b.must.empty() && b.should.empty()) b.must.push_back(MatchAllQuery{});  // pure negative
    return Query(std::move(b));
  }

  void add_clause(std::vector<std::pair<Occur, Query>>& clauses, bool conj_and, bool conj_or,
                  bool req, bool not_, Query q) {
    const bool and_default = opts_.default_operator == Operator::kAnd;
    if (!clauses.empty() && conj_and && clauses.back().first != Occur::kMustNot)
      clauses.back().first = Occur::kMust;
    if (!clauses.empty() && and_default && conj_or && clauses.back().first != Occur::kMustNot)
      clauses.back().first = Occur::kShould;
    bool prohibited = not_, required;
    if (!and_default) {
      required = req || (conj_and && !prohibited);
    } else {
      required = !prohibited && !conj_or;
    }
    Occur occur = prohibited ? Occur::kMustNot : required ? Occur::kMust : Occur::kShould;
    clauses.emplace_back(occur, std::move(q));
  }

  Result<Query> parse_clause(const std::string* outer_field) {
    std::string field_storage;
    const std::string* field = outer_field;
    // Look ahead for "field:".
    size_t save = pos_;
    if (s_[pos_] != '(' && s_[pos_] != '"' && s_[pos_] != '[' && s_[pos_] != '{' &&
        s_[pos_] != '/') {
      std::string raw = read_term_raw();
      if (!raw.empty() && pos_ < s_.size() && s_[pos_] == ':') {
        ++pos_;
        field_storage = unescape(raw);
        field = &field_storage;
        skip_space();
        if (pos_ >= s_.size()) return error_eof();
      } else {
        pos_ = save;
      }
    }
    Query q;
    if (s_[pos_] == '(') {
      ++pos_;
      auto inner = parse_query(field);
      if (!inner) return inner;
      skip_space();
      if (pos_ >= s_.size() || s_[pos_] != ')') return error_eof();
      ++pos_;
      q = std::move(*inner);
    } else {
      auto t = parse_term(field);
      if (!t) return t;
      q = std::move(*t);
    }
    float boost = read_number_after('^', 1.0f);
    if (boost != 1.0f) set_boost(q, boost);
    return q;
  }

  Result<Query> parse_range(const std::string* field) {
    bool include_lower = s_[pos_] == '[';
    ++pos_;
    auto read_goop = [&]() -> std::string {
      skip_space();
      if (pos_ < s_.size() && s_[pos_] == '"') {
        ++pos_;
        std::string out;
        while (pos_ < s_.size() && s_[pos_] != '"') {
          if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
          out += s_[pos_++];
        }
        if (pos_ < s_.size()) ++pos_;
        return out;
      }
      size_t start = pos_;
      while (pos_ < s_.size() && !is_space(s_[pos_]) && s_[pos_] != ']' && s_[pos_] != '}') ++pos_;
      return s_.substr(start, pos_ - start);
    };
    std::string lower = read_goop();
    skip_space();
    if (!at("TO")) return pos_ >= s_.size() ? error_eof() : error_at("<RANGE_GOOP>");
    pos_ += 2;
    std::string upper = read_goop();
    skip_space();
    if (pos_ >= s_.size()) return error_eof();
    if (s_[pos_] != ']' && s_[pos_] != '}') return error_at("<RANGE_GOOP>");
    bool include_upper = s_[pos_] == ']';
    ++pos_;
    return per_field(fields_for(field), [&](const std::string& f) {
      RangeQuery r;
      r.field = f;
      if (lower != "*" && !lower.empty()) (include_lower ? r.gte : r.gt) = lower;
      if (upper != "*" && !upper.empty()) (include_upper ? r.lte : r.lt) = upper;
      return Query(r);
    });
  }

  Result<Query> parse_term(const std::string* field) {
    char c = s_[pos_];
    if (c == '[' || c == '{') return parse_range(field);
    if (c == '"') {
      ++pos_;
      std::string text;
      bool closed = false;
      while (pos_ < s_.size()) {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {
          text += s_[pos_ + 1];
          pos_ += 2;
          continue;
        }
        if (s_[pos_] == '"') {
          closed = true;
          ++pos_;
          break;
        }
        text += s_[pos_++];
      }
      if (!closed) return error_eof();
      int32_t slop = static_cast<int32_t>(read_number_after('~', 0));
      return per_field(fields_for(field), [&](const std::string& f) {
        MatchPhraseQuery p;
        p.field = f;
        p.query = text;
        p.slop = slop;
        return Query(p);
      });
    }
    if (c == '/') {
      size_t end = s_.find('/', pos_ + 1);
      if (end == std::string::npos) return error_eof();
      return Error::invalid("query_shard_exception: regular expressions are not supported [" +
                            s_.substr(pos_, end - pos_ + 1) + "]");
    }
    // One-sided ranges: f:>=10, f:<2024-01-01.
    if (field != nullptr && (c == '>' || c == '<')) {
      bool gt = c == '>';
      ++pos_;
      bool eq = pos_ < s_.size() && s_[pos_] == '=';
      if (eq) ++pos_;
      std::string raw = read_term_raw();
      if (raw.empty()) return pos_ >= s_.size() ? error_eof() : error_at("<TERM>");
      std::string v = unescape(raw);
      RangeQuery r;
      r.field = *field;
      (gt ? (eq ? r.gte : r.gt) : (eq ? r.lte : r.lt)) = v;
      return Query(r);
    }
    if (is_special(c) && c != '\\') return error_at("\"" + std::string(1, c) + "\"");
    std::string raw = read_term_raw();
    if (raw.empty()) return error_at("<TERM>");
    if (pos_ < s_.size() && s_[pos_] == '~') read_number_after('~', 2);  // fuzziness: ignored
    if (field != nullptr && *field == "_exists_") {
      ExistsQuery e;
      e.field = unescape(raw);
      return Query(e);
    }
    if (raw == "*") {
      if (field == nullptr || *field == "*") return Query(MatchAllQuery{});
      ExistsQuery e;
      e.field = *field;
      return Query(e);
    }
    bool star = has_unescaped(raw, '*'), question = has_unescaped(raw, '?');
    if (star || question) {
      if (!opts_.allow_leading_wildcard && (raw[0] == '*' || raw[0] == '?'))
        return dsl_error("query_shard_exception",
                         "Failed to parse query [" + s_ +
                             "]: Leading wildcard is not allowed: " + unescape(raw));
      bool prefix_only = !question && raw.back() == '*' &&
                         !has_unescaped(std::string_view(raw).substr(0, raw.size() - 1), '*');
      return per_field(fields_for(field), [&](const std::string& f) {
        if (prefix_only) {
          PrefixQuery p;
          p.field = f;
          p.value = unescape(std::string_view(raw).substr(0, raw.size() - 1));
          p.normalize = true;
          return Query(p);
        }
        WildcardQuery w;
        w.field = f;
        w.value = raw;  // escapes kept: the wildcard matcher honours them
        w.normalize = true;
        return Query(w);
      });
    }
    std::string text = unescape(raw);
    return per_field(fields_for(field), [&](const std::string& f) {
      MatchQuery m;
      m.field = f;
      m.query = text;
      m.op = opts_.default_operator;
      m.lenient = true;
      return Query(m);
    });
  }

  std::string s_;
  const QueryStringQuery& opts_;
  std::vector<std::string> default_fields_;
  size_t pos_ = 0;
};

}  // namespace

Result<Query> parse_query_string(const QueryStringQuery& q) {
  std::vector<std::string> fields = q.fields;
  if (fields.empty()) fields.push_back(q.default_field.value_or("*"));
  ClassicParser parser(q, fields);
  auto result = parser.parse();
  if (result && q.boost != 1.0f) set_boost(*result, q.boost);
  return result;
}

// ---- simple_query_string -------------------------------------------------------------

namespace {

class SimpleParser {
 public:
  SimpleParser(const SimpleQueryStringQuery& q, std::vector<std::string> fields)
      : s_(q.query), op_(q.default_operator), fields_(std::move(fields)) {}

  Query parse() {
    auto q = parse_group();
    if (!q) return MatchNoneQuery{};
    return std::move(*q);
  }

 private:
  // Lucene's SimpleQueryParser: left to right, each new branch joins the tree built so
  // far with the pending operator (default_operator unless '|' or '+' was seen).
  std::optional<Query> parse_group() {
    std::optional<Query> current;
    Operator pending = op_;
    bool negate = false;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (is_space(c)) {
        ++pos_;
        continue;
      }
      if (c == '|') {
        pending = Operator::kOr;
        ++pos_;
        continue;
      }
      if (c == '+') {
        pending = Operator::kAnd;
        ++pos_;
        continue;
      }
      if (c == '-') {
        negate = !negate;
        ++pos_;
        continue;
      }
      if (c == ')') {
        ++pos_;
        if (depth_ > 0) break;
        continue;  // unmatched: dropped
      }
      std::optional<Query> branch;
      if (c == '(') {
        ++pos_;
        ++depth_;
        branch = parse_group();
        --depth_;
      } else if (c == '"') {
        size_t end = s_.find('"', pos_ + 1);
        if (end == std::string::npos) {  // unmatched quote: dropped
          ++pos_;
          continue;
        }
        std::string text = s_.substr(pos_ + 1, end - pos_ - 1);
        pos_ = end + 1;
        int32_t slop = read_slop();
        branch = per_field(fields_, [&](const std::string& f) {
          MatchPhraseQuery p;
          p.field = f;
          p.query = text;
          p.slop = slop;
          return Query(p);
        });
      } else {
        size_t start = pos_;
        while (pos_ < s_.size() && !is_space(s_[pos_]) && s_[pos_] != '|' && s_[pos_] != '+' &&
               s_[pos_] != '(' && s_[pos_] != ')' && s_[pos_] != '"' && s_[pos_] != '~')
          ++pos_;
        std::string word = s_.substr(start, pos_ - start);
        read_slop();
        if (word.empty()) {
          ++pos_;
          continue;
        }
        if (word.size() > 1 && word.back() == '*') {
          std::string prefix = word.substr(0, word.size() - 1);
          branch = per_field(fields_, [&](const std::string& f) {
            PrefixQuery p;
            p.field = f;
            p.value = prefix;
            p.normalize = true;
            return Query(p);
          });
        } else if (word == "*") {
          branch = MatchAllQuery{};
        } else {
          branch = per_field(fields_, [&](const std::string& f) {
            MatchQuery m;
            m.field = f;
            m.query = word;
            m.lenient = true;
            return Query(m);
          });
        }
      }
      if (!branch) continue;
      if (negate) {
        BoolQuery nb;
        nb.must_not.push_back(std::move(*branch));
        nb.should.push_back(MatchAllQuery{});
        branch = Query(std::move(nb));
        negate = false;
      }
      if (!current) {
        current = std::move(branch);
      } else {
        BoolQuery b;
        auto& side = pending == Operator::kAnd ? b.must : b.should;
        side.push_back(std::move(*current));
        side.push_back(std::move(*branch));
        current = Query(std::move(b));
      }
      pending = op_;
    }
    return current;
  }

  int32_t read_slop() {
    if (pos_ < s_.size() && s_[pos_] == '~') {
      ++pos_;
      size_t start = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (pos_ > start) return std::atoi(s_.substr(start, pos_ - start).c_str());
    }
    return 0;
  }

  std::string s_;
  Operator op_;
  std::vector<std::string> fields_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Query parse_simple_query_string(const SimpleQueryStringQuery& q) {
  std::vector<std::string> fields = q.fields;
  if (fields.empty()) fields.push_back("*");
  SimpleParser parser(q, fields);
  Query out = parser.parse();
  if (q.boost != 1.0f) set_boost(out, q.boost);
  return out;
}

}  // namespace comptoir::engine
