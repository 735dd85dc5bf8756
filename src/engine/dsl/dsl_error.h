// Errors of the DSL layer carry Elasticsearch's exception type so that api/ can answer
// exactly like ES (ES-COMPAT.md §7): the Error message is "<es_type>: <reason>", e.g.
// "parsing_exception: unknown query [matc]". es_error_parts() splits it back.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace comptoir::engine {

inline Error dsl_error(std::string_view es_type, std::string reason) {
  return Error::invalid(std::string(es_type) + ": " + std::move(reason));
}

struct EsErrorParts {
  std::string type;    // "parsing_exception", "query_shard_exception", ...
  std::string reason;  // the human message
};

// Splits a DSL error message; other errors get "illegal_argument_exception".
inline EsErrorParts es_error_parts(const Error& e) {
  size_t colon = e.message.find(": ");
  if (colon != std::string::npos && colon > 0 && e.message.find_first_of(" [", 0) > colon &&
      e.message.substr(0, colon).find('_') != std::string::npos) {
    return {e.message.substr(0, colon), e.message.substr(colon + 2)};
  }
  return {"illegal_argument_exception", e.message};
}

}  // namespace comptoir::engine
