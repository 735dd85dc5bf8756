// `comptoir search-json INDEX` (hidden, for tests and diagnosis): reads Elasticsearch
// `_search` bodies from standard input, one JSON object a line, runs each on INDEX (a
// name, a pattern such as `ecommerce-logs-*` or a comma list) through the configured
// SearchBackend (the embedded engine, or the cluster of ELASTICSEARCH_HOST) and prints
// one line per body: the `_search` response, or `{"error":{"type","reason"},"status"}`
// as Elasticsearch would answer. The parity suite (tests/parity/) uses it to send the
// same request to the embedded engine that it sends to a real cluster.
#pragma once

#include <string>

#include "config/config.h"

namespace comptoir::cli {

int run_search_json(const Config& config, const std::string& index);

}  // namespace comptoir::cli
