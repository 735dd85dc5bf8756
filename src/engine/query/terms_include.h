// TermsInclude: the include / exclude clause of a terms aggregation — a regular
// expression matched against the whole key, or a list of exact keys (numbers compared
// by value) — applied to each candidate bucket's key before ordering and size.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <regex>
#include <string>

#include "engine/dsl/aggregation.h"

namespace comptoir::engine {

class TermsInclude {
 public:
  explicit TermsInclude(const TermsAgg& spec) : spec_(spec) {}

  bool active() const {
    return spec_.include_regex || spec_.exclude_regex || !spec_.include_values.empty() ||
           !spec_.exclude_values.empty();
  }

  // `numeric`: the key is a number (`value`), `text` its printed form.
  bool accepts(const std::string& text, bool numeric = false, double value = 0) {
    if (spec_.include_regex && !std::regex_match(text, regex(include_, *spec_.include_regex)))
      return false;
    if (spec_.exclude_regex && std::regex_match(text, regex(exclude_, *spec_.exclude_regex)))
      return false;
    auto in = [&](const std::vector<std::string>& list) {
      if (numeric) {
        return std::any_of(list.begin(), list.end(), [&](const std::string& s) {
          return std::strtod(s.c_str(), nullptr) == value;
        });
      }
      return std::find(list.begin(), list.end(), text) != list.end();
    };
    if (!spec_.include_values.empty() && !in(spec_.include_values)) return false;
    if (!spec_.exclude_values.empty() && in(spec_.exclude_values)) return false;
    return true;
  }

 private:
  static const std::regex& regex(std::optional<std::regex>& cache, const std::string& pattern) {
    if (!cache) {
      try {
        cache.emplace(pattern, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error&) {
        cache.emplace("(?!)");  // an invalid pattern matches nothing
      }
    }
    return *cache;
  }

  const TermsAgg& spec_;
  std::optional<std::regex> include_, exclude_;
};

}  // namespace comptoir::engine
