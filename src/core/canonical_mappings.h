// Explicit mappings of the canonical fields (DESIGN.md §5), in Elasticsearch's JSON
// form so the same text serves the embedded engine and a cluster's index templates.
// Other fields of a document keep dynamic mapping.
#pragma once

#include <boost/json/value.hpp>

#include <string_view>

namespace comptoir {

const boost::json::value& log_events_mapping();  // ecommerce-logs-*
const boost::json::value& sales_mapping();       // ecommerce-sales

// The mapping for an index the ingestion writes to, by name.
const boost::json::value& mapping_for_index(std::string_view index);

}  // namespace comptoir
