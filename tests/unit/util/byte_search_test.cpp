// find_byte: the first wanted byte at every position of texts of every length up to
// three SSE2 blocks, past bytes that look alike (high bytes, 0x20, neighbours of the
// wanted values), compared with a plain loop.
#include "util/byte_search.h"

#include <gtest/gtest.h>

#include <string>

namespace comptoir {
namespace {

// Bytes that are none of the wanted ones: UTF-8, DEL, space, and the neighbours of
// '"' (0x22), '\\' (0x5C) and ',' (0x2C); with `controls`, those of CR and LF too.
std::string filler(size_t n, bool controls = false) {
  constexpr std::string_view kBytes = "a\xc3\xa9 \x7f\x80\xff!#[]+-";
  constexpr std::string_view kControls = "a\x09\x0b\x0c\x0e\xff";
  const std::string_view bytes = controls ? kControls : kBytes;
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(bytes[i % bytes.size()]);
  return out;
}

template <bool kControls, char... kBytes>
size_t position(const std::string& s) {
  return static_cast<size_t>(find_byte<kControls, kBytes...>(s.data(), s.data() + s.size()) -
                             s.data());
}

TEST(ByteSearchTest, FindsTheFirstWantedByteAnywhere) {
  for (size_t n = 0; n <= 48; ++n) {
    const std::string text = filler(n), with_controls = filler(n, true);
    EXPECT_EQ((position<true, '"', '\\'>(text)), n);
    EXPECT_EQ((position<false, ',', '"', '\r', '\n'>(text)), n);
    EXPECT_EQ((position<false, ',', '"', '\r', '\n'>(with_controls)), n);
    for (size_t at = 0; at < n; ++at) {
      for (char wanted : {'"', '\\', '\x01', '\x1f', '\0'}) {
        std::string t = text;
        t[at] = wanted;
        if (at + 3 < n) t[at + 3] = '"';  // a later match changes nothing
        EXPECT_EQ((position<true, '"', '\\'>(t)), at) << n << " " << at << " " << int(wanted);
      }
      for (char wanted : {',', '"', '\r', '\n'}) {
        std::string t = with_controls;
        t[at] = wanted;
        EXPECT_EQ((position<false, ',', '"', '\r', '\n'>(t)), at) << n << " " << at;
      }
      std::string control = text;
      control[at] = '\x01';
      EXPECT_EQ((position<false, '"'>(control)), n) << "controls are not wanted";
    }
  }
}

}  // namespace
}  // namespace comptoir
