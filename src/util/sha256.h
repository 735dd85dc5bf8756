// SHA-256 of a byte string as 64 lowercase hex digits (OpenSSL's EVP digest).
#pragma once

#include <string>
#include <string_view>

namespace comptoir {

std::string sha256_hex(std::string_view data);

}  // namespace comptoir
