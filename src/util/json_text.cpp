// to_json_text(): a recursive writer; strings and integers go through Boost.JSON's
// own serializer, doubles through {fmt}'s shortest round-trip formatting.
#include "util/json_text.h"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include <cmath>

namespace comptoir {

void append_json_text(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      return;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case boost::json::kind::int64:
      fmt::format_to(std::back_inserter(out), "{}", v.get_int64());
      return;
    case boost::json::kind::uint64:
      fmt::format_to(std::back_inserter(out), "{}", v.get_uint64());
      return;
    case boost::json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";
      } else if (d == std::trunc(d) && std::fabs(d) < 1e15) {
        // Keep a decimal point so the value reads back as a float ("12.0").
        fmt::format_to(std::back_inserter(out), "{:.1f}", d);
      } else {
        fmt::format_to(std::back_inserter(out), "{}", d);
      }
      return;
    }
    case boost::json::kind::string:
      out += boost::json::serialize(v.get_string());
      return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json_text(out, item);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::string_view(key));
        out += ':';
        append_json_text(out, item);
      }
      out += '}';
      return;
    }
  }
}

std::string to_json_text(const boost::json::value& v) {
  std::string out;
  append_json_text(out, v);
  return out;
}

}  // namespace comptoir
