// SegmentBuilder: the in-memory segment; finish() hands its content to SegmentWriter
// (byte layout in segment_format.h).
#include "engine/index/segment_builder.h"

#include <algorithm>
#include <bit>
#include <boost/json.hpp>
#include <charconv>
#include <cstring>
#include <exception>
#include <optional>
#include <span>
#include <thread>
#include <utility>

#include "engine/index/segment_format.h"
#include "engine/index/segment_writer.h"
#include "engine/schema/date_format.h"
#include "util/fast_hash.h"
#include "util/prefetch.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

constexpr uint32_t kNoDoc = UINT32_MAX;

// Open-addressing term -> id table with term bytes in a chunked arena (stable views, no
// allocation per term): the hottest structure of indexing. A slot holds the id and the
// hash's high 32 bits, which also give the home position: a probe compares term bytes
// only when those bits agree, and growing rehashes nothing.
class TermTable {
 public:
  TermTable() : slots_(1024, 0) {}
  // The id of `t` (hash h = fast_hash(t)), adding it when new (inserted = true).
  uint32_t find_or_insert(std::string_view t, uint64_t h, bool& inserted) {
    const size_t i = probe(t, h);
    inserted = slots_[i] == 0;
    if (!inserted) return id_of(slots_[i]);
    const auto id = static_cast<uint32_t>(terms_.size());
    terms_.push_back(store(t));
    slots_[i] = slot_of(id, h);
    if (terms_.size() * 2 > slots_.size()) grow();
    return id;
  }
  // The id of `t`, if present.
  std::optional<uint32_t> find(std::string_view t) const {
    const size_t i = probe(t, fast_hash(t));
    if (slots_[i] == 0) return std::nullopt;
    return id_of(slots_[i]);
  }
  std::span<const std::string_view> terms() const { return terms_; }
  // Room for n terms without growing.
  void reserve(size_t n) {
    const size_t slots = std::bit_ceil(2 * n + 2);
    if (slots > slots_.size()) slots_.assign(slots, 0);
    terms_.reserve(n);
  }
  // Starts loading the slot where a term of hash h is looked for first. A large table
  // (a field of unique values: messages, ids, addresses) misses the cache on nearly
  // every lookup; a document's lookups prefetched together wait for memory once.
  void prefetch(uint64_t h) const {
    __builtin_prefetch(&slots_[home(h & ~uint64_t{0xFFFFFFFF}, slots_.size() - 1)]);
  }

 private:
  static uint64_t slot_of(uint32_t id, uint64_t h) {
    return (h & ~uint64_t{0xFFFFFFFF}) | (id + 1);
  }
  static uint32_t id_of(uint64_t slot) { return static_cast<uint32_t>(slot) - 1; }
  static size_t home(uint64_t tagged, size_t mask) {
    return static_cast<size_t>(tagged >> 32) & mask;
  }
  // The slot holding `t` (hash h), or the empty slot where it would go.
  size_t probe(std::string_view t, uint64_t h) const {
    const size_t mask = slots_.size() - 1;
    const uint64_t tag = h & ~uint64_t{0xFFFFFFFF};
    for (size_t i = home(tag, mask);; i = (i + 1) & mask) {
      const uint64_t slot = slots_[i];
      if (slot == 0 || ((slot & ~uint64_t{0xFFFFFFFF}) == tag && terms_[id_of(slot)] == t))
        return i;
    }
  }
  std::string_view store(std::string_view t) {
    constexpr size_t kChunk = 64 * 1024;
    if (t.size() > kChunk / 4) {
      chunks_.push_back(std::make_unique<char[]>(t.size()));
      std::memcpy(chunks_.back().get(), t.data(), t.size());
      return std::string_view(chunks_.back().get(), t.size());
    }
    if (cur_ == nullptr || used_ + t.size() > kChunk) {
      chunks_.push_back(std::make_unique<char[]>(kChunk));
      cur_ = chunks_.back().get();
      used_ = 0;
    }
    char* p = cur_ + used_;
    std::memcpy(p, t.data(), t.size());
    used_ += t.size();
    return std::string_view(p, t.size());
  }
  void grow() {
    std::vector<uint64_t> next(slots_.size() * 2, 0);
    const size_t mask = next.size() - 1;
    for (uint64_t slot : slots_) {
      if (slot == 0) continue;
      size_t i = home(slot, mask);
      while (next[i] != 0) i = (i + 1) & mask;
      next[i] = slot;
    }
    slots_ = std::move(next);
  }

  std::vector<uint64_t> slots_;  // hash high bits | id + 1; 0 = empty
  std::vector<std::string_view> terms_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cur_ = nullptr;  // the chunk small terms go to
  size_t used_ = 0;
};

struct ChunkEntry {
  uint64_t key;
  uint32_t len;  // bytes of the chunk that exist (0–8)
  uint32_t id;
};

// Sorts a run by (key, len), least significant digit first, 8 bits a pass, stable, and
// skips the digits all its entries share (`Request …` messages, `10.0.…` addresses share
// whole chunks). Runs too small for passes to pay go to std::sort.
void sort_chunks(ChunkEntry* a, size_t n, std::vector<ChunkEntry>& spare) {
  auto by_key = [](const ChunkEntry& x, const ChunkEntry& y) {
    return x.key != y.key ? x.key < y.key : x.len < y.len;
  };
  constexpr size_t kRadixMin = 512;
  if (n < kRadixMin) {
    std::sort(a, a + n, by_key);
    return;
  }
  uint64_t key_and = ~uint64_t{0}, key_or = 0;
  uint32_t len_and = ~uint32_t{0}, len_or = 0;
  for (size_t i = 0; i < n; ++i) {
    key_and &= a[i].key;
    key_or |= a[i].key;
    len_and &= a[i].len;
    len_or |= a[i].len;
  }
  const uint64_t varying = key_and ^ key_or;
  spare.resize(n);
  ChunkEntry* src = a;
  ChunkEntry* dst = spare.data();
  auto pass = [&](auto digit) {
    size_t start[256] = {};
    for (size_t i = 0; i < n; ++i) ++start[digit(src[i])];
    size_t sum = 0;
    for (size_t& c : start) sum += std::exchange(c, sum);
    for (size_t i = 0; i < n; ++i) dst[start[digit(src[i])]++] = src[i];
    std::swap(src, dst);
  };
  if (len_and != len_or) pass([](const ChunkEntry& e) { return e.len; });
  for (unsigned shift = 0; shift < 64; shift += 8) {
    if (((varying >> shift) & 0xFF) == 0) continue;
    pass([shift](const ChunkEntry& e) { return static_cast<size_t>((e.key >> shift) & 0xFF); });
  }
  if (src != a) std::memcpy(a, src, n * sizeof(ChunkEntry));
}

// The 8 bytes of `t` from `depth` as a big-endian integer (missing bytes as 0).
uint64_t chunk_key(std::string_view t, size_t depth) {
  if (depth + 8 <= t.size()) {
    uint64_t v;
    std::memcpy(&v, t.data() + depth, 8);
    return __builtin_bswap64(v);
  }
  uint64_t key = 0;
  for (size_t b = 0; b < 8; ++b) {
    const size_t at = depth + b;
    key = key << 8 | (at < t.size() ? static_cast<unsigned char>(t[at]) : 0u);
  }
  return key;
}

// Term ids in the byte order of their terms: an MSD sort by 8-byte chunks. Each round
// sorts a run of ids by the chunk at `depth` read as a big-endian integer (one integer
// compare, no pointer chasing) and by how many of its bytes exist; runs still equal go
// one chunk deeper. Terms sharing long prefixes (`Request 12-…`, `10.0.…`) then cost a
// few integer sorts, not full string comparisons.
std::vector<uint32_t> byte_order(std::span<const std::string_view> terms) {
  std::vector<ChunkEntry> entries(terms.size()), spare;
  for (uint32_t i = 0; i < terms.size(); ++i) entries[i].id = i;
  struct Run {
    size_t lo, hi, depth;
  };
  std::vector<Run> runs;
  if (!entries.empty()) runs.push_back({0, entries.size(), 0});
  while (!runs.empty()) {
    const Run r = runs.back();
    runs.pop_back();
    for (size_t i = r.lo; i < r.hi; ++i) {
      // Past the first round, entries are in key order and terms in arrival order: the
      // view two distances ahead and the bytes one distance ahead are loaded meanwhile.
      if (i + 2 * kTermPrefetchDistance < r.hi)
        __builtin_prefetch(&terms[entries[i + 2 * kTermPrefetchDistance].id]);
      if (i + kTermPrefetchDistance < r.hi)
        __builtin_prefetch(terms[entries[i + kTermPrefetchDistance].id].data() + r.depth);
      const std::string_view t = terms[entries[i].id];
      entries[i].key = chunk_key(t, r.depth);
      entries[i].len =
          static_cast<uint32_t>(std::min<size_t>(8, t.size() - std::min(t.size(), r.depth)));
    }
    sort_chunks(entries.data() + r.lo, r.hi - r.lo, spare);
    // Equal chunks of 8 existing bytes: the terms go on, compare the next chunk. (Terms
    // are distinct, so equal shorter chunks cannot happen.)
    for (size_t a = r.lo; a < r.hi;) {
      size_t b = a + 1;
      while (b < r.hi && entries[b].key == entries[a].key && entries[b].len == entries[a].len) ++b;
      if (b - a > 1 && entries[a].len == 8) runs.push_back({a, b, r.depth + 8});
      a = b;
    }
  }
  std::vector<uint32_t> order(terms.size());
  for (size_t i = 0; i < entries.size(); ++i) order[i] = entries[i].id;
  return order;
}

}  // namespace

struct SegmentBuilder::TermField {
  std::string name;
  FieldType type = FieldType::kKeyword;
  bool text = false;
  bool doc_values = true;
  TermTable table;  // its terms() are the field's terms by id
  // A term's postings: its latest doc (and text frequency) here, the docs before it in
  // its vectors. Most terms of keyword fields are in one doc (messages, ids, IPs): they
  // never allocate.
  // Indexed by term id, read at random.
  template <typename T>
  using TermArray = std::vector<T>;
  TermArray<uint32_t> last_doc;
  TermArray<uint8_t> last_freq;
  TermArray<std::vector<uint32_t>> docs;
  TermArray<std::vector<uint8_t>> freqs;
  std::vector<std::pair<uint32_t, uint32_t>> lengths;  // text: (doc, length)
  std::vector<uint32_t> exists_docs;
  std::vector<std::pair<uint32_t, uint32_t>> dv;  // keyword: (doc, term id)
  uint64_t sum_ttf = 0;

  void reserve(size_t n) {
    table.reserve(n);
    last_doc.reserve(n);
    docs.reserve(n);
    if (text) last_freq.reserve(n), freqs.reserve(n);
  }
  uint32_t term_id(std::string_view t, uint64_t h) {
    bool inserted = false;
    uint32_t id = table.find_or_insert(t, h, inserted);
    if (!inserted) return id;
    docs.emplace_back();
    if (text) freqs.emplace_back(), last_freq.push_back(0);
    last_doc.push_back(kNoDoc);
    return id;
  }
  // Term t occurs in doc d (docs arrive in increasing order).
  void add_posting(uint32_t t, uint32_t d) {
    if (last_doc[t] == d) {
      if (text && last_freq[t] < 255) ++last_freq[t];
      return;
    }
    if (last_doc[t] != kNoDoc) {
      docs[t].push_back(last_doc[t]);
      if (text) freqs[t].push_back(last_freq[t]);
    }
    last_doc[t] = d;
    if (text) last_freq[t] = 1;
  }
  uint64_t posting_count() const {
    uint64_t n = 0;
    for (uint32_t t = 0; t < docs.size(); ++t) n += docs[t].size() + 1;
    return n;
  }
};

struct SegmentBuilder::ColumnField {
  std::string name;
  FieldType type = FieldType::kLong;
  bool is_double = false;
  std::vector<uint32_t> docs;  // one entry per value, doc order
  std::vector<int64_t> ints;
  std::vector<double> doubles;
};

SegmentBuilder::SegmentBuilder(TermCounts expected_terms)
    : expected_terms_(std::move(expected_terms)) {}
SegmentBuilder::~SegmentBuilder() = default;

SegmentBuilder::TermCounts SegmentBuilder::term_counts() const {
  TermCounts counts;
  for (const auto& f : term_fields_) counts.emplace(f->name, f->table.terms().size());
  return counts;
}

SegmentBuilder::TermField& SegmentBuilder::term_field(const std::string& name, bool text) {
  auto it = term_index_.find(name);
  if (it != term_index_.end()) return *term_fields_[it->second];
  auto f = std::make_unique<TermField>();
  f->name = name;
  f->text = text;
  f->type = text ? FieldType::kText : FieldType::kKeyword;
  if (auto e = expected_terms_.find(name); e != expected_terms_.end())
    f->reserve(std::min(e->second, kMaxExpectedTerms));
  term_index_.emplace(name, term_fields_.size());
  term_fields_.push_back(std::move(f));
  return *term_fields_.back();
}

SegmentBuilder::ColumnField& SegmentBuilder::column_field(const std::string& name, bool is_double,
                                                          FieldType type) {
  auto it = column_index_.find(name);
  if (it != column_index_.end()) return *column_fields_[it->second];
  auto f = std::make_unique<ColumnField>();
  f->name = name;
  f->is_double = is_double;
  f->type = type;
  column_index_.emplace(name, column_fields_.size());
  column_fields_.push_back(std::move(f));
  return *column_fields_.back();
}

SegmentBuilder::FieldSlot& SegmentBuilder::slot(size_t i, const ParsedField& f) {
  if (i >= slots_.size()) slots_.resize(i + 1);
  FieldSlot& s = slots_[i];
  if (f.version != 0 && s.def == f.def && s.version == f.version) return s;
  if (s.name != f.name) s = FieldSlot{f.name, nullptr, 0, nullptr, nullptr};
  s.def = f.def;
  s.version = f.version;
  return s;
}

SegmentBuilder::TermField& SegmentBuilder::slot_term(size_t i, const ParsedField& f, bool text) {
  FieldSlot& s = slot(i, f);
  if (s.term == nullptr) s.term = &term_field(f.name, text);
  return *s.term;
}

SegmentBuilder::ColumnField& SegmentBuilder::slot_column(size_t i, const ParsedField& f,
                                                         bool is_double) {
  FieldSlot& s = slot(i, f);
  if (s.column == nullptr) s.column = &column_field(f.name, is_double, f.type);
  return *s.column;
}

std::optional<uint32_t> SegmentBuilder::find_id(std::string_view id) const {
  auto it = term_index_.find("_id");
  if (it == term_index_.end()) return std::nullopt;
  const TermField& ids = *term_fields_[it->second];
  auto t = ids.table.find(id);
  if (!t) return std::nullopt;
  return ids.last_doc[*t];  // the latest copy
}

std::string_view SegmentBuilder::stored_source(const ParsedDocument& doc) {
  ref_values_.clear();
  // Sized before any view into it is taken: the values view these strings.
  if (ref_texts_.size() < doc.fields().size()) ref_texts_.resize(doc.fields().size());
  size_t texts = 0;
  for (const ParsedField& f : doc.fields()) {
    switch (f.type) {
      case FieldType::kKeyword:
      case FieldType::kIp:
        if (f.strings.size() == 1)
          ref_values_.push_back({f.name, SourceRefKind::kKeyword, f.strings[0]});
        break;
      case FieldType::kDate:
      case FieldType::kLong:
      case FieldType::kInteger:
      case FieldType::kShort:
      case FieldType::kByte: {
        if (f.ints.size() != 1) break;
        std::string& text = ref_texts_[texts++];
        text.clear();
        const bool date = f.type == FieldType::kDate;
        if (date) {
          append_date_iso(f.ints[0], text);
        } else {
          char buf[24];
          auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f.ints[0]);
          text.assign(buf, end);
        }
        ref_values_.push_back(
            {f.name, date ? SourceRefKind::kDate : SourceRefKind::kInteger, text});
        break;
      }
      default:
        break;
    }
  }
  // The parser accepted the source: no marker byte is in it.
  return refs_.encode(doc.source, ref_values_, SourceText::kParsedJson);
}

uint32_t SegmentBuilder::add(const ParsedDocument& doc) {
  const uint32_t d = doc_count();
  if (id_field_ == nullptr) id_field_ = &term_field("_id", false);
  const auto fields = doc.fields();
  // The term table slots of the id and keyword values are prefetched first: their misses
  // overlap one another and the stored form's encoding instead of stalling one by one.
  const uint64_t id_hash = fast_hash(doc.id);
  id_field_->table.prefetch(id_hash);
  value_hashes_.clear();
  keyword_fields_.clear();
  for (size_t fi = 0; fi < fields.size(); ++fi) {
    const ParsedField& f = fields[fi];
    if (storage_kind(f.type) != StorageKind::kKeyword || f.strings.empty()) continue;
    TermField& kf = slot_term(fi, f, false);
    keyword_fields_.push_back(&kf);
    for (std::string_view value : f.strings) {
      const uint64_t h = fast_hash(value);
      kf.table.prefetch(h);
      value_hashes_.push_back(h);
    }
  }
  stored_.add(doc.id, stored_source(doc));
  ++doc_count_;
  memory_bytes_ += doc.source.size() + doc.id.size() + 64;
  {
    TermField& idf = *id_field_;
    idf.doc_values = false;
    uint32_t t = idf.term_id(doc.id, id_hash);
    idf.add_posting(t, d);
    idf.exists_docs.push_back(d);
  }
  size_t next_hash = 0;     // value_hashes_ in field and value order
  size_t next_keyword = 0;  // keyword_fields_ in field order
  for (size_t fi = 0; fi < fields.size(); ++fi) {
    const ParsedField& f = fields[fi];
    switch (storage_kind(f.type)) {
      case StorageKind::kText: {
        if (f.strings.empty()) break;
        TermField& tf = slot_term(fi, f, true);
        uint32_t length = 0;
        for (std::string_view value : f.strings) {
          tokens_.clear();
          StandardAnalyzer::analyze(value, tokens_);
          token_hashes_.resize(tokens_.size());
          for (size_t i = 0; i < tokens_.size(); ++i) {
            token_hashes_[i] = fast_hash(tokens_[i]);
            tf.table.prefetch(token_hashes_[i]);
          }
          for (size_t i = 0; i < tokens_.size(); ++i) {
            tf.add_posting(tf.term_id(tokens_[i], token_hashes_[i]), d);
          }
          length += static_cast<uint32_t>(tokens_.size());
        }
        tf.lengths.emplace_back(d, length);
        tf.sum_ttf += length;
        tf.exists_docs.push_back(d);
        memory_bytes_ += length * 8;
        break;
      }
      case StorageKind::kKeyword: {
        if (f.strings.empty()) break;
        TermField& kf = *keyword_fields_[next_keyword++];
        kf.type = f.type;
        for (std::string_view value : f.strings) {
          uint32_t t = kf.term_id(value, value_hashes_[next_hash++]);
          if (kf.last_doc[t] != d) {
            kf.add_posting(t, d);
            kf.dv.emplace_back(d, t);
          }
        }
        kf.exists_docs.push_back(d);
        memory_bytes_ += f.strings.size() * 16;
        break;
      }
      case StorageKind::kInt64: {
        if (f.ints.empty()) break;
        ColumnField& c = slot_column(fi, f, false);
        const size_t first = c.ints.size();
        c.ints.insert(c.ints.end(), f.ints.begin(), f.ints.end());
        c.docs.insert(c.docs.end(), f.ints.size(), d);
        std::sort(c.ints.begin() + static_cast<std::ptrdiff_t>(first), c.ints.end());
        memory_bytes_ += f.ints.size() * 12;
        break;
      }
      case StorageKind::kDouble: {
        if (f.doubles.empty()) break;
        ColumnField& c = slot_column(fi, f, true);
        const size_t first = c.doubles.size();
        c.doubles.insert(c.doubles.end(), f.doubles.begin(), f.doubles.end());
        c.docs.insert(c.docs.end(), f.doubles.size(), d);
        std::sort(c.doubles.begin() + static_cast<std::ptrdiff_t>(first), c.doubles.end());
        memory_bytes_ += f.doubles.size() * 12;
        break;
      }
      case StorageKind::kNone:
        break;
    }
  }
  return d;
}

// A term field's dictionary order, postings back to back in that order, and keyword
// doc values as ordinals: computed from the field alone, so finish() can prepare and
// write fields on two threads at once.
struct SegmentBuilder::PreparedTerms {
  std::vector<std::string_view> sorted;
  std::vector<uint64_t> starts;
  std::vector<uint32_t> docs;
  std::vector<uint8_t> freqs;
  std::vector<uint32_t> dv_docs, dv_ords;  // keyword doc values, ordinals sorted per doc
};

SegmentBuilder::PreparedTerms SegmentBuilder::prepare(TermField& f) {
  PreparedTerms p;
  const std::span<const std::string_view> terms = f.table.terms();
  const uint32_t n = static_cast<uint32_t>(terms.size());
  const std::vector<uint32_t> order = byte_order(terms);
  std::vector<uint32_t> ord_of(n);
  for (uint32_t o = 0; o < n; ++o) {
    if (o + kTermPrefetchDistance < n)
      __builtin_prefetch(&ord_of[order[o + kTermPrefetchDistance]], 1);
    ord_of[order[o]] = o;
  }
  p.sorted.resize(n);
  for (uint32_t o = 0; o < n; ++o) p.sorted[o] = terms[order[o]];
  p.starts.resize(n + 1);
  const uint64_t total = f.posting_count();
  p.docs.reserve(total);
  if (f.text) p.freqs.reserve(total);
  for (uint32_t o = 0; o < n; ++o) {
    const uint32_t t = order[o];
    // Terms come in byte order, their postings lie in arrival order: the entries a few
    // terms ahead are loaded while this one is copied (large fields miss on every term).
    if (o + kTermPrefetchDistance < n) {
      const uint32_t ahead = order[o + kTermPrefetchDistance];
      __builtin_prefetch(&f.docs[ahead]);
      __builtin_prefetch(&f.last_doc[ahead]);
      if (f.text) {
        __builtin_prefetch(&f.freqs[ahead]);
        __builtin_prefetch(&f.last_freq[ahead]);
      }
    }
    p.starts[o] = p.docs.size();
    p.docs.insert(p.docs.end(), f.docs[t].begin(), f.docs[t].end());
    p.docs.push_back(f.last_doc[t]);
    std::vector<uint32_t>().swap(f.docs[t]);
    if (f.text) {
      p.freqs.insert(p.freqs.end(), f.freqs[t].begin(), f.freqs[t].end());
      p.freqs.push_back(f.last_freq[t]);
      std::vector<uint8_t>().swap(f.freqs[t]);
    }
  }
  p.starts[n] = p.docs.size();
  if (!f.text && f.doc_values) {
    std::vector<uint32_t> per;
    p.dv_docs.reserve(f.dv.size());
    p.dv_ords.reserve(f.dv.size());
    size_t i = 0;
    while (i < f.dv.size()) {
      size_t j = i;
      per.clear();
      while (j < f.dv.size() && f.dv[j].first == f.dv[i].first) {
        if (j + kTermPrefetchDistance < f.dv.size())
          __builtin_prefetch(&ord_of[f.dv[j + kTermPrefetchDistance].second]);
        per.push_back(ord_of[f.dv[j++].second]);
      }
      std::sort(per.begin(), per.end());
      for (uint32_t o : per) {
        p.dv_docs.push_back(f.dv[i].first);
        p.dv_ords.push_back(o);
      }
      i = j;
    }
  }
  return p;
}

SegmentBytes SegmentBuilder::finish(SegmentWriterOptions options, bool two_threads) {
  const uint32_t n_docs = doc_count();
  // A segment takes less than its documents' texts (memory_bytes_): reserved at that.
  if (options.expected_bytes == 0) options.expected_bytes = memory_bytes_;
  SegmentWriter w(options);
  // A term field prepared (just before: less memory at once) and written to `out`.
  std::vector<json::object> term_metas(term_fields_.size());
  auto write_term_field = [&](SegmentWriter& out, size_t fi) {
    TermField& f = *term_fields_[fi];
    json::object& m = term_metas[fi];
    m["name"] = f.name;
    m["type"] = f.name == "_id" ? "_id" : std::string(field_type_name(f.type));
    const PreparedTerms p = prepare(f);
    out.write_terms(m, p.sorted, f.text, PostingsTable{p.docs, p.freqs, p.starts});
    if (f.text) {
      std::vector<uint8_t> norms(n_docs, 0);
      for (auto [d, len] : f.lengths) norms[d] = encode_norm(len);
      out.write_norms(m, norms);
      m["sum_ttf"] = f.sum_ttf;
    }
    out.write_exists(m, f.exists_docs);
    if (!f.text && f.doc_values)
      out.write_column<uint32_t>(m, n_docs, p.dv_docs, p.dv_ords, UINT32_MAX);
  };
  // When the caller waits for the segment, a second thread prepares and writes some of
  // the term fields (largest first, each to the thread with less work so far) into a
  // part of its own, appended once both are done (SegmentWriter::append_part).
  constexpr uint32_t kTwoThreadsMinDocs = 2048;
  std::vector<size_t> mine, theirs;
  if (two_threads && n_docs >= kTwoThreadsMinDocs && term_fields_.size() > 1) {
    std::vector<size_t> by_size(term_fields_.size());
    for (size_t i = 0; i < by_size.size(); ++i) by_size[i] = i;
    auto work = [&](size_t i) {
      return term_fields_[i]->table.terms().size() + term_fields_[i]->dv.size();
    };
    std::sort(by_size.begin(), by_size.end(),
              [&](size_t a, size_t b) { return work(a) > work(b); });
    uint64_t mine_work = 0, their_work = 0;
    for (size_t i : by_size) {
      if (mine_work <= their_work) {
        mine.push_back(i), mine_work += work(i);
      } else {
        theirs.push_back(i), their_work += work(i);
      }
    }
  } else {
    for (size_t i = 0; i < term_fields_.size(); ++i) mine.push_back(i);
  }
  std::optional<SegmentWriter> part;
  std::exception_ptr failed;
  std::thread helper;
  if (!theirs.empty()) {
    SegmentWriterOptions part_options = options;
    part_options.expected_bytes /= 2;
    part.emplace(part_options, SegmentWriter::Part{});
    helper = std::thread([&] {
      try {
        for (size_t i : theirs) write_term_field(*part, i);
      } catch (...) {
        failed = std::current_exception();
      }
    });
  }
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{helper};
  for (size_t i : mine) write_term_field(w, i);
  std::vector<json::object> column_metas;
  for (const auto& cp : column_fields_) {
    ColumnField& c = *cp;
    json::object m;
    m["name"] = c.name;
    m["type"] = std::string(field_type_name(c.type));
    std::vector<uint32_t> exists;
    for (uint32_t d : c.docs)
      if (exists.empty() || exists.back() != d) exists.push_back(d);
    w.write_exists(m, exists);
    if (c.docs.size() == n_docs && exists.size() == n_docs) {
      m["dv_sorted"] = c.is_double ? std::is_sorted(c.doubles.begin(), c.doubles.end())
                                   : std::is_sorted(c.ints.begin(), c.ints.end());
    }
    if (c.is_double) {
      w.write_column<double>(m, n_docs, c.docs, c.doubles, 0.0);
      auto [mn, mx] = std::minmax_element(c.doubles.begin(), c.doubles.end());
      m["min"] = *mn;
      m["max"] = *mx;
    } else {
      w.write_column<int64_t>(m, n_docs, c.docs, c.ints, 0);
      auto [mn, mx] = std::minmax_element(c.ints.begin(), c.ints.end());
      m["min"] = *mn;
      m["max"] = *mx;
    }
    column_metas.push_back(std::move(m));
  }
  if (helper.joinable()) helper.join();
  if (failed) std::rethrow_exception(failed);
  if (part) {
    std::vector<json::object*> moved;
    for (size_t i : theirs) moved.push_back(&term_metas[i]);
    w.append_part(std::move(*part), moved);
  }
  for (json::object& m : term_metas) w.add_field(std::move(m));
  for (json::object& m : column_metas) w.add_field(std::move(m));
  SegmentBytes bytes = w.finish(n_docs, stored_);
  expected_terms_ = term_counts();
  term_fields_.clear();
  column_fields_.clear();
  term_index_.clear();
  column_index_.clear();
  slots_.clear();
  id_field_ = nullptr;
  doc_count_ = 0;
  memory_bytes_ = 0;
  return bytes;
}

}  // namespace comptoir::engine
