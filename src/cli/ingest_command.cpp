// The ingest command: collect the files, upload each through UploadService, report.
#include "cli/ingest_command.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "core/application.h"

namespace comptoir::cli {

namespace fs = std::filesystem;

namespace {

struct FileReport {
  std::string path;
  std::string stored;
  std::string format;
  uint64_t bytes = 0;
  uint64_t indexed = 0;
  uint64_t rejected = 0;
  uint64_t unparsed = 0;
  double ms = 0;
  std::string status;  // "ok", "duplicate", or the error
};

std::string human_bytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} {}", b, units[u]) : fmt::format("{:.1f} {}", b, units[u]);
}

// Files under `paths`, in a stable order; directories are walked recursively and
// only files with an uploadable extension are taken from them.
std::vector<fs::path> collect(const std::vector<std::string>& paths,
                              std::vector<FileReport>& refused) {
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) &&
            is_allowed_upload_extension(it->path().filename().string())) {
          found.push_back(it->path());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.emplace_back(p);
    } else {
      FileReport r;
      r.path = p;
      r.status = "no such file or directory";
      refused.push_back(std::move(r));
    }
  }
  return files;
}

}  // namespace

int run_ingest(const Config& config, const std::vector<std::string>& paths, bool force) {
  std::vector<FileReport> reports;
  const std::vector<fs::path> files = collect(paths, reports);
  uint64_t total_bytes = 0;
  for (const auto& f : files) {
    std::error_code ec;
    total_bytes += fs::file_size(f, ec);
  }

  auto app = Application::open(config);
  if (!app.ok()) {
    std::fprintf(stderr, "comptoir: %s\n", app.error().message.c_str());
    return 1;
  }
  UploadService& uploads = (*app)->uploads();

  const bool tty = ::isatty(STDERR_FILENO) == 1;
  const auto started = std::chrono::steady_clock::now();
  uint64_t done_bytes = 0;
  uint64_t done_rows = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const fs::path& path = files[i];
    FileReport r;
    r.path = path.string();
    std::ifstream in(path, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    r.bytes = data.size();
    if (!in.good() && !in.eof()) {
      r.status = "cannot read the file";
    } else {
      auto outcome = uploads.upload(path.filename().string(), data, force);
      if (!outcome.ok()) {
        r.status = outcome.error().message;
      } else {
        r.stored = outcome->entry.filename;
        r.format = outcome->entry.format;
        r.indexed = outcome->entry.documents_indexed;
        r.rejected = outcome->entry.documents_rejected;
        r.unparsed = outcome->entry.unparsed_lines;
        r.ms = outcome->took_ms;
        r.status = outcome->duplicate ? "duplicate" : "ok";
      }
    }
    done_bytes += r.bytes;
    if (r.status == "ok") done_rows += r.indexed + r.rejected;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double rate = seconds > 0 ? static_cast<double>(done_rows) / seconds : 0;
    const double eta = done_bytes > 0 ? seconds * static_cast<double>(total_bytes - done_bytes) /
                                            static_cast<double>(done_bytes)
                                      : 0;
    const std::string line = fmt::format("[{}/{}] {} / {}  {:.0f} rows/s  ETA {:.0f}s  {}", i + 1,
                                         files.size(), human_bytes(static_cast<double>(done_bytes)),
                                         human_bytes(static_cast<double>(total_bytes)), rate, eta,
                                         path.filename().string());
    if (tty) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    reports.push_back(std::move(r));
  }
  if (tty && !files.empty()) std::fprintf(stderr, "\n");

  std::printf("%-40s %-7s %10s %10s %9s %9s %9s  %s\n", "file", "format", "size", "indexed",
              "rejected", "unparsed", "ms", "status");
  int failed = 0;
  uint64_t indexed = 0, rejected = 0;
  for (const auto& r : reports) {
    const std::string shown = r.path.size() > 40 ? "…" + r.path.substr(r.path.size() - 39) : r.path;
    std::printf("%-40s %-7s %10s %10llu %9llu %9llu %9.1f  %s\n", shown.c_str(), r.format.c_str(),
                human_bytes(static_cast<double>(r.bytes)).c_str(),
                static_cast<unsigned long long>(r.indexed),
                static_cast<unsigned long long>(r.rejected),
                static_cast<unsigned long long>(r.unparsed), r.ms, r.status.c_str());
    failed += r.status != "ok" && r.status != "duplicate";
    indexed += r.indexed;
    rejected += r.rejected;
  }
  std::printf("%zu files, %llu documents indexed, %llu rejected, %d refused\n", reports.size(),
              static_cast<unsigned long long>(indexed), static_cast<unsigned long long>(rejected),
              failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace comptoir::cli
