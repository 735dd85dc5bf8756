// The canonical mappings, parsed once from their JSON text.
#include "core/canonical_mappings.h"

#include <boost/json/parse.hpp>

namespace comptoir {

const boost::json::value& log_events_mapping() {
  static const boost::json::value mapping = boost::json::parse(R"({
    "properties": {
      "@timestamp": {"type": "date"},
      "Level": {"type": "keyword"},
      "Service": {"type": "keyword"},
      "Message": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}},
      "User": {"type": "keyword"},
      "IP": {"type": "keyword"},
      "Duration": {"type": "long"},
      "source_file": {"type": "keyword"},
      "source_format": {"type": "keyword"}
    }
  })");
  return mapping;
}

const boost::json::value& sales_mapping() {
  static const boost::json::value mapping = boost::json::parse(R"({
    "properties": {
      "@timestamp": {"type": "date"},
      "order_id": {"type": "keyword"},
      "customer_id": {"type": "keyword"},
      "country": {"type": "keyword"},
      "product": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}},
      "category": {"type": "keyword"},
      "quantity": {"type": "double"},
      "unit_price": {"type": "double"},
      "revenue": {"type": "double"},
      "payment_method": {"type": "keyword"},
      "status": {"type": "keyword"},
      "source_file": {"type": "keyword"},
      "source_format": {"type": "keyword"}
    }
  })");
  return mapping;
}

const boost::json::value& mapping_for_index(std::string_view index) {
  return index == "ecommerce-sales" ? sales_mapping() : log_events_mapping();
}

}  // namespace comptoir
