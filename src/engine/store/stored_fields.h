// Stored fields: each document's _id and original _source, in zstd-compressed blocks of
// about 16 KiB so that fetching a hit decompresses one small block.
//
//   blocks | u32 first_doc[n_blocks+1] | u64 block_offset[n_blocks+1] (absolute)
//   block (zstd frame) = u32 count | (u32 id_len, u32 source_len)[count] | ids+sources
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/index/segment_format.h"
#include "engine/store/block_compressor.h"
#include "util/result.h"

namespace comptoir::engine {

struct StoredDoc {
  std::string id;
  std::string source;
};

struct StoredFieldsLayout {
  uint32_t n_blocks = 0;
  uint64_t first_doc_offset = 0;
  uint64_t block_offset_offset = 0;
};

// Streams documents into blocks as they are added; each full block is compressed on a
// worker thread (BlockCompressor) while the next fills, or, while helped, by another
// thread's help_compress() calls. Writes the section.
class StoredFieldsWriter {
 public:
  // zstd level 1: on every file of ../shared/data uploaded (56,502 documents), stored
  // blocks of 23.3 bytes a document against 23.1 at level 3, for 13% less compression work.
  explicit StoredFieldsWriter(int level = 1);
  ~StoredFieldsWriter();
  StoredFieldsWriter(const StoredFieldsWriter&) = delete;
  StoredFieldsWriter& operator=(const StoredFieldsWriter&) = delete;

  void add(std::string_view id, std::string_view source);
  // Appends a block another writer compressed (a zstd frame of `docs` documents), as is:
  // merges copy the blocks of segments without deletes instead of recompressing them.
  void add_compressed_block(std::string_view frame, uint32_t docs);
  uint32_t doc_count() const { return docs_; }
  // Sealed blocks compressed by another busy thread's help() instead of a worker of
  // their own (BlockCompressor's helped mode), while `helped`.
  void set_compression_helped(bool helped) { compressor_.set_helped(helped); }
  bool help_compress() { return compressor_.help(); }
  // Writes the section; the writer is then empty again.
  StoredFieldsLayout write(ByteWriter& out);

 private:
  // Closes the open block; `last`: the section is being written.
  void seal_block(bool last);

  int level_;
  void* cctx_;  // ZSTD_CCtx, for a last block compressed on the caller's thread
  BlockCompressor compressor_;
  std::vector<uint32_t> first_doc_;
  std::string lens_, text_;  // the open block
  uint32_t block_docs_ = 0, docs_ = 0;
};

// The last decompressed block, reused while consecutive reads hit the same block.
struct StoredBlockCache {
  const void* owner = nullptr;
  uint32_t block = UINT32_MAX;
  std::string data;
};

class StoredFieldsReader {
 public:
  StoredFieldsReader() = default;
  StoredFieldsReader(const char* base, size_t size, StoredFieldsLayout layout)
      : base_(base), size_(size), layout_(layout) {}
  Result<StoredDoc> get(uint32_t doc, StoredBlockCache* cache = nullptr) const;
  uint32_t block_count() const { return layout_.n_blocks; }
  // Block b's documents: [block_first_doc(b), block_first_doc(b + 1)).
  uint32_t block_first_doc(uint32_t b) const {
    return load_le<uint32_t>(base_ + layout_.first_doc_offset + 4 * b);
  }
  // Block b as stored (a zstd frame).
  Result<std::string_view> compressed_block(uint32_t b) const;
  // Calls f(doc, id, source) for every document of block b.
  template <typename F>
  Status for_each_in_block(uint32_t b, F&& f) const {
    std::string block;
    COMPTOIR_TRY(read_block(b, block));
    const uint32_t first = block_first_doc(b);
    const uint32_t count = load_le<uint32_t>(block.data());
    size_t pos = 4 + 8 * size_t(count);
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t il = load_le<uint32_t>(block.data() + 4 + 8 * i);
      uint32_t sl = load_le<uint32_t>(block.data() + 8 + 8 * i);
      f(first + i, std::string_view(block.data() + pos, il),
        std::string_view(block.data() + pos + il, sl));
      pos += il + sl;
    }
    return {};
  }
  // Calls f(doc, id, source) for every document (merges, replays).
  template <typename F>
  Status for_each(F&& f) const {
    for (uint32_t b = 0; b < layout_.n_blocks; ++b) COMPTOIR_TRY(for_each_in_block(b, f));
    return {};
  }

 private:
  Status read_block(uint32_t b, std::string& out) const;

  const char* base_ = nullptr;
  size_t size_ = 0;
  StoredFieldsLayout layout_;
};

}  // namespace comptoir::engine
