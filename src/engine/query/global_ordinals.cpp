// K-way merge of the segments' term dictionaries (global_ordinals.h).
#include "engine/query/global_ordinals.h"

#include <algorithm>
#include <queue>

namespace comptoir::engine {

GlobalOrdinals::GlobalOrdinals(const std::vector<SnapshotPtr>& indices, std::string_view field) {
  struct Cursor {
    const FieldReader* reader;
    uint32_t next;
    std::vector<uint32_t>* map;
  };
  std::vector<Cursor> cursors;
  maps_.resize(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) {
    const auto& segments = indices[i]->segments;
    maps_[i].resize(segments.size());
    const FieldDef* def = indices[i]->mapping->find(field);
    if (def == nullptr || storage_kind(def->type) != StorageKind::kKeyword) continue;
    for (size_t s = 0; s < segments.size(); ++s) {
      const FieldReader* r = segments[s].reader->field(field);
      if (r == nullptr || r->term_count() == 0) continue;
      maps_[i][s].assign(r->term_count(), 0);
      cursors.push_back(Cursor{r, 0, &maps_[i][s]});
    }
  }
  if (cursors.size() == 1) {  // one segment: its ordinals are global
    const FieldReader* r = cursors[0].reader;
    terms_.reserve(r->term_count());
    for (uint32_t t = 0; t < r->term_count(); ++t) {
      terms_.push_back(r->term(t));
      (*cursors[0].map)[t] = t;
    }
    return;
  }
  auto greater = [&](size_t a, size_t b) {
    return cursors[a].reader->term(cursors[a].next) > cursors[b].reader->term(cursors[b].next);
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(greater)> heap(greater);
  for (size_t c = 0; c < cursors.size(); ++c) heap.push(c);
  while (!heap.empty()) {
    size_t c = heap.top();
    heap.pop();
    Cursor& cur = cursors[c];
    std::string_view t = cur.reader->term(cur.next);
    if (terms_.empty() || terms_.back() != t) terms_.push_back(t);
    (*cur.map)[cur.next] = static_cast<uint32_t>(terms_.size() - 1);
    if (++cur.next < cur.reader->term_count()) heap.push(c);
  }
}

std::optional<uint32_t> GlobalOrdinals::find(std::string_view term) const {
  auto it = std::lower_bound(terms_.begin(), terms_.end(), term);
  if (it == terms_.end() || *it != term) return std::nullopt;
  return static_cast<uint32_t>(it - terms_.begin());
}

}  // namespace comptoir::engine
