// TermBlocks: the block-compressed form of a term dictionary (a field's meta says
// "terms_codec": "blocks"), written for large dictionaries only. Sorted terms are cut into
// blocks of ~kBlockBytes; inside a block each term after the first is front coded against
// the one before it, and the block is zstd-compressed (with a dictionary of sample terms
// shared by the field's blocks) when that saves at least an eighth. Every block keeps its
// first term in the clear, so a lookup binary-searches first terms and decodes one block.
// The checksum covers a block's decoded terms: damage to its bytes, to the zstd
// dictionary or to the block index is found when the block is read.
//
//   u32 n_terms | u32 n_blocks | u32 blob_size (sum of term lengths) | u32 zdict_len
//   | u32 first_term[n_blocks + 1] (term number of each block's first term; last = n_terms)
//   | u32 block_start[n_blocks + 1] (from the start of the blocks; last = their length)
//   | zdict (zdict_len bytes, 0 = none: a zstd dictionary, with entropy tables learnt from
//     sampled payloads, or raw content behind a zero byte) | blocks
//   block = u32 crc32c(first term, decoded payload) | varint first_len | first term
//           | u8 codec (0 plain, 1 zstd frame with its content size) | payload
//   payload, decoded: per further term, varint shared prefix | varint suffix length | suffix
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/index/segment_format.h"
#include "util/result.h"

struct ZSTD_DDict_s;  // zstd.h's ZSTD_DDict

namespace comptoir::engine {

// Raised by a read that meets a block failing its checks. The dictionary accessors return
// views and term numbers (no error channel), and a bad block means the bytes on disk
// changed under a valid meta: the query stops with this error instead of answering from
// garbage. Callers that run on their own thread (merges, parallel aggregations) catch it.
class SegmentCorruption : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The blocks form of `terms` (sorted, term lengths summing to < 4 GiB).
std::string encode_term_blocks(const std::vector<std::string_view>& terms);
// Writes the blocks form of `terms` if it is worth it: at least kMinBlobBytes of terms and
// smaller than the plain form. Returns false (and writes nothing) otherwise.
bool write_term_blocks(ByteWriter& w, const std::vector<std::string_view>& terms);

class TermBlocks {
 public:
  // Plain dictionaries below this size are left alone: the keyword fields with a few
  // hundred values (Level, Service) keep their zero-decode reads.
  static constexpr uint64_t kMinBlobBytes = 64 * 1024;
  // Raw term bytes per block, about: on the 1M-document bench, 2 KiB blocks answer a
  // Message.keyword term query in 59-75 us against 130-160 us for 4 KiB ones, for the same
  // size (the shared zstd dictionary keeps small blocks compressing well); 1 KiB is 5%
  // bigger and no faster.
  static constexpr size_t kBlockBytes = 2048;
  static constexpr uint32_t kMaxBlockTerms = 128;

  // Checks the header and block index against the `size` bytes at `p` (no block decoded).
  static Result<TermBlocks> open(const char* p, size_t size);

  uint32_t term_count() const { return n_terms_; }
  uint32_t blob_size() const { return blob_size_; }
  // The first term >= t; `*equal` tells whether it is t. Decodes one block.
  uint32_t lower_bound(std::string_view t, bool* equal) const;
  // Appends term number i (< term_count()) to `out`. Decodes one block.
  void append_term(uint32_t i, std::string& out) const;
  // Every term back to back, and n_terms + 1 starts into those bytes.
  void decode_all(std::string& bytes, std::vector<uint32_t>& starts) const;

 private:
  const char* p_ = nullptr;
  uint32_t n_terms_ = 0, n_blocks_ = 0, blob_size_ = 0;
  const char* first_term_ = nullptr;
  const char* block_start_ = nullptr;
  std::string_view zdict_;
  // zdict_ prepared for decompression (its entropy tables decoded once, not per block);
  // null if there is none or zstd refused it (a block read then reports the damage).
  std::shared_ptr<ZSTD_DDict_s> ddict_;
  const char* blocks_ = nullptr;

  std::string_view first_term(uint32_t b, const char** after) const;
  // The front-coded payload of block b (`after` its first term), as stored or decompressed
  // into `scratch`, checked against the block's checksum.
  std::string_view payload(uint32_t b, std::string_view first, const char* after,
                           std::string& scratch) const;
  std::string_view decompress(uint32_t b, std::string_view frame, std::string& scratch) const;
  // The term after `cur` in block b's decoded payload, read at *p (before e) into cur.
  void next_term(uint32_t b, const char** p, const char* e, std::string& cur) const;
  [[noreturn]] void corrupt(uint32_t b, const char* what) const;
};

}  // namespace comptoir::engine
