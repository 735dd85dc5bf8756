// Random identifiers: 16 lowercase hex digits from a per-thread xorshift64*
// generator seeded by std::random_device. No lock and no syscall per id; unique
// with overwhelming probability (used for request ids and generated document ids).
#pragma once

#include <string>

namespace comptoir {

std::string random_hex_id();

}  // namespace comptoir
