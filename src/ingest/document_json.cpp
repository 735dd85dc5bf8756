// A byte-class table finds the runs of bytes that need no escape; they are copied
// in one append.
#include "ingest/document_json.h"

#include <array>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace comptoir::ingest {

namespace {

// 0: copied as is; otherwise the letter of a two-character escape, or 'u'.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<size_t>(c)] = 'u';
  t['\b'] = 'b';
  t['\t'] = 't';
  t['\n'] = 'n';
  t['\f'] = 'f';
  t['\r'] = 'r';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}();

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  size_t i = 0;
  while (i < s.size() && kEscapes[static_cast<unsigned char>(s[i])] == 0) ++i;
  const size_t old = out.size();
  if (i == s.size()) {  // the common case: nothing to escape, one copy
    out.resize(old + s.size() + 2);
    char* p = out.data() + old;
    *p = '"';
    std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    return;
  }
  out.push_back('"');
  size_t run = 0;
  for (; i < s.size(); ++i) {
    const char e = kEscapes[static_cast<unsigned char>(s[i])];
    if (e == 0) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    out.push_back('\\');
    out.push_back(e);
    if (e == 'u') {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(s[i]);
      out.append("00");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_json_value(std::string& out, const boost::json::value& v) {
  namespace json = boost::json;
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      fmt::format_to(std::back_inserter(out), "{}", v.get_int64());
      return;
    case json::kind::uint64:
      fmt::format_to(std::back_inserter(out), "{}", v.get_uint64());
      return;
    case json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";
      } else if (d == std::trunc(d) && std::fabs(d) < 1e15) {
        fmt::format_to(std::back_inserter(out), "{:.1f}", d);
      } else {
        fmt::format_to(std::back_inserter(out), "{}", d);
      }
      return;
    }
    case json::kind::string:
      append_json_string(out, v.get_string());
      return;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const json::value& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_value(out, item);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object:
      out.push_back('{');
      append_json_members(out, v.get_object());
      out.push_back('}');
      return;
  }
}

void append_json_members(std::string& out, const boost::json::object& doc) {
  bool first = true;
  for (const auto& kv : doc) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, kv.key());
    out.push_back(':');
    append_json_value(out, kv.value());
  }
}

}  // namespace comptoir::ingest
