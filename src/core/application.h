// Application: everything a running Comptoir needs below the HTTP layer, built
// once from the configuration: the backends (Services) and the use cases on them
// (catalogue, files registry, upload folder and pipeline). The server, the
// `ingest` and `sample` commands and the benchmarks all assemble it here; opening
// it also rolls back uploads a crash interrupted.
#pragma once

#include <memory>

#include "config/config.h"
#include "core/catalogue.h"
#include "core/file_registry.h"
#include "core/log_search.h"
#include "core/response_cache.h"
#include "core/search_history.h"
#include "core/services.h"
#include "core/upload_folder.h"
#include "core/upload_service.h"

namespace comptoir {

class Application {
 public:
  static Result<std::unique_ptr<Application>> open(const Config& config);

  Services& services() { return *services_; }
  Catalogue& catalogue() { return catalogue_; }
  FileRegistry& files() { return files_; }
  UploadService& uploads() { return uploads_; }
  SearchHistory& searches() { return searches_; }
  LogSearch& logs() { return logs_; }
  ResponseCache& answers() { return answers_; }

 private:
  Application(const Config& config, std::unique_ptr<Services> services, ingest::TimeZone zone);

  std::unique_ptr<Services> services_;
  ResponseCache answers_;  // before uploads_, which reports data changes to it
  Catalogue catalogue_;
  FileRegistry files_;
  UploadFolder upload_folder_;
  UploadService uploads_;
  SearchHistory searches_;
  LogSearch logs_;
};

}  // namespace comptoir
