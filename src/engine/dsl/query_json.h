// Query tree <-> Elasticsearch JSON. parse_query() accepts the short and long forms ES
// accepts (`{"term":{"f":"v"}}` and `{"term":{"f":{"value":"v"}}}`); to_es_json() writes
// the long canonical form, so parse(to_es_json(q)) == q for every tree parse() returns.
#pragma once

#include <boost/json.hpp>

#include "engine/dsl/query.h"
#include "util/result.h"

namespace comptoir::engine {

Result<Query> parse_query(const boost::json::value& json);
boost::json::value to_es_json(const Query& query);

Result<JsonScalar> scalar_from_json(const boost::json::value& v);
boost::json::value scalar_to_json(const JsonScalar& v);

}  // namespace comptoir::engine
