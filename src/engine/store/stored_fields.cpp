// Stored fields writer and reader (format in stored_fields.h).
#include "engine/store/stored_fields.h"

#include <zstd.h>

#include <algorithm>

namespace comptoir::engine {

namespace {
constexpr size_t kBlockTarget = 16 * 1024;
}

StoredFieldsWriter::StoredFieldsWriter(int level)
    : level_(level), cctx_(ZSTD_createCCtx()), compressor_(level) {}
StoredFieldsWriter::~StoredFieldsWriter() {
  ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(cctx_));
}

void StoredFieldsWriter::add(std::string_view id, std::string_view source) {
  if (block_docs_ == 0) first_doc_.push_back(docs_);
  uint32_t il = static_cast<uint32_t>(id.size()), sl = static_cast<uint32_t>(source.size());
  lens_.append(reinterpret_cast<const char*>(&il), 4);
  lens_.append(reinterpret_cast<const char*>(&sl), 4);
  text_.append(id);
  text_.append(source);
  ++block_docs_;
  ++docs_;
  if (text_.size() + lens_.size() >= kBlockTarget) seal_block(false);
}

void StoredFieldsWriter::add_compressed_block(std::string_view frame, uint32_t docs) {
  seal_block(false);
  first_doc_.push_back(docs_);
  compressor_.push_frame(std::string(frame));
  docs_ += docs;
}

void StoredFieldsWriter::seal_block(bool last) {
  if (block_docs_ == 0) return;
  std::string raw;
  raw.reserve(4 + lens_.size() + text_.size());
  raw.append(reinterpret_cast<const char*>(&block_docs_), 4);
  raw.append(lens_);
  raw.append(text_);
  // A segment of one block (small refreshes) is compressed here: no worker to start.
  if (last && compressor_.empty()) {
    compressor_.push_frame(zstd_compress(cctx_, raw, level_));
  } else {
    compressor_.push_raw(std::move(raw));
  }
  lens_.clear();
  text_.clear();
  block_docs_ = 0;
}

StoredFieldsLayout StoredFieldsWriter::write(ByteWriter& out) {
  seal_block(true);
  const std::vector<std::string> frames = compressor_.take_frames();
  StoredFieldsLayout layout;
  layout.n_blocks = static_cast<uint32_t>(frames.size());
  out.align();
  std::vector<uint64_t> starts;
  starts.reserve(frames.size() + 1);
  for (const std::string& f : frames) {
    starts.push_back(out.offset());
    out.put_bytes(f);
  }
  starts.push_back(out.offset());
  out.align(8);
  layout.first_doc_offset = out.offset();
  for (uint32_t f : first_doc_) out.put<uint32_t>(f);
  out.put<uint32_t>(docs_);
  out.align(8);
  layout.block_offset_offset = out.offset();
  for (uint64_t s : starts) out.put<uint64_t>(s);
  first_doc_.clear();
  docs_ = 0;
  return layout;
}

Result<std::string_view> StoredFieldsReader::compressed_block(uint32_t b) const {
  uint64_t start = load_le<uint64_t>(base_ + layout_.block_offset_offset + 8 * b);
  uint64_t end = load_le<uint64_t>(base_ + layout_.block_offset_offset + 8 * (b + 1));
  if (end < start || end > size_) return Error::corruption("stored block out of bounds");
  return std::string_view(base_ + start, end - start);
}

Status StoredFieldsReader::read_block(uint32_t b, std::string& out) const {
  auto frame = compressed_block(b);
  if (!frame) return frame.error();
  const char* data = frame->data();
  const size_t size = frame->size();
  unsigned long long raw_size = ZSTD_getFrameContentSize(data, size);
  if (raw_size == ZSTD_CONTENTSIZE_ERROR || raw_size == ZSTD_CONTENTSIZE_UNKNOWN)
    return Error::corruption("stored block is not a zstd frame");
  out.resize(raw_size);
  size_t n = ZSTD_decompress(out.data(), out.size(), data, size);
  if (ZSTD_isError(n) || n != raw_size)
    return Error::corruption("stored block does not decompress");
  return {};
}

Result<StoredDoc> StoredFieldsReader::get(uint32_t doc, StoredBlockCache* cache) const {
  const char* fd = base_ + layout_.first_doc_offset;
  // Binary search the block whose range holds doc.
  uint32_t lo = 0, hi = layout_.n_blocks;
  while (hi - lo > 1) {
    uint32_t mid = (lo + hi) / 2;
    if (load_le<uint32_t>(fd + 4 * mid) <= doc) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  if (layout_.n_blocks == 0) return Error::not_found("no stored documents");
  std::string local;
  const std::string* bp = &local;
  if (cache != nullptr && cache->owner == this && cache->block == lo) {
    bp = &cache->data;
  } else if (cache != nullptr) {
    cache->owner = nullptr;
    COMPTOIR_TRY(read_block(lo, cache->data));
    cache->owner = this;
    cache->block = lo;
    bp = &cache->data;
  } else {
    COMPTOIR_TRY(read_block(lo, local));
  }
  const std::string& block = *bp;
  uint32_t first = load_le<uint32_t>(fd + 4 * lo);
  uint32_t count = load_le<uint32_t>(block.data());
  uint32_t i = doc - first;
  if (doc < first || i >= count) return Error::not_found("doc not in stored block");
  size_t pos = 4 + 8 * size_t(count);
  for (uint32_t k = 0; k < i; ++k)
    pos +=
        load_le<uint32_t>(block.data() + 4 + 8 * k) + load_le<uint32_t>(block.data() + 8 + 8 * k);
  uint32_t il = load_le<uint32_t>(block.data() + 4 + 8 * i);
  uint32_t sl = load_le<uint32_t>(block.data() + 8 + 8 * i);
  if (pos + il + sl > block.size()) return Error::corruption("stored block truncated");
  return StoredDoc{block.substr(pos, il), block.substr(pos + il, sl)};
}

}  // namespace comptoir::engine
