// The upload folder: where uploaded files are kept, under safe, unique names.
//
// secure_filename() reduces a client's file name as Werkzeug's does (NFKD to ASCII,
// path separators and spaces to '_', only [A-Za-z0-9._-], no leading dots or
// underscores, Windows device names prefixed) and bounds its length, keeping the
// extension. Nothing is overwritten: reserve() takes the name, or a variant with `_1`,
// `_2`... while taken, by creating it empty (O_EXCL); fill() writes the data to a
// temporary file and renames it over the reserved name, atomically; sync() then fsyncs
// the file and the folder. An upload needs the name first (its documents carry it), and
// syncs its file while it indexes it: it records the upload as indexed only once synced,
// and until then a crash may leave the file empty or partial, which the registry's
// recovery of unfinished uploads removes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.h"

namespace comptoir {

std::string secure_filename(std::string_view name);

class UploadFolder {
 public:
  explicit UploadFolder(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Takes `name` (already secure) or a suffixed variant with an empty file; returns it.
  Result<std::string> reserve(std::string_view name);
  // Puts `data` under a name reserve() returned.
  Status fill(std::string_view reserved_name, std::string_view data);
  // Makes a filled file durable.
  Status sync(std::string_view stored_name);
  Status remove(std::string_view name);
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace comptoir
