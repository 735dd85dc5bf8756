// The upload folder: where uploaded files are kept, under safe, unique names.
//
// secure_filename() reduces a client's file name as Werkzeug's does (NFKD to ASCII,
// path separators and spaces to '_', only [A-Za-z0-9._-], no leading dots or
// underscores, Windows device names prefixed) and bounds its length, keeping the
// extension. Nothing is overwritten: write() puts the data in a temporary file and
// renames it with RENAME_NOREPLACE, adding `_1`, `_2`... to the name while taken;
// sync() then fsyncs the file and the folder. An upload syncs its file while it parses
// and indexes it, and records it as indexed only once synced: until then a crash may
// leave the file partial, and the registry's recovery of unfinished uploads removes it.
// store() is write() then sync(): the file is whole or absent after a crash.
// reserve() then fill() is write() in two steps, for a caller that needs the name before
// the data is down (an upload parses its file, documents naming it, meanwhile): the name
// is taken by an empty file, which fill() replaces atomically.
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

  // Stores `data` under `name` (already secure) or a suffixed variant; returns the
  // name used.
  Result<std::string> store(std::string_view name, std::string_view data);
  // store() in two steps: the file is durable once sync() of the name write() returned
  // has returned.
  Result<std::string> write(std::string_view name, std::string_view data);
  Status sync(std::string_view stored_name);
  // Takes `name` (already secure) or a suffixed variant with an empty file; returns it.
  Result<std::string> reserve(std::string_view name);
  // Puts `data` under a name reserve() returned.
  Status fill(std::string_view reserved_name, std::string_view data);
  Status remove(std::string_view name);
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace comptoir
