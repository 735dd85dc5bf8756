// LogRow: one log event as search results, recent logs and exports show it: the
// specification's `timestamp, level, service, message, user`, read from the canonical
// fields (`@timestamp`, `Level`, `Service`, `Message`, `User`) with the original
// spellings as fallbacks for documents indexed by other tools, plus where the event
// lives (`id`, `index`) and its whole `source`.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/dsl/search_response.h"

namespace comptoir {

enum class LogField { kTimestamp, kLevel, kService, kMessage, kUser };

// The source keys `field` is read from, the first present and not null winning: the
// canonical name, then the spellings of other tools.
std::span<const std::string_view> log_field_keys(LogField field);

// The value of `field` in a log source: a string as is, a number or boolean as its
// JSON text; nullopt when absent or null.
std::optional<std::string> log_field(const boost::json::value& source, LogField field);

// {"timestamp", "level", "service", "message", "user", "id", "index", "source"}; an
// absent field is null.
boost::json::object log_row_json(const engine::SearchHit& hit);

}  // namespace comptoir
