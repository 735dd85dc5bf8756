// Standard analyzer: ICU word segmentation tailored to behave like Lucene's JFlex
// StandardTokenizer, plus an ASCII fast path implementing the same UAX #29 rules.
//
// ICU 72's root word rules differ from Lucene's on three points, fixed here: ICU keeps
// '@' inside words (Lucene breaks there), ICU removed ':' from MidLetter (Lucene keeps
// it, so "a:b" is one token), and ICU segments Han/Thai text with dictionaries (Lucene
// emits one token per ideograph / hiragana and one token per Southeast Asian run).
#include "engine/analysis/standard_analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include <array>
#include <memory>

namespace comptoir::engine {

std::vector<std::string> TokenBuffer::to_vector() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
  return out;
}

namespace {

// ---- ASCII path -------------------------------------------------------------------

enum AsciiClass : uint8_t {
  kOther = 0,
  kLetter,     // ALetter
  kDigit,      // Numeric
  kExtendNum,  // ExtendNumLet: '_'
  kMidLetter,  // ':'
  kMidNumLet,  // '.' and the Single_Quote '\''
  kMidNum,     // ',' ';'
};

constexpr std::array<uint8_t, 128> make_ascii_classes() {
  std::array<uint8_t, 128> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLetter;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kLetter;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  t['_'] = kExtendNum;
  t[':'] = kMidLetter;
  t['.'] = kMidNumLet;
  t['\''] = kMidNumLet;
  t[','] = kMidNum;
  t[';'] = kMidNum;
  return t;
}
constexpr std::array<uint8_t, 128> kAsciiClass = make_ascii_classes();

constexpr bool is_word_class(uint8_t c) {
  return c == kLetter || c == kDigit || c == kExtendNum;
}

// Per byte: bit 0 = a word character (letter, digit, '_'), bit 1 = a letter or digit.
constexpr std::array<uint8_t, 128> make_word_flags() {
  std::array<uint8_t, 128> t{};
  for (size_t c = 0; c < 128; ++c) {
    if (is_word_class(kAsciiClass[c])) t[c] = 1;
    if (kAsciiClass[c] == kLetter || kAsciiClass[c] == kDigit) t[c] |= 2;
  }
  return t;
}
constexpr std::array<uint8_t, 128> kWordFlags = make_word_flags();

constexpr std::array<char, 128> make_lower() {
  std::array<char, 128> t{};
  for (size_t c = 0; c < 128; ++c)
    t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  return t;
}
constexpr std::array<char, 128> kLower = make_lower();

char lower_ascii(char c) {
  return kLower[static_cast<uint8_t>(c) & 0x7F];  // ASCII text only
}

// ---- ICU path -----------------------------------------------------------------------

icu::BreakIterator* word_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> it = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> bi(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    return U_SUCCESS(status) ? std::move(bi) : nullptr;
  }();
  return it.get();
}

bool is_han_or_hiragana(UChar32 c) {
  if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) return true;
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(c, &status);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA;
}

bool is_complex_context(UChar32 c) {
  return u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT;
}

bool is_alnum_like(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
         u_getIntPropertyValue(c, UCHAR_WORD_BREAK) == U_WB_NUMERIC;
}

bool is_emoji_start(const icu::UnicodeString& s, int32_t p, int32_t q) {
  UChar32 c = s.char32At(p);
  if (c < 0x80) return false;
  if (u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR)) return true;
  if (!u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC)) return false;
  if (u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION)) return true;
  int32_t next = s.moveIndex32(p, 1);
  return next < q && s.charAt(next) == 0xFE0F;
}

// Appends s[p, q) lowercased (simple case mapping per code point) as tokens of at most
// kMaxTokenLength UTF-16 units.
void emit_icu(const icu::UnicodeString& s, int32_t p, int32_t q, TokenBuffer& out) {
  std::string& arena = out.arena();
  while (p < q) {
    int32_t end = std::min<int32_t>(q, p + static_cast<int32_t>(kMaxTokenLength));
    if (end < q && U16_IS_LEAD(s.charAt(end - 1))) --end;  // never split a surrogate pair
    size_t start = arena.size();
    for (int32_t i = p; i < end;) {
      UChar32 c = s.char32At(i);
      i += U16_LENGTH(c);
      c = u_tolower(c);
      char buf[4];
      int32_t n = 0;
      UBool error = false;
      U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, error);
      if (!error) arena.append(buf, static_cast<size_t>(n));
    }
    out.finish_token(start);
    p = end;
  }
}

}  // namespace

bool StandardAnalyzer::is_ascii(std::string_view text) {
  uint64_t acc = 0;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t w;
    __builtin_memcpy(&w, text.data() + i, 8);
    acc |= w;
  }
  for (; i < text.size(); ++i) acc |= static_cast<uint8_t>(text[i]);
  return (acc & 0x8080808080808080ULL) == 0;
}

void StandardAnalyzer::analyze(std::string_view text, TokenBuffer& out) {
  if (is_ascii(text)) {
    analyze_ascii(text, out);
  } else {
    analyze_icu(text, out);
  }
}

std::vector<std::string> StandardAnalyzer::tokens(std::string_view text) {
  TokenBuffer buf;
  analyze(text, buf);
  return buf.to_vector();
}

void StandardAnalyzer::analyze_ascii(std::string_view t, TokenBuffer& out) {
  const size_t n = t.size();
  const auto flags = [&](size_t i) { return kWordFlags[static_cast<uint8_t>(t[i]) & 0x7F]; };
  const auto cls = [&](size_t i) { return kAsciiClass[static_cast<uint8_t>(t[i]) & 0x7F]; };
  // Tokens are lowercased copies of parts of the text: the arena grows once by the text's
  // size and is cut back to what the tokens used.
  std::string& arena = out.arena();
  const size_t base = arena.size();
  arena.resize(base + n);
  size_t used = base;
  size_t i = 0;
  while (i < n) {
    while (i < n && (flags(i) & 1) == 0) ++i;
    if (i == n) break;
    const size_t start = i;
    char* const dst = arena.data() + used;  // the word is lowercased as it is read
    uint8_t seen = 0;                       // the flags of the word's characters, or-ed
    for (;;) {
      for (uint8_t f; i < n && ((f = flags(i)) & 1) != 0; ++i) {
        seen |= f;
        dst[i - start] = lower_ascii(t[i]);
      }
      // t[i - 1] ends a run of word characters. WB6/WB7: letter (MidLetter|MidNumLetQ)
      // letter; WB11/WB12: digit (MidNum|MidNumLetQ) digit: the word goes on.
      if (i + 1 < n) {
        const uint8_t c = cls(i - 1), m = cls(i), next = cls(i + 1);
        if ((c == kLetter && next == kLetter && (m == kMidLetter || m == kMidNumLet)) ||
            (c == kDigit && next == kDigit && (m == kMidNum || m == kMidNumLet))) {
          dst[i - start] = t[i];
          ++i;
          continue;
        }
      }
      break;
    }
    if ((seen & 2) == 0) continue;  // only '_': no token
    // A word longer than kMaxTokenLength is cut into tokens of that length.
    const size_t len = i - start;
    for (size_t off = 0; off < len; off += kMaxTokenLength)
      out.add_token(used + off, std::min(kMaxTokenLength, len - off));
    used += len;
  }
  arena.resize(used);
}

void StandardAnalyzer::analyze_icu(std::string_view text, TokenBuffer& out) {
  icu::UnicodeString original = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  // Tailoring by substitution (same length, so offsets stay valid): '@' becomes a space
  // (always a break in Lucene); the colons ICU dropped from MidLetter become U+00B7, a
  // MidLetter ICU still honours.
  icu::UnicodeString s(original);
  for (int32_t i = 0; i < s.length(); ++i) {
    char16_t c = s.charAt(i);
    if (c == u'@') s.setCharAt(i, u' ');
    if (c == u':' || c == 0xFE55 || c == 0xFF1A) s.setCharAt(i, 0x00B7);
  }
  icu::BreakIterator* bi = word_iterator();
  if (bi == nullptr) return;
  bi->setText(s);
  int32_t sea_start = -1, sea_end = -1;  // pending Southeast Asian run
  auto flush_sea = [&] {
    if (sea_start >= 0) emit_icu(original, sea_start, sea_end, out);
    sea_start = sea_end = -1;
  };
  int32_t p = bi->first();
  for (int32_t q = bi->next(); q != icu::BreakIterator::DONE; p = q, q = bi->next()) {
    int32_t status = bi->getRuleStatus();
    if (status < UBRK_WORD_NONE_LIMIT) {
      flush_sea();
      if (is_emoji_start(s, p, q)) emit_icu(original, p, q, out);
      continue;
    }
    UChar32 first = s.char32At(p);
    if (is_complex_context(first)) {
      // Lucene emits a whole run of Thai/Lao/Khmer/Myanmar as one token.
      if (sea_start >= 0 && sea_end == p) {
        sea_end = q;
      } else {
        flush_sea();
        sea_start = p;
        sea_end = q;
      }
      continue;
    }
    flush_sea();
    // Han and Hiragana: one token per code point; other runs (Katakana, letters) whole.
    int32_t run = -1;
    bool has_alnum = false;
    for (int32_t i = p; i < q;) {
      UChar32 c = s.char32At(i);
      int32_t next = i + U16_LENGTH(c);
      if (is_han_or_hiragana(c)) {
        if (run >= 0 && has_alnum) emit_icu(original, run, i, out);
        run = -1;
        has_alnum = false;
        emit_icu(original, i, next, out);
      } else {
        if (run < 0) run = i;
        if (is_alnum_like(c)) has_alnum = true;
      }
      i = next;
    }
    if (run >= 0 && has_alnum) emit_icu(original, run, q, out);
  }
  flush_sea();
}

std::string lowercase(std::string_view text) {
  if (StandardAnalyzer::is_ascii(text)) {
    std::string out(text);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = char(c + 32);
    return out;
  }
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString lower;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    lower.append(u_tolower(c));
  }
  std::string out;
  lower.toUTF8String(out);
  return out;
}

}  // namespace comptoir::engine
