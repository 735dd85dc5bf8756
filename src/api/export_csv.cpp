// The CSV export endpoint: parameters, headers, and core/LogCsvExport as the
// streamed body.
#include "api/export_csv.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "api/error_response.h"
#include "api/input.h"
#include "core/log_export.h"

namespace comptoir::api {

namespace {

class CsvBodyStream final : public http::BodyStream {
 public:
  explicit CsvBodyStream(std::unique_ptr<LogCsvExport> csv) : csv_(std::move(csv)) {}
  Result<bool> next(std::string& out) override { return csv_->next(out); }

 private:
  std::unique_ptr<LogCsvExport> csv_;
};

// logs_export_YYYYMMDD_HHMMSS.csv, in UTC.
std::string export_filename() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "logs_export_%Y%m%d_%H%M%S.csv", &tm);
  return buf;
}

}  // namespace

http::Response get_export_csv(ApiContext& ctx, http::Request& req) {
  LogFilters filters;
  struct Param {
    std::string_view name;
    std::string* slot;
  };
  const Param params[] = {{"q", &filters.query},
                          {"level", &filters.level},
                          {"service", &filters.service},
                          {"start_date", &filters.start_date},
                          {"end_date", &filters.end_date}};
  for (const auto& p : params) {
    auto v = text_param(req, p.name);
    if (!v.ok()) return error_response(v.error(), req);
    if (*v) *p.slot = std::move(**v);
  }
  auto syntax = text_param(req, "syntax");
  if (!syntax.ok()) return error_response(syntax.error(), req);
  if (*syntax && **syntax == "lucene") {
    filters.syntax = QuerySyntax::kLucene;
  } else if (*syntax && **syntax != "plain") {
    return error_response(Error::invalid_fields("syntax must be plain or lucene",
                                                {{"syntax", "must be plain or lucene"}}),
                          req);
  }
  auto columns_param = text_param(req, "columns");
  if (!columns_param.ok()) return error_response(columns_param.error(), req);
  auto columns = parse_export_columns(columns_param->value_or(""));
  if (!columns.ok()) return error_response(columns.error(), req);

  auto csv = LogCsvExport::open(ctx.logs, filters, std::move(*columns));
  if (!csv.ok()) return error_response(csv.error(), req);
  auto res = http::stream_response(200, "text/csv; charset=utf-8",
                                   std::make_shared<CsvBodyStream>(std::move(*csv)));
  res.set_header("Content-Disposition", fmt::format("attachment; filename={}", export_filename()));
  res.set_header("Cache-Control", "no-store");
  return res;
}

}  // namespace comptoir::api
