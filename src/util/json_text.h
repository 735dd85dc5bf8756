// JSON text for API answers. Boost.JSON 1.81 prints doubles in exponent form
// (799.99 → 7.9999E2); answers print them as people and Python's json do: the
// shortest text that reads back to the same double (799.99), via {fmt}.
// Non-finite numbers, which JSON cannot hold, become null.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace comptoir {

std::string to_json_text(const boost::json::value& v);
void append_json_text(std::string& out, const boost::json::value& v);

}  // namespace comptoir
