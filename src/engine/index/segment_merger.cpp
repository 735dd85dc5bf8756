// Structure-level segment merge (see segment_merger.h).
#include "engine/index/segment_merger.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <queue>

#include "engine/index/segment_writer.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

constexpr uint32_t kDeleted = UINT32_MAX;

// Where an input segment's docs go in the merged one (kDeleted: dropped). A segment
// without deletes only shifts its docs, and is looked up without a table: postings of
// unique terms (_id, Message.keyword) come in random doc order, and a table of millions
// of docs missed the cache on nearly every posting (90% of the term merge's own time).
class DocRemap {
 public:
  static DocRemap shifted(uint32_t base, uint32_t count) { return DocRemap(base, count, {}); }
  static DocRemap mapped(std::vector<uint32_t> map) {
    const auto count = static_cast<uint32_t>(map.size());
    return DocRemap(0, count, std::move(map));
  }
  uint32_t operator[](uint32_t doc) const { return map_.empty() ? base_ + doc : map_[doc]; }
  uint32_t size() const { return count_; }

 private:
  DocRemap(uint32_t base, uint32_t count, std::vector<uint32_t> map)
      : base_(base), count_(count), map_(std::move(map)) {}
  uint32_t base_ = 0, count_ = 0;
  std::vector<uint32_t> map_;
};

struct FieldShape {
  std::string type_name;
  StorageKind kind = StorageKind::kNone;
};

// Term fields: merged dictionary, remapped postings, norms, ordinals.
void merge_term_field(SegmentWriter& w, const std::string& name, const FieldShape& shape,
                      const std::vector<MergeInput>& in, const std::vector<DocRemap>& remap,
                      uint32_t n_docs) {
  const bool text = shape.kind == StorageKind::kText;
  std::vector<const FieldReader*> fr(in.size());
  for (size_t s = 0; s < in.size(); ++s) fr[s] = in[s].reader->field(name);
  // K-way merge of the sorted dictionaries.
  using Cursor = std::pair<std::string_view, size_t>;  // (term, segment)
  auto cmp = [](const Cursor& a, const Cursor& b) {
    return a.first > b.first || (a.first == b.first && a.second > b.second);
  };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(cmp)> heap(cmp);
  std::vector<uint32_t> pos(in.size(), 0);
  std::vector<std::vector<uint32_t>> ord_map(in.size());
  for (size_t s = 0; s < in.size(); ++s) {
    if (fr[s] == nullptr) continue;
    ord_map[s].assign(fr[s]->term_count(), kDeleted);
    if (fr[s]->term_count() > 0) heap.emplace(fr[s]->term(0), s);
  }
  std::vector<std::string_view> terms;
  // Postings in dictionary order, back to back (segment_writer.h's PostingsTable).
  std::vector<uint32_t> docs;
  std::vector<uint8_t> freqs;
  std::vector<uint64_t> starts;
  std::vector<uint8_t> norms(text ? n_docs : 0, 0);
  std::vector<uint32_t> exists;
  uint64_t sum_ttf = 0;
  std::vector<std::pair<size_t, uint32_t>> sources;
  while (!heap.empty()) {
    std::string_view term = heap.top().first;
    const size_t first = docs.size();
    sources.clear();
    while (!heap.empty() && heap.top().first == term) {
      size_t s = heap.top().second;
      heap.pop();
      uint32_t t = pos[s]++;
      sources.emplace_back(s, t);
      if (pos[s] < fr[s]->term_count()) heap.emplace(fr[s]->term(pos[s]), s);
      fr[s]->for_each_posting(t, [&](uint32_t doc, uint32_t fq) {
        uint32_t nd = remap[s][doc];
        if (nd == kDeleted) return;
        docs.push_back(nd);
        if (text) {
          freqs.push_back(static_cast<uint8_t>(fq));
          sum_ttf += fq;
        }
      });
    }
    if (docs.size() == first) continue;  // only deleted docs held it
    uint32_t new_ord = static_cast<uint32_t>(terms.size());
    for (auto [s, t] : sources) ord_map[s][t] = new_ord;
    terms.push_back(term);
    starts.push_back(first);
  }
  starts.push_back(docs.size());
  json::object m;
  m["name"] = name;
  m["type"] = shape.type_name;
  w.write_terms(m, terms, text, PostingsTable{docs, freqs, starts});
  std::vector<uint32_t>().swap(docs);
  std::vector<uint8_t>().swap(freqs);
  bool has_dv = false;
  for (size_t s = 0; s < in.size(); ++s) {
    if (fr[s] == nullptr) continue;
    fr[s]->exists().for_each([&](uint32_t doc) {
      uint32_t nd = remap[s][doc];
      if (nd == kDeleted) return;
      exists.push_back(nd);
      if (text) norms[nd] = fr[s]->norm(doc);
    });
    has_dv = has_dv || fr[s]->has_doc_values();
  }
  if (text) {
    w.write_norms(m, norms);
    m["sum_ttf"] = sum_ttf;
  }
  w.write_exists(m, exists);
  if (!text && has_dv) {
    std::vector<uint32_t> dv_docs, dv_ords;
    for (size_t s = 0; s < in.size(); ++s) {
      if (fr[s] == nullptr || !fr[s]->has_doc_values()) continue;
      fr[s]->exists().for_each([&](uint32_t doc) {
        uint32_t nd = remap[s][doc];
        if (nd == kDeleted) return;
        fr[s]->values<uint32_t>(doc, [&](uint32_t ord) {
          dv_docs.push_back(nd);
          dv_ords.push_back(ord_map[s][ord]);
        });
      });
    }
    w.write_column<uint32_t>(m, n_docs, dv_docs, dv_ords, UINT32_MAX);
  }
  w.add_field(std::move(m));
}

template <typename T>
void merge_column_field(SegmentWriter& w, const std::string& name, const FieldShape& shape,
                        const std::vector<MergeInput>& in, const std::vector<DocRemap>& remap,
                        uint32_t n_docs) {
  std::vector<uint32_t> docs, exists;
  std::vector<T> values;
  for (size_t s = 0; s < in.size(); ++s) {
    const FieldReader* f = in[s].reader->field(name);
    if (f == nullptr) continue;
    f->exists().for_each([&](uint32_t doc) {
      uint32_t nd = remap[s][doc];
      if (nd == kDeleted) return;
      exists.push_back(nd);
      f->values<T>(doc, [&](T v) {
        docs.push_back(nd);
        values.push_back(v);
      });
    });
  }
  json::object m;
  m["name"] = name;
  m["type"] = shape.type_name;
  w.write_exists(m, exists);
  if (exists.empty()) {
    w.add_field(std::move(m));
    return;
  }
  if (docs.size() == n_docs && exists.size() == n_docs)
    m["dv_sorted"] = std::is_sorted(values.begin(), values.end());
  w.write_column<T>(m, n_docs, docs, values, T{});
  auto [mn, mx] = std::minmax_element(values.begin(), values.end());
  m["min"] = *mn;
  m["max"] = *mx;
  w.add_field(std::move(m));
}

Result<SegmentBytes> merge_unchecked(const std::vector<MergeInput>& in) {
  std::vector<DocRemap> remap;
  uint32_t n_docs = 0;
  for (size_t s = 0; s < in.size(); ++s) {
    const uint32_t n = in[s].reader->doc_count();
    if (in[s].deleted->empty()) {
      remap.push_back(DocRemap::shifted(n_docs, n));
      n_docs += n;
      continue;
    }
    std::vector<uint32_t> map(n, kDeleted);
    for (uint32_t d = 0; d < n; ++d)
      if (!in[s].deleted->contains(d)) map[d] = n_docs++;
    remap.push_back(DocRemap::mapped(std::move(map)));
  }
  std::map<std::string, FieldShape> fields;
  for (const auto& input : in)
    for (const auto& [name, f] : input.reader->fields())
      fields.emplace(name, FieldShape{f.type_name, f.kind});
  // The merged segment is at most its inputs' size: reserved at that.
  size_t input_bytes = 0;
  for (const auto& input : in) input_bytes += input.reader->data()->size();
  SegmentWriter w(SegmentWriterOptions{.expected_bytes = input_bytes});
  for (const auto& [name, shape] : fields) {
    switch (shape.kind) {
      case StorageKind::kText:
      case StorageKind::kKeyword:
        merge_term_field(w, name, shape, in, remap, n_docs);
        break;
      case StorageKind::kInt64:
        merge_column_field<int64_t>(w, name, shape, in, remap, n_docs);
        break;
      case StorageKind::kDouble:
        merge_column_field<double>(w, name, shape, in, remap, n_docs);
        break;
      case StorageKind::kNone:
        break;
    }
  }
  // Stored documents: a block whose documents all survive is copied compressed; the
  // others are decompressed and their live documents written again.
  StoredFieldsWriter stored;
  for (size_t s = 0; s < in.size(); ++s) {
    const StoredFieldsReader& r = in[s].reader->stored_fields();
    for (uint32_t b = 0; b < r.block_count(); ++b) {
      const uint32_t first = r.block_first_doc(b), end = r.block_first_doc(b + 1);
      bool all_live = end <= remap[s].size();
      for (uint32_t doc = first; all_live && doc < end; ++doc) all_live = remap[s][doc] != kDeleted;
      if (all_live) {
        auto frame = r.compressed_block(b);
        if (!frame) return frame.error();
        stored.add_compressed_block(*frame, end - first);
        continue;
      }
      COMPTOIR_TRY(
          r.for_each_in_block(b, [&](uint32_t doc, std::string_view id, std::string_view source) {
            if (remap[s][doc] != kDeleted) stored.add(id, source);
          }));
    }
  }
  if (stored.doc_count() != n_docs)
    return Error::corruption("merge: stored documents do not match doc counts");
  return w.finish(n_docs, stored);
}

}  // namespace

// Merges run on the index's background thread: a term dictionary block that fails its
// checks (SegmentCorruption, from the reader's accessors) fails the merge, not the process.
Result<SegmentBytes> merge_segments(const std::vector<MergeInput>& in) {
  try {
    return merge_unchecked(in);
  } catch (const SegmentCorruption& e) {
    return Error::corruption(std::string("merge: ") + e.what());
  }
}

}  // namespace comptoir::engine
