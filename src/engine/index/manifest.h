// Manifest: the commit point of an index directory. It names the live segment files,
// their tombstone files, the current WAL and the mapping; it is replaced atomically
// (temp file, fsync, rename, fsync dir), so a reader after a crash sees either the old
// or the new commit, never a mix. Files it does not name are garbage.
//
//   MANIFEST (JSON) = {"format":1, "generation":g, "next_segment":n, "wal":"wal_<g>.log",
//     "segments":[{"id":i, "docs":d, "deletes":"seg_<i>_<k>.del"|null}], "mapping":{...},
//     "settings":{"refresh_interval_ms":ms}}
//   seg_<i>.cseg = a segment (segment_format.h); *.del = portable roaring bitmap
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace comptoir::engine {

struct ManifestSegment {
  uint64_t id = 0;
  uint32_t docs = 0;
  std::optional<std::string> deletes;  // file name of the tombstones, if any
};

struct Manifest {
  uint64_t generation = 0;
  uint64_t next_segment = 1;
  std::string wal;
  std::vector<ManifestSegment> segments;
  boost::json::value mapping;
  int64_t refresh_interval_ms = 1000;
};

inline constexpr const char* kManifestName = "MANIFEST";

std::string segment_file_name(uint64_t id);

Status write_manifest(const std::filesystem::path& dir, const Manifest& m, bool sync = true);
// std::nullopt when the directory has no manifest (a new or never-committed index).
Result<std::optional<Manifest>> read_manifest(const std::filesystem::path& dir);

}  // namespace comptoir::engine
