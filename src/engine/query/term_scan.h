// Term scans: which terms of one field's dictionary a wildcard, prefix or
// case-insensitive exact query selects. The per-term loop of a naive scan (a copy, a
// lowercase, a backtracking match for each of thousands of terms in each segment) is
// what a plain-text search paid for; here a `*literal*` pattern, the shape the search
// box produces, is one memmem over the dictionary's bytes (hits mapped back to terms
// by their offsets), and case-insensitive scans read an ASCII-lowered copy of the
// dictionary made once per segment. Terms with non-ASCII bytes keep the full Unicode
// lowercase of the analysis module, so results equal the per-term definition exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/index/segment_reader.h"

namespace comptoir::engine {

// '*' any sequence, '?' one code point, '\' escapes the next character.
bool wildcard_match(std::string_view pattern, std::string_view text);

// A wildcard pattern read once per query (lowercased beforehand for a
// case-insensitive query).
class WildcardPattern {
 public:
  explicit WildcardPattern(std::string pattern);
  const std::string& text() const { return pattern_; }
  bool matches(std::string_view term) const { return wildcard_match(pattern_, term); }
  // The literal before the first unescaped '*' or '?'.
  const std::string& literal_prefix() const { return prefix_; }
  // For `*literal*` (a non-empty literal and no other wildcard): the literal.
  const std::optional<std::string>& contained_literal() const { return contained_; }

 private:
  std::string pattern_;
  std::string prefix_;
  std::optional<std::string> contained_;
};

using TermVisitor = std::function<void(uint32_t term)>;

// Terms matching `pattern`, in dictionary order. Case-insensitive: terms are lowered
// before matching (the pattern must be lowered already).
void for_each_wildcard_term(const FieldReader& f, const WildcardPattern& pattern,
                            bool case_insensitive, const TermVisitor& visit);

// Terms whose lowercase starts with / equals `lowered` (already lowercase).
void for_each_prefix_term_ci(const FieldReader& f, std::string_view lowered,
                             const TermVisitor& visit);
void for_each_equal_term_ci(const FieldReader& f, std::string_view lowered,
                            const TermVisitor& visit);

}  // namespace comptoir::engine
