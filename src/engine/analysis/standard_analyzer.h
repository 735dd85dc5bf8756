// The standard analyzer: Lucene's StandardTokenizer (Unicode UAX #29 word boundaries)
// followed by a lowercase filter, tokens of at most 255 UTF-16 units (longer words are
// split every 255 units, as Lucene does). Pure-ASCII input takes a table-driven fast
// path that yields exactly the tokens of the ICU path; tests run both on every case.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir::engine {

// Tokens of one analysed value, stored back to back in one arena so that analysing a
// document allocates nothing once the buffer has grown (hot path of indexing).
class TokenBuffer {
 public:
  void clear() {
    arena_.clear();
    spans_.clear();
  }
  size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  std::string_view operator[](size_t i) const {
    return std::string_view(arena_).substr(spans_[i].first, spans_[i].second);
  }
  void push(std::string_view token) {
    spans_.emplace_back(static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(token.size()));
    arena_.append(token);
  }
  // Appends raw bytes to the token being built; finish_token() closes it.
  std::string& arena() { return arena_; }
  void finish_token(size_t start) { add_token(start, arena_.size() - start); }
  // Records the token already written at arena()[start, start + size).
  void add_token(size_t start, size_t size) {
    spans_.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(size));
  }
  std::vector<std::string> to_vector() const;

 private:
  std::string arena_;
  std::vector<std::pair<uint32_t, uint32_t>> spans_;
};

inline constexpr size_t kMaxTokenLength = 255;

class StandardAnalyzer {
 public:
  // Appends the tokens of `text` to `out` (does not clear it). Invalid UTF-8 bytes are
  // treated as U+FFFD (they never form tokens).
  static void analyze(std::string_view text, TokenBuffer& out);
  static std::vector<std::string> tokens(std::string_view text);

  // The two paths, public for tests: analyze() picks ascii when the text is pure ASCII.
  static void analyze_ascii(std::string_view text, TokenBuffer& out);
  static void analyze_icu(std::string_view text, TokenBuffer& out);
  static bool is_ascii(std::string_view text);
};

// Lowercases like Lucene's LowerCaseFilter (per code point, simple case mapping);
// used for keyword normalisation in case-insensitive term/prefix/wildcard queries.
std::string lowercase(std::string_view text);

}  // namespace comptoir::engine
