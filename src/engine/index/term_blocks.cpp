// Block-compressed term dictionaries (term_blocks.h): writer, lookup and full decode.
#include "engine/index/term_blocks.h"

#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <memory>

#include "util/prefetch.h"

namespace comptoir::engine {

namespace {

// Level 3 saves 4% more on Message.keyword-like dictionaries (30.5 instead of 31.8 bytes a
// term) for a third more time, paid by every refresh: level 1.
constexpr int kZstdLevel = 1;
// Sample terms the frames may copy from: small blocks then compress about as well as a
// whole dictionary would (a block alone cannot learn a field's vocabulary).
constexpr size_t kZdictBytes = 16 * 1024;
// Payloads the dictionary's entropy tables are learnt from. With tables in the
// dictionary, a 2 KiB block no longer builds its own Huffman and FSE tables: on 200k
// Message-like terms, compressing takes 350 instead of 500 ns a term, the blocks are 5%
// smaller and decompress in 2.8 instead of 4.2 us (with a prepared ZSTD_DDict).
constexpr size_t kTableSamples = 64;
constexpr size_t kHeaderBytes = 16;

template <typename Out>
void put_varint(Out& out, uint32_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Reads a varint from [*p, end); false if it runs past `end` or past 32 bits.
bool get_varint(const char** p, const char* end, uint32_t* v) {
  uint32_t r = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (*p == end) return false;
    const auto byte = static_cast<uint8_t>(*(*p)++);
    r |= uint32_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) {
      *v = r;
      return true;
    }
  }
  return false;
}

size_t shared_prefix(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

struct ZstdDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
  void operator()(ZSTD_CDict* c) const { ZSTD_freeCDict(c); }
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
  void operator()(ZSTD_DDict* d) const { ZSTD_freeDDict(d); }
};

// Evenly spaced terms, behind a zero byte: zstd reads a dictionary that does not start
// with its dictionary magic as raw content, which frames may copy from.
std::string sample_terms(const std::vector<std::string_view>& terms, uint64_t blob) {
  const size_t target = static_cast<size_t>(std::min<uint64_t>(kZdictBytes, blob / 16));
  if (target < 1024) return {};
  std::string d(1, '\0');
  const size_t avg = std::max<size_t>(1, blob / terms.size());
  const size_t step = std::max<size_t>(1, terms.size() / std::max<size_t>(1, target / avg));
  for (size_t i = step / 2; i < terms.size() && d.size() < target; i += step)
    d.append(terms[i].substr(0, target - d.size()));
  return d;
}

// Blocks' front-coded payloads, back to back: block b's is [end[b - 1], end[b]).
struct Payloads {
  std::string bytes;
  std::vector<size_t> end;
  size_t count() const { return end.size(); }
  std::string_view of(size_t b) const {
    const size_t begin = b == 0 ? 0 : end[b - 1];
    return std::string_view(bytes).substr(begin, end[b] - begin);
  }
};

// A zstd dictionary: the sampled terms as content, behind a header with entropy tables
// learnt from sampled payloads. Empty if zstd cannot build one (the raw content is then
// used as it is). The dictionary id is fixed, and left out of the frames.
std::string finalize_dictionary(std::string_view content, const Payloads& payloads) {
  std::string samples;
  std::vector<size_t> sizes;
  const size_t step = std::max<size_t>(1, payloads.count() / kTableSamples);
  for (size_t i = step / 2; i < payloads.count(); i += step) {
    samples.append(payloads.of(i));
    sizes.push_back(payloads.of(i).size());
  }
  if (sizes.empty()) return {};
  std::string dict(content.size() + 4096, '\0');
  ZDICT_params_t params{};
  params.compressionLevel = kZstdLevel;
  params.dictID = 1;
  const size_t n = ZDICT_finalizeDictionary(dict.data(), dict.size(), content.data(),
                                            content.size(), samples.data(), sizes.data(),
                                            static_cast<unsigned>(sizes.size()), params);
  if (ZDICT_isError(n)) return {};
  dict.resize(n);
  return dict;
}

// Appends the blocks form of `terms` (term lengths summing to `blob`) to `out`. Frames
// are compressed straight into `out`, and the block index is filled in once they are.
void append_term_blocks(SegmentBytes& out, const std::vector<std::string_view>& terms,
                        uint64_t blob) {
  const uint32_t n = static_cast<uint32_t>(terms.size());
  // Blocks' first terms and front-coded payloads, before anything is compressed: the
  // dictionary's tables are learnt from some of them.
  std::vector<uint32_t> first_term;
  Payloads payloads;
  payloads.bytes.reserve(blob + blob / 8);  // front coding adds two varints a term
  for (uint32_t i = 0; i < n;) {
    first_term.push_back(i);
    size_t raw = terms[i].size();
    uint32_t j = i + 1;
    for (; j < n && j - i < TermBlocks::kMaxBlockTerms && raw < TermBlocks::kBlockBytes; ++j) {
      if (j + kTermPrefetchDistance < n) prefetch_term(terms[j + kTermPrefetchDistance]);
      const size_t shared = shared_prefix(terms[j - 1], terms[j]);
      put_varint(payloads.bytes, static_cast<uint32_t>(shared));
      put_varint(payloads.bytes, static_cast<uint32_t>(terms[j].size() - shared));
      payloads.bytes.append(terms[j].substr(shared));
      raw += terms[j].size();
    }
    payloads.end.push_back(payloads.bytes.size());
    i = j;
  }
  std::string zdict = sample_terms(terms, blob);
  if (!zdict.empty()) {
    std::string tables = finalize_dictionary(std::string_view(zdict).substr(1), payloads);
    if (!tables.empty()) zdict = std::move(tables);
  }
  std::unique_ptr<ZSTD_CCtx, ZstdDeleter> cctx(ZSTD_createCCtx());
  std::unique_ptr<ZSTD_CDict, ZstdDeleter> cdict;
  if (!zdict.empty()) cdict.reset(ZSTD_createCDict(zdict.data(), zdict.size(), kZstdLevel));
  if (cdict) {
    ZSTD_CCtx_refCDict(cctx.get(), cdict.get());
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_dictIDFlag, 0);
  }
  const uint32_t n_blocks = static_cast<uint32_t>(first_term.size());
  first_term.push_back(n);
  out.reserve(out.size() + kHeaderBytes + 8 * (size_t{n_blocks} + 1) + zdict.size() +
              payloads.bytes.size() / 2);
  ByteWriter w(out);
  w.put<uint32_t>(n);
  w.put<uint32_t>(n_blocks);
  w.put<uint32_t>(static_cast<uint32_t>(blob));
  w.put<uint32_t>(static_cast<uint32_t>(zdict.size()));
  w.put_bytes(first_term.data(), 4 * first_term.size());
  const size_t block_index = out.size();
  out.resize(block_index + 4 * (size_t{n_blocks} + 1));
  w.put_bytes(zdict);
  const size_t blocks = out.size();
  std::vector<uint32_t> block_start;
  block_start.reserve(size_t{n_blocks} + 1);
  for (uint32_t b = 0; b < n_blocks; ++b) {
    block_start.push_back(static_cast<uint32_t>(out.size() - blocks));
    const std::string_view first = terms[first_term[b]];
    const std::string_view payload = payloads.of(b);
    const uint32_t crc = crc32c(payload.data(), payload.size(), crc32c(first.data(), first.size()));
    w.put<uint32_t>(crc);
    put_varint(out, static_cast<uint32_t>(first.size()));
    w.put_bytes(first);
    const size_t codec_at = out.size();
    out.push_back(0);
    if (payload.size() >= 64) {
      const size_t bound = ZSTD_compressBound(payload.size());
      char* frame = out.tail(bound);
      const size_t z =
          cdict ? ZSTD_compress2(cctx.get(), frame, bound, payload.data(), payload.size())
                : ZSTD_compressCCtx(cctx.get(), frame, bound, payload.data(), payload.size(),
                                    kZstdLevel);
      if (!ZSTD_isError(z) && z <= payload.size() - payload.size() / 8) {
        out.commit(z);
        out.data()[codec_at] = 1;
        continue;
      }
    }
    w.put_bytes(payload);
  }
  block_start.push_back(static_cast<uint32_t>(out.size() - blocks));
  std::memcpy(out.data() + block_index, block_start.data(), 4 * block_start.size());
}

}  // namespace

std::string encode_term_blocks(const std::vector<std::string_view>& terms) {
  uint64_t blob = 0;
  for (std::string_view t : terms) blob += t.size();
  SegmentBytes out;
  append_term_blocks(out, terms, blob);
  return out.str();
}

bool write_term_blocks(ByteWriter& w, const std::vector<std::string_view>& terms) {
  uint64_t blob = 0;
  for (std::string_view t : terms) blob += t.size();
  // Block offsets are u32; a dictionary this large is far past any segment we write.
  if (blob < TermBlocks::kMinBlobBytes || blob > UINT32_MAX / 2) return false;
  const size_t start = w.offset();
  append_term_blocks(w.raw(), terms, blob);
  const uint64_t plain = 4 + 4 * (uint64_t{terms.size()} + 1) + blob;
  if (w.offset() - start < plain) return true;
  w.raw().resize(start);
  return false;
}

Result<TermBlocks> TermBlocks::open(const char* p, size_t size) {
  if (size < kHeaderBytes) return Error::corruption("term blocks: header truncated");
  TermBlocks t;
  t.p_ = p;
  t.n_terms_ = load_le<uint32_t>(p);
  t.n_blocks_ = load_le<uint32_t>(p + 4);
  t.blob_size_ = load_le<uint32_t>(p + 8);
  const uint32_t zdict_len = load_le<uint32_t>(p + 12);
  const uint64_t index_end = kHeaderBytes + 8 * (uint64_t{t.n_blocks_} + 1);
  if (index_end + zdict_len > size || t.n_blocks_ > t.n_terms_ ||
      (t.n_blocks_ == 0) != (t.n_terms_ == 0))
    return Error::corruption("term blocks: block index truncated");
  t.first_term_ = p + kHeaderBytes;
  t.block_start_ = t.first_term_ + 4 * (size_t{t.n_blocks_} + 1);
  t.zdict_ = std::string_view(p + index_end, zdict_len);
  if (zdict_len > 0) {
    if (ZSTD_DDict* d = ZSTD_createDDict(t.zdict_.data(), t.zdict_.size()))
      t.ddict_ = std::shared_ptr<ZSTD_DDict>(d, ZstdDeleter{});
  }
  t.blocks_ = p + index_end + zdict_len;
  const uint64_t area = size - index_end - zdict_len;
  // Every block holds at least one term and lies inside the section.
  if (load_le<uint32_t>(t.first_term_) != 0 || load_le<uint32_t>(t.block_start_) != 0 ||
      load_le<uint32_t>(t.first_term_ + 4 * size_t{t.n_blocks_}) != t.n_terms_ ||
      load_le<uint32_t>(t.block_start_ + 4 * size_t{t.n_blocks_}) > area)
    return Error::corruption("term blocks: bad block index");
  for (uint32_t b = 0; b < t.n_blocks_; ++b) {
    if (load_le<uint32_t>(t.first_term_ + 4 * size_t{b}) >=
            load_le<uint32_t>(t.first_term_ + 4 * (size_t{b} + 1)) ||
        load_le<uint32_t>(t.block_start_ + 4 * size_t{b}) + 4 >
            load_le<uint32_t>(t.block_start_ + 4 * (size_t{b} + 1)))
      return Error::corruption("term blocks: bad block index");
  }
  return t;
}

void TermBlocks::corrupt(uint32_t b, const char* what) const {
  throw SegmentCorruption("segment term dictionary: block " + std::to_string(b) + " of " +
                          std::to_string(n_blocks_) + " " + what);
}

std::string_view TermBlocks::first_term(uint32_t b, const char** after) const {
  const char* p = blocks_ + load_le<uint32_t>(block_start_ + 4 * size_t{b}) + 4;
  const char* end = blocks_ + load_le<uint32_t>(block_start_ + 4 * (size_t{b} + 1));
  uint32_t len = 0;
  if (!get_varint(&p, end, &len) || len >= static_cast<size_t>(end - p))
    corrupt(b, "has a bad first term");
  *after = p + len;
  return std::string_view(p, len);
}

std::string_view TermBlocks::payload(uint32_t b, std::string_view first, const char* after,
                                     std::string& scratch) const {
  const char* start = blocks_ + load_le<uint32_t>(block_start_ + 4 * size_t{b});
  const char* end = blocks_ + load_le<uint32_t>(block_start_ + 4 * (size_t{b} + 1));
  const auto codec = static_cast<uint8_t>(*after);
  const char* data = after + 1;
  const size_t size = static_cast<size_t>(end - data);
  std::string_view out;
  if (codec == 0) {
    out = std::string_view(data, size);
  } else if (codec == 1) {
    out = decompress(b, std::string_view(data, size), scratch);
  } else {
    corrupt(b, "has an unknown codec");
  }
  if (crc32c(out.data(), out.size(), crc32c(first.data(), first.size())) !=
      load_le<uint32_t>(start))
    corrupt(b, "fails its checksum");
  return out;
}

std::string_view TermBlocks::decompress(uint32_t b, std::string_view frame,
                                        std::string& scratch) const {
  const char* data = frame.data();
  const size_t size = frame.size();
  const unsigned long long raw = ZSTD_getFrameContentSize(data, size);
  // A front-coded block is never larger than its terms plus two 5-byte varints per term.
  if (raw == ZSTD_CONTENTSIZE_ERROR || raw == ZSTD_CONTENTSIZE_UNKNOWN ||
      raw > uint64_t{blob_size_} + 10ull * kMaxBlockTerms)
    corrupt(b, "is not a zstd frame");
  thread_local std::unique_ptr<ZSTD_DCtx, ZstdDeleter> dctx(ZSTD_createDCtx());
  scratch.resize(raw);
  if (!zdict_.empty() && ddict_ == nullptr) corrupt(b, "has a damaged zstd dictionary");
  const size_t got =
      ddict_ ? ZSTD_decompress_usingDDict(dctx.get(), scratch.data(), scratch.size(), data, size,
                                          ddict_.get())
             : ZSTD_decompressDCtx(dctx.get(), scratch.data(), scratch.size(), data, size);
  if (ZSTD_isError(got) || got != raw) corrupt(b, "does not decompress");
  return scratch;
}

void TermBlocks::next_term(uint32_t b, const char** p, const char* e, std::string& cur) const {
  uint32_t shared = 0, suffix = 0;
  if (!get_varint(p, e, &shared) || !get_varint(p, e, &suffix) || shared > cur.size() ||
      suffix > static_cast<size_t>(e - *p))
    corrupt(b, "is truncated");
  cur.resize(shared);
  cur.append(*p, suffix);
  *p += suffix;
}

uint32_t TermBlocks::lower_bound(std::string_view t, bool* equal) const {
  *equal = false;
  // The blocks whose first term is <= t: the answer is in the last of them, or is the
  // first term of the next block.
  uint32_t lo = 0, hi = n_blocks_;
  const char* after = nullptr;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (first_term(mid, &after) <= t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return 0;
  const uint32_t b = lo - 1;
  uint32_t term = load_le<uint32_t>(first_term_ + 4 * size_t{b});
  const uint32_t end_term = load_le<uint32_t>(first_term_ + 4 * (size_t{b} + 1));
  const std::string_view first = first_term(b, &after);
  if (first == t) {
    *equal = true;
    return term;
  }
  thread_local std::string scratch, cur;
  const std::string_view pl = payload(b, first, after, scratch);
  cur.assign(first);
  const char* p = pl.data();
  const char* e = p + pl.size();
  while (++term < end_term) {
    next_term(b, &p, e, cur);
    if (std::string_view(cur) >= t) {
      *equal = std::string_view(cur) == t;
      return term;
    }
  }
  return end_term;
}

void TermBlocks::append_term(uint32_t i, std::string& out) const {
  // The last block whose first term number is <= i.
  uint32_t lo = 0, hi = n_blocks_;
  while (hi - lo > 1) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (load_le<uint32_t>(first_term_ + 4 * size_t{mid}) <= i) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const uint32_t b = lo;
  uint32_t term = load_le<uint32_t>(first_term_ + 4 * size_t{b});
  const uint32_t end_term = load_le<uint32_t>(first_term_ + 4 * (size_t{b} + 1));
  if (i < term || i >= end_term) corrupt(b, "does not hold the term asked for");
  const char* after = nullptr;
  const std::string_view first = first_term(b, &after);
  // The payload is read even for the first term: its checksum covers the first term too.
  thread_local std::string scratch, cur;
  const std::string_view pl = payload(b, first, after, scratch);
  cur.assign(first);
  const char* p = pl.data();
  const char* e = p + pl.size();
  while (term++ < i) {
    next_term(b, &p, e, cur);
  }
  out.append(cur);
}

void TermBlocks::decode_all(std::string& bytes, std::vector<uint32_t>& starts) const {
  bytes.clear();
  starts.clear();
  bytes.reserve(blob_size_);
  starts.reserve(size_t{n_terms_} + 1);
  std::string scratch;
  const char* after = nullptr;
  for (uint32_t b = 0; b < n_blocks_; ++b) {
    const uint32_t count = load_le<uint32_t>(first_term_ + 4 * (size_t{b} + 1)) -
                           load_le<uint32_t>(first_term_ + 4 * size_t{b});
    const std::string_view first = first_term(b, &after);
    const std::string_view pl = payload(b, first, after, scratch);
    if (bytes.size() + first.size() > blob_size_) corrupt(b, "holds more bytes than its header");
    size_t prev = bytes.size();
    starts.push_back(static_cast<uint32_t>(prev));
    bytes.append(first);
    const char* p = pl.data();
    const char* e = p + pl.size();
    for (uint32_t k = 1; k < count; ++k) {
      uint32_t shared = 0, suffix = 0;
      const size_t prev_len = bytes.size() - prev;
      if (!get_varint(&p, e, &shared) || !get_varint(&p, e, &suffix) || shared > prev_len ||
          suffix > static_cast<size_t>(e - p) || bytes.size() + shared + suffix > blob_size_)
        corrupt(b, "is truncated");
      const size_t at = bytes.size();
      starts.push_back(static_cast<uint32_t>(at));
      bytes.append(bytes, prev, shared);  // no reallocation: capacity is blob_size_
      bytes.append(p, suffix);
      p += suffix;
      prev = at;
    }
    if (p != e) corrupt(b, "has bytes after its last term");
  }
  if (bytes.size() != blob_size_) throw SegmentCorruption("segment term dictionary: wrong size");
  starts.push_back(static_cast<uint32_t>(bytes.size()));
}

}  // namespace comptoir::engine
