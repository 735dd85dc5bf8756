// Manifest reading and atomic writing (format in manifest.h).
#include "engine/index/manifest.h"

#include <cstdio>

#include "engine/store/file_io.h"

namespace comptoir::engine {

namespace json = boost::json;

std::string segment_file_name(uint64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "seg_%06llu.cseg", static_cast<unsigned long long>(id));
  return buf;
}

Status write_manifest(const std::filesystem::path& dir, const Manifest& m, bool sync) {
  json::array segs;
  for (const auto& s : m.segments) {
    json::object o{{"id", s.id}, {"docs", s.docs}};
    o["deletes"] = s.deletes ? json::value(*s.deletes) : json::value(nullptr);
    segs.push_back(std::move(o));
  }
  json::object root{{"format", 1},
                    {"generation", m.generation},
                    {"next_segment", m.next_segment},
                    {"wal", m.wal},
                    {"segments", std::move(segs)},
                    {"mapping", m.mapping},
                    {"settings", json::object{{"refresh_interval_ms", m.refresh_interval_ms}}}};
  return write_file_atomic(dir, kManifestName, json::serialize(root), sync);
}

Result<std::optional<Manifest>> read_manifest(const std::filesystem::path& dir) {
  std::filesystem::path path = dir / kManifestName;
  if (!std::filesystem::exists(path)) return std::optional<Manifest>{};
  auto text = read_file(path);
  if (!text) return text.error();
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) return Error::corruption("manifest is not JSON: " + path.string());
  try {
    const json::object& o = v.get_object();
    Manifest m;
    m.generation = o.at("generation").to_number<uint64_t>();
    m.next_segment = o.at("next_segment").to_number<uint64_t>();
    m.wal = std::string(o.at("wal").as_string());
    for (const auto& s : o.at("segments").as_array()) {
      const json::object& so = s.as_object();
      ManifestSegment ms;
      ms.id = so.at("id").to_number<uint64_t>();
      ms.docs = so.at("docs").to_number<uint32_t>();
      if (const auto* d = so.if_contains("deletes"); d && d->is_string())
        ms.deletes = std::string(d->get_string());
      m.segments.push_back(std::move(ms));
    }
    if (const auto* mp = o.if_contains("mapping")) m.mapping = *mp;
    if (const auto* st = o.if_contains("settings"); st && st->is_object()) {
      if (const auto* ri = st->get_object().if_contains("refresh_interval_ms");
          ri && ri->is_number())
        m.refresh_interval_ms = ri->to_number<int64_t>();
    }
    return std::optional<Manifest>(std::move(m));
  } catch (const std::exception& e) {
    return Error::corruption(std::string("manifest is malformed: ") + e.what());
  }
}

}  // namespace comptoir::engine
