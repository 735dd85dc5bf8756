// SegmentWriter: the byte-level writer of segment files (layout in segment_format.h).
#include "engine/index/segment_writer.h"

#include <algorithm>

#include "engine/index/term_blocks.h"
#include "engine/query/bitmap.h"
#include "util/prefetch.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {
constexpr uint32_t kArrayPostingMax = 16;

// Term frequencies of a posting list, packed (segment_format.h): most are 1, nearly all
// below 4, so two bits each (frequency - 1; 3 = see the exceptions) and the rare larger
// ones listed by position.
void write_packed_freqs(ByteWriter& w, std::span<const uint8_t> freqs) {
  const size_t n = freqs.size();
  std::string codes((n + 3) / 4, '\0');
  std::vector<uint32_t> at;
  for (size_t i = 0; i < n; ++i) {
    uint32_t code = freqs[i] - 1u;
    if (freqs[i] == 0 || code >= 3) {
      code = 3;
      at.push_back(static_cast<uint32_t>(i));
    }
    codes[i >> 2] = static_cast<char>(codes[i >> 2] | code << ((i & 3) * 2));
  }
  w.put_bytes(codes);
  w.put<uint32_t>(static_cast<uint32_t>(at.size()));
  for (uint32_t i : at) w.put<uint32_t>(i);
  for (uint32_t i : at) w.put<uint8_t>(freqs[i]);
}
}  // namespace

SegmentWriter::SegmentWriter(SegmentWriterOptions options) : SegmentWriter(options, Part{}) {
  w_.put_bytes(kSegmentMagic, 8);
}

SegmentWriter::SegmentWriter(SegmentWriterOptions options, Part) : options_(options), w_(bytes_) {
  bytes_.reserve(options.expected_bytes);
}

void SegmentWriter::append_part(SegmentWriter&& part, std::span<json::object* const> metas) {
  // A part's sections are aligned from its own start: at a boundary here they stay so.
  w_.align();
  const uint64_t base = w_.offset();
  w_.put_bytes(part.bytes_);
  static constexpr const char* kOffsets[] = {"terms",  "blob",      "postings", "norms",
                                             "exists", "dv_values", "dv_starts"};
  for (json::object* m : metas) {
    for (const char* key : kOffsets) {
      if (json::value* v = m->if_contains(key)) *v = v->to_number<uint64_t>() + base;
    }
    // A postings table holds the offsets of its terms' entries (an entry with bit 63 set
    // is a posting in place) and of the end; the compact form of unique fields holds docs.
    const json::value* unique = m->if_contains("unique");
    if (m->if_contains("postings") == nullptr || (unique != nullptr && unique->as_bool())) continue;
    const uint64_t table = m->at("postings").to_number<uint64_t>();
    const uint64_t n_terms = m->at("n_terms").to_number<uint64_t>();
    char* entries = bytes_.data() + table;
    for (uint64_t i = 0; i <= n_terms; ++i) {
      uint64_t entry;
      std::memcpy(&entry, entries + 8 * i, 8);
      if ((entry >> 63) != 0) continue;
      entry += base;
      std::memcpy(entries + 8 * i, &entry, 8);
    }
  }
}

void SegmentWriter::write_terms(json::object& m, const std::vector<std::string_view>& terms,
                                bool text, const PostingsTable& postings) {
  const uint32_t n = static_cast<uint32_t>(terms.size());
  w_.align();
  m["terms"] = w_.offset();
  m["n_terms"] = n;
  if (options_.compress_terms && write_term_blocks(w_, terms)) {
    m["terms_codec"] = "blocks";
    m["terms_bytes"] = w_.offset() - m["terms"].to_number<uint64_t>();
  } else {
    w_.put<uint32_t>(n);
    uint64_t blob = 0;
    for (uint32_t i = 0; i < n; ++i) {
      w_.put<uint32_t>(static_cast<uint32_t>(blob));
      blob += terms[i].size();
    }
    w_.put<uint32_t>(static_cast<uint32_t>(blob));
    m["blob"] = w_.offset();
    for (uint32_t i = 0; i < n; ++i) {
      if (i + kTermPrefetchDistance < n) prefetch_term(terms[i + kTermPrefetchDistance]);
      w_.put_bytes(terms[i]);
    }
  }
  // Unique fields (every term in one doc: _id) get the compact form.
  bool unique = !text;
  for (uint32_t i = 0; unique && i < n; ++i)
    unique = postings.starts[i + 1] - postings.starts[i] == 1;
  m["sum_df"] = postings.docs.size();
  m["unique"] = unique;
  if (text) m["freqs_codec"] = "packed2";
  w_.align();
  m["postings"] = w_.offset();
  if (unique) {
    w_.put_bytes(postings.docs.data(), postings.docs.size() * 4);
    return;
  }
  uint64_t table = w_.offset();
  for (uint32_t i = 0; i <= n; ++i) w_.put<uint64_t>(0);
  std::string frozen;
  for (uint32_t i = 0; i < n; ++i) {
    const std::span<const uint32_t> d = postings.of(i);
    uint64_t off = w_.offset();
    std::memcpy(w_.raw().data() + table + 8 * i, &off, 8);
    uint32_t card = static_cast<uint32_t>(d.size());
    if (card == 1) {  // inline in the table: bit 63 | freq << 32 | doc
      uint64_t f = text ? postings.freqs_of(i)[0] : 1;
      uint64_t inline_entry = (uint64_t{1} << 63) | (f << 32) | d[0];
      std::memcpy(w_.raw().data() + table + 8 * i, &inline_entry, 8);
      continue;
    }
    w_.put<uint32_t>(card);
    if (card <= kArrayPostingMax) {
      w_.put<uint32_t>(0);
      w_.put<uint32_t>(0);
      w_.put<uint32_t>(0);
      w_.put_bytes(d.data(), d.size() * 4);
    } else {
      Bitmap b = Bitmap::from_sorted(d.data(), d.size());
      b.optimize();
      frozen.assign(b.frozen_size(), '\0');
      b.frozen_serialize(frozen.data());
      w_.put<uint32_t>(1);
      w_.put<uint32_t>(static_cast<uint32_t>(frozen.size()));
      w_.put<uint32_t>(0);
      w_.align();
      w_.put_bytes(frozen);
    }
    if (text) write_packed_freqs(w_, postings.freqs_of(i));
    w_.align(4);
  }
  uint64_t end = w_.offset();
  std::memcpy(w_.raw().data() + table + 8 * n, &end, 8);
}

void SegmentWriter::write_norms(json::object& m, const std::vector<uint8_t>& norms) {
  w_.align();
  m["norms"] = w_.offset();
  w_.put_bytes(norms.data(), norms.size());
  uint8_t shortest = 255;  // of the docs holding the field (0 = none)
  for (uint8_t n : norms)
    if (n != 0 && n < shortest) shortest = n;
  m["min_norm"] = shortest;
}

void SegmentWriter::write_exists(json::object& m, const std::vector<uint32_t>& sorted_docs) {
  Bitmap b = Bitmap::from_sorted(sorted_docs.data(), sorted_docs.size());
  b.optimize();
  w_.align();
  m["exists"] = w_.offset();
  m["exists_len"] = b.frozen_size();
  std::string buf(b.frozen_size(), '\0');
  b.frozen_serialize(buf.data());
  w_.put_bytes(buf);
  m["docs_with_field"] = sorted_docs.size();
}

namespace {

size_t width_for(uint64_t max_raw) {
  if (max_raw < 0xFF) return 1;
  if (max_raw < 0xFFFF) return 2;
  if (max_raw < 0xFFFFFFFFull) return 4;
  return 8;
}

void put_width(ByteWriter& w, uint64_t v, size_t width) {
  switch (width) {
    case 1:
      w.put<uint8_t>(static_cast<uint8_t>(v));
      break;
    case 2:
      w.put<uint16_t>(static_cast<uint16_t>(v));
      break;
    case 4:
      w.put<uint32_t>(static_cast<uint32_t>(v));
      break;
    default:
      w.put<uint64_t>(v);
      break;
  }
}

}  // namespace

// Ordinals are stored in 1, 2 or 4 bytes (all ones = no value); integers as the
// offset from the column's minimum in 1-8 bytes (single-valued: offset + 1, 0 = no
// value); doubles as 8 bytes (no value: 0, with the exists bitmap deciding).
template <typename T>
void SegmentWriter::write_column(json::object& m, uint32_t doc_count,
                                 const std::vector<uint32_t>& docs, const std::vector<T>& values,
                                 T missing) {
  bool single = true;
  for (size_t i = 1; i < docs.size(); ++i) {
    if (docs[i] == docs[i - 1]) {
      single = false;
      break;
    }
  }
  size_t width = sizeof(T);
  uint64_t base = 0;
  if constexpr (std::is_same_v<T, uint32_t>) {
    uint64_t max_ord = 0;
    for (T v : values) max_ord = std::max<uint64_t>(max_ord, v);
    width = std::min<size_t>(4, width_for(max_ord + 1));
  } else if constexpr (std::is_same_v<T, int64_t>) {
    if (!values.empty()) {
      auto [mn, mx] = std::minmax_element(values.begin(), values.end());
      base = static_cast<uint64_t>(*mn);
      width = width_for(static_cast<uint64_t>(*mx) - base + 1);
    }
    m["dv_base"] = static_cast<int64_t>(base);
  }
  m["dv_width"] = width;
  auto encode = [&](T v, bool present_offset) -> uint64_t {
    if constexpr (std::is_same_v<T, uint32_t>) {
      return v == UINT32_MAX ? (width == 4 ? 0xFFFFFFFFull : (uint64_t{1} << (8 * width)) - 1) : v;
    } else if constexpr (std::is_same_v<T, int64_t>) {
      return static_cast<uint64_t>(v) - base + (present_offset ? 1 : 0);
    } else {
      uint64_t bits;
      std::memcpy(&bits, &v, 8);
      return bits;
    }
  };
  w_.align();
  if (single) {
    m["dv_mode"] = "single";
    m["dv_values"] = w_.offset();
    std::vector<T> col(doc_count, missing);
    std::vector<bool> present(std::is_same_v<T, int64_t> ? doc_count : 0, false);
    for (size_t i = 0; i < docs.size(); ++i) {
      col[docs[i]] = values[i];
      if constexpr (std::is_same_v<T, int64_t>) present[docs[i]] = true;
    }
    for (uint32_t d = 0; d < doc_count; ++d) {
      if constexpr (std::is_same_v<T, int64_t>) {
        put_width(w_, present[d] ? encode(col[d], true) : 0, width);
      } else {
        put_width(w_, encode(col[d], false), width);
      }
    }
  } else {
    m["dv_mode"] = "multi";
    std::vector<uint32_t> starts(doc_count + 1, 0);
    for (uint32_t d : docs) ++starts[d + 1];
    for (uint32_t i = 0; i < doc_count; ++i) starts[i + 1] += starts[i];
    m["dv_starts"] = w_.offset();
    w_.put_bytes(starts.data(), starts.size() * 4);
    w_.align();
    m["dv_values"] = w_.offset();
    for (T v : values) put_width(w_, encode(v, false), width);
  }
}

template void SegmentWriter::write_column<uint32_t>(json::object&, uint32_t,
                                                    const std::vector<uint32_t>&,
                                                    const std::vector<uint32_t>&, uint32_t);
template void SegmentWriter::write_column<int64_t>(json::object&, uint32_t,
                                                   const std::vector<uint32_t>&,
                                                   const std::vector<int64_t>&, int64_t);
template void SegmentWriter::write_column<double>(json::object&, uint32_t,
                                                  const std::vector<uint32_t>&,
                                                  const std::vector<double>&, double);

SegmentBytes SegmentWriter::finish(uint32_t doc_count, StoredFieldsWriter& stored) {
  StoredFieldsLayout sl = stored.write(w_);
  json::object meta;
  meta["doc_count"] = doc_count;
  meta["fields"] = std::move(fields_);
  meta["stored"] = json::object{{"n_blocks", sl.n_blocks},
                                {"first_doc", sl.first_doc_offset},
                                {"block_offsets", sl.block_offset_offset}};
  std::string meta_text = json::serialize(meta);
  w_.align();
  uint64_t meta_off = w_.offset();
  w_.put_bytes(meta_text);
  w_.align(8);
  w_.put<uint64_t>(meta_off);
  w_.put<uint64_t>(meta_text.size());
  w_.put<uint32_t>(crc32c(meta_text.data(), meta_text.size()));
  w_.put<uint32_t>(0);
  w_.put_bytes(kSegmentEndMagic, 8);
  return std::move(bytes_);
}

}  // namespace comptoir::engine
