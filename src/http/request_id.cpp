// Request ids: random ids from util/random_id, or the client's own when sane.
#include "http/request_id.h"

#include <cctype>

#include "util/random_id.h"

namespace comptoir::http {

std::string new_request_id() {
  return random_hex_id();
}

bool is_acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace comptoir::http
