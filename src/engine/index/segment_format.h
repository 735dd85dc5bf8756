// The segment file format, shared by SegmentWriter (segment_writer.cpp) and
// SegmentReader. Little-endian; every section starts on a 32-byte boundary (frozen
// roaring views need it); a segment is read in place from a heap buffer or an mmap.
//
//   "CMPTSEG1" | sections ... | meta (JSON) | footer
//   footer (32 bytes) = u64 meta_offset | u64 meta_length | u32 crc32c(meta) | u32 0 | "CMPTEND1"
//
// Sections, located by offsets in meta, per field:
//   terms      u32 n | u32 offsets[n+1] (into the blob) | blob: sorted terms, back to back;
//              or, when the field meta says "terms_codec": "blocks" (large dictionaries,
//              "terms_bytes" long), front-coded zstd blocks: see term_blocks.h. Segments
//              without the key (all those written before it existed) are plain.
//   postings   u64 entry[n+1] (absolute offsets; bit 63 set = one doc inline: freq << 32 | doc);
//              entry = u32 card | u32 kind | u32 frozen_len | u32 0 |
//              kind 0: u32 docs[card]; kind 1: pad to 32 | frozen roaring | then, text only,
//              the frequencies (clamped at 255) of the docs in doc order: u8 freqs[card],
//              or, when the field meta says "freqs_codec": "packed2", u8 codes[(card+3)/4]
//              (2 bits per doc, low bits first: frequency - 1, 3 = an exception) | u32 n
//              | u32 index[n] (ascending) | u8 freq[n]. Unique fields (_id): u32 doc[n].
//   norms      u8[doc_count], Lucene SmallFloat-encoded field lengths (text)
//   exists     frozen roaring of the docs with a value
//   doc values single: values[doc_count]; multi: u32 starts[doc_count+1] | values[].
//              keyword ordinals: 1/2/4 bytes (all ones = none); integers: value - dv_base in
//              1/2/4/8 bytes (single-valued: + 1, 0 = none); doubles: 8 bytes.
//   stored     see store/stored_fields.h
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/index/segment_bytes.h"

namespace comptoir::engine {

inline constexpr char kSegmentMagic[8] = {'C', 'M', 'P', 'T', 'S', 'E', 'G', '1'};
inline constexpr char kSegmentEndMagic[8] = {'C', 'M', 'P', 'T', 'E', 'N', 'D', '1'};
inline constexpr size_t kSegmentFooterSize = 32;
inline constexpr size_t kSectionAlign = 32;

template <typename T>
inline T load_le(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Appends sections to a segment's growing bytes, keeping the alignment invariant.
class ByteWriter {
 public:
  explicit ByteWriter(SegmentBytes& out) : out_(out) {}
  uint64_t offset() const { return out_.size(); }
  void align(size_t a = kSectionAlign) {
    while (out_.size() % a != 0) out_.push_back('\0');
  }
  template <typename T>
  void put(T v) {
    out_.append(&v, sizeof(T));
  }
  void put_bytes(const void* p, size_t n) { out_.append(p, n); }
  void put_bytes(std::string_view s) { out_.append(s); }
  SegmentBytes& raw() { return out_; }

 private:
  SegmentBytes& out_;
};

// CRC32C (Castagnoli), used by the WAL and the segment footer.
uint32_t crc32c(const void* data, size_t n, uint32_t crc = 0);

// Lucene's SmallFloat.intToByte4 / byte4ToInt: field lengths in one byte, exact up to 23.
uint8_t encode_norm(uint32_t length);
uint32_t decode_norm(uint8_t norm);

}  // namespace comptoir::engine
