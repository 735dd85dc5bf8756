// query_string and simple_query_string: the Lucene classic query syntax (ES-COMPAT.md
// §4) parsed into the typed query tree. parse_query_string() reports syntax errors as
// "query_shard_exception: Failed to parse query [...]" values; the simple syntax never
// fails (invalid pieces are dropped, as in Elasticsearch).
#pragma once

#include "engine/dsl/query.h"
#include "util/result.h"

namespace comptoir::engine {

// Fields named in the output may be patterns ("*", "book.*", "f^2" after resolution the
// boost is applied); engine/query expands patterns leniently against the mapping.
Result<Query> parse_query_string(const QueryStringQuery& q);
Query parse_simple_query_string(const SimpleQueryStringQuery& q);

}  // namespace comptoir::engine
