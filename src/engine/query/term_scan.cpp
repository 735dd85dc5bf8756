// Term scans over a field's dictionary (see term_scan.h).
#include "engine/query/term_scan.h"

#include <string.h>  // memmem (GNU)

#include <algorithm>

#include "engine/analysis/standard_analyzer.h"

namespace comptoir::engine {

bool wildcard_match(std::string_view pat, std::string_view text) {
  size_t p = 0, t = 0, star_p = std::string_view::npos, star_t = 0;
  auto cp_len = [](unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; };
  while (t < text.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star_p = p++;
      star_t = t;
      continue;
    }
    if (p < pat.size() && pat[p] == '?') {
      t += cp_len(static_cast<unsigned char>(text[t]));
      ++p;
      continue;
    }
    if (p < pat.size()) {
      size_t pp = p;
      if (pat[pp] == '\\' && pp + 1 < pat.size()) ++pp;
      if (pat[pp] == text[t]) {
        p = pp + 1;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = star_t += cp_len(static_cast<unsigned char>(text[star_t]));
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

WildcardPattern::WildcardPattern(std::string pattern) : pattern_(std::move(pattern)) {
  const std::string& p = pattern_;
  size_t i = 0;
  for (; i < p.size(); ++i) {
    if (p[i] == '*' || p[i] == '?') break;
    if (p[i] == '\\' && i + 1 < p.size()) ++i;
    prefix_ += p[i];
  }
  // `*literal*`: one leading and one trailing star around escaped-or-plain characters.
  if (p.size() < 3 || p.front() != '*' || p.back() != '*') return;
  std::string literal;
  for (size_t j = 1; j + 1 < p.size(); ++j) {
    char c = p[j];
    if (c == '*' || c == '?') return;
    if (c == '\\') {
      if (j + 2 >= p.size()) return;  // escapes the closing star
      c = p[++j];
    }
    literal += c;
  }
  if (!literal.empty()) contained_ = std::move(literal);
}

namespace {

// Calls visit(term, lowered) for each term, without allocating for ASCII terms.
template <typename F>
void for_each_lowered_term(const FieldReader& f, F&& visit) {
  const LoweredTerms& lowered = f.lowered_terms();
  const std::string_view bytes = lowered.bytes;
  auto next_non_ascii = lowered.non_ascii.begin();
  std::string scratch;
  for (uint32_t t = 0; t < f.term_count(); ++t) {
    if (next_non_ascii != lowered.non_ascii.end() && *next_non_ascii == t) {
      ++next_non_ascii;
      scratch = lowercase(f.term(t));
      visit(t, std::string_view(scratch));
      continue;
    }
    const uint32_t a = f.term_start(t), b = f.term_start(t + 1);
    visit(t, bytes.substr(a, b - a));
  }
}

// Terms of `f` whose bytes in `bytes` (the dictionary or its lowered copy) contain
// `literal`, skipping the terms listed in `skip` (sorted).
void scan_contains(const FieldReader& f, std::string_view bytes, std::string_view literal,
                   const std::vector<uint32_t>& skip, const TermVisitor& visit) {
  size_t pos = 0;
  while (pos + literal.size() <= bytes.size()) {
    const void* hit =
        memmem(bytes.data() + pos, bytes.size() - pos, literal.data(), literal.size());
    if (hit == nullptr) return;
    const auto at = static_cast<uint32_t>(static_cast<const char*>(hit) - bytes.data());
    const uint32_t t = f.term_at(at);
    const uint32_t end = f.term_start(t + 1);
    if (at + literal.size() > end) {  // spans two terms: look again from the next byte
      pos = at + 1;
      continue;
    }
    if (!std::binary_search(skip.begin(), skip.end(), t)) visit(t);
    pos = end;
  }
}

}  // namespace

void for_each_wildcard_term(const FieldReader& f, const WildcardPattern& pattern,
                            bool case_insensitive, const TermVisitor& visit) {
  if (f.term_count() == 0) return;
  if (const auto& literal = pattern.contained_literal()) {
    if (!case_insensitive) {
      scan_contains(f, f.term_bytes(), *literal, {}, visit);
      return;
    }
    const LoweredTerms& lowered = f.lowered_terms();
    scan_contains(f, lowered.bytes, *literal, lowered.non_ascii, visit);
    for (uint32_t t : lowered.non_ascii)
      if (pattern.matches(lowercase(f.term(t)))) visit(t);
    return;
  }
  if (case_insensitive) {
    for_each_lowered_term(f, [&](uint32_t t, std::string_view lowered) {
      if (pattern.matches(lowered)) visit(t);
    });
    return;
  }
  const std::string& prefix = pattern.literal_prefix();
  for (uint32_t t = prefix.empty() ? 0 : f.lower_bound(prefix); t < f.term_count(); ++t) {
    const std::string_view term = f.term(t);
    if (term.substr(0, prefix.size()) != prefix) break;
    if (pattern.matches(term)) visit(t);
  }
}

void for_each_prefix_term_ci(const FieldReader& f, std::string_view lowered,
                             const TermVisitor& visit) {
  if (f.term_count() == 0) return;
  for_each_lowered_term(f, [&](uint32_t t, std::string_view term) {
    if (term.substr(0, lowered.size()) == lowered) visit(t);
  });
}

void for_each_equal_term_ci(const FieldReader& f, std::string_view lowered,
                            const TermVisitor& visit) {
  if (f.term_count() == 0) return;
  for_each_lowered_term(f, [&](uint32_t t, std::string_view term) {
    if (term == lowered) visit(t);
  });
}

}  // namespace comptoir::engine
