// `comptoir sample [--logs N] [--sales N] [--products N] [--orders N] [--seed S]`:
// generates realistic demo data (core/sample_data) and loads it through the same
// use cases as the API: logs and sales as uploads, products and orders into the
// catalogue, so a new installation shows a living dashboard within seconds.
#pragma once

#include "config/config.h"
#include "core/sample_data.h"

namespace comptoir::cli {

int run_sample(const Config& config, const SampleOptions& options);

}  // namespace comptoir::cli
