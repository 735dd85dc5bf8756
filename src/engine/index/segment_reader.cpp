// SegmentReader: opens a segment's footer and meta, then reads sections in place.
#include "engine/index/segment_reader.h"

#include <bit>
#include <boost/json.hpp>
#include <charconv>

#include "engine/schema/date_format.h"
#include "engine/schema/field_type.h"
#include "engine/store/source_refs.h"

namespace comptoir::engine {

namespace json = boost::json;

namespace {

class AdoptedSegmentData final : public SegmentData {
 public:
  explicit AdoptedSegmentData(SegmentBytes bytes) : bytes_(std::move(bytes)) {
    bytes_.shrink_to_fit();
  }
  const char* data() const override { return bytes_.data(); }
  size_t size() const override { return bytes_.size(); }

 private:
  SegmentBytes bytes_;
};

StorageKind kind_of(std::string_view type) {
  if (type == "_id") return StorageKind::kKeyword;
  for (FieldType t :
       {FieldType::kText, FieldType::kKeyword, FieldType::kLong, FieldType::kInteger,
        FieldType::kShort, FieldType::kByte, FieldType::kDouble, FieldType::kFloat,
        FieldType::kHalfFloat, FieldType::kDate, FieldType::kBoolean, FieldType::kIp}) {
    if (field_type_name(t) == type) return storage_kind(t);
  }
  return StorageKind::kNone;
}

}  // namespace

std::shared_ptr<SegmentData> SegmentData::from_string(std::string_view bytes) {
  SegmentBytes copy;
  copy.reserve(bytes.size());
  copy.append(bytes);
  return adopt(std::move(copy));
}

std::shared_ptr<SegmentData> SegmentData::adopt(SegmentBytes bytes) {
  return std::make_shared<AdoptedSegmentData>(std::move(bytes));
}

FieldReader::Dictionary FieldReader::decode_all() const {
  std::call_once(decoded_->once, [this] {
    blocks_->decode_all(decoded_->bytes, decoded_->starts);
    static_assert(std::endian::native == std::endian::little, "starts are read as u32 LE");
  });
  return {reinterpret_cast<const char*>(decoded_->starts.data()), decoded_->bytes.data()};
}

std::optional<uint32_t> FieldReader::find(std::string_view t) const {
  if (blocks_ != nullptr) {
    bool equal = false;
    uint32_t i = blocks_->lower_bound(t, &equal);
    return equal ? std::optional<uint32_t>(i) : std::nullopt;
  }
  uint32_t i = lower_bound(t);
  if (i < n_terms_ && term(i) == t) return i;
  return std::nullopt;
}

uint32_t FieldReader::lower_bound(std::string_view t) const {
  if (blocks_ != nullptr) {
    bool equal = false;
    return blocks_->lower_bound(t, &equal);
  }
  uint32_t lo = 0, hi = n_terms_;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (term(mid) < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

uint32_t FieldReader::term_at(uint32_t offset) const {
  uint32_t lo = 0, hi = n_terms_;  // last term starting at or before offset
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (term_start(mid) <= offset) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

const LoweredTerms& FieldReader::lowered_terms() const {
  std::call_once(lowered_->once, [this] {
    LoweredTerms& out = lowered_->value;
    out.bytes.assign(term_bytes());
    bool ascii = true;
    for (char& c : out.bytes) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    }
    if (ascii) return;
    for (uint32_t t = 0; t < n_terms_; ++t) {
      for (char c : term(t)) {
        if (static_cast<unsigned char>(c) >= 0x80) {
          out.non_ascii.push_back(t);
          break;
        }
      }
    }
  });
  return lowered_->value;
}

uint32_t FieldReader::doc_freq(uint32_t t) const {
  if (unique_) return 1;
  uint64_t off = load_le<uint64_t>(postings_ + 8 * t);
  if (off >> 63) return 1;
  return load_le<uint32_t>(base_ + off);
}

Postings FieldReader::postings(uint32_t t) const {
  Postings p;
  if (unique_) {
    uint32_t doc = load_le<uint32_t>(postings_ + 4 * t);
    p.docs.add(doc);
    return p;
  }
  uint64_t off = load_le<uint64_t>(postings_ + 8 * t);
  if (off >> 63) {  // a single doc, inline
    p.docs.add(static_cast<uint32_t>(off));
    if (text_) p.single_freq = static_cast<uint8_t>(off >> 32);
    return p;
  }
  const char* e = base_ + off;
  uint32_t card = load_le<uint32_t>(e);
  uint32_t kind = load_le<uint32_t>(e + 4);
  const char* after;
  if (kind == 0) {
    uint32_t docs[16];
    std::memcpy(docs, e + 16, 4 * size_t(card));
    p.docs = Bitmap::from_sorted(docs, card);
    after = e + 16 + 4 * size_t(card);
  } else {
    uint32_t len = load_le<uint32_t>(e + 8);
    uint64_t start = off + 16;
    start = (start + kSectionAlign - 1) / kSectionAlign * kSectionAlign;
    p.docs = Bitmap::view_frozen(base_ + start, len);
    after = base_ + start + len;
  }
  if (text_) {
    p.freqs = reinterpret_cast<const uint8_t*>(after);
    p.packed_freqs = packed_freqs_;
  }
  return p;
}

uint8_t FieldReader::min_norm(uint32_t doc_count) const {
  std::call_once(min_norm_->once, [&] {
    if (norms_ == nullptr) return;
    uint8_t m = 255;
    for (uint32_t d = 0; d < doc_count; ++d)
      if (norms_[d] != 0 && norms_[d] < m) m = norms_[d];
    min_norm_->value = m;
  });
  return min_norm_->value;
}

uint32_t FieldReader::listed_freq(const char* e, uint32_t i) const {
  const uint32_t card = load_le<uint32_t>(e);
  const auto* codes = reinterpret_cast<const uint8_t*>(e + 16 + 4 * size_t{card});
  // Packed, or a byte each.
  return packed_freqs_ ? Postings::packed_freq(codes, i, [card] { return card; }) : codes[i];
}

// Packed frequencies: u8 codes[(count + 3) / 4] | u32 n | u32 index[n] | u8 freq[n], the
// indices ascending.
uint32_t Postings::packed_exception(const uint8_t* codes, size_t count, size_t i) {
  const char* p = reinterpret_cast<const char*>(codes) + (count + 3) / 4;
  const uint32_t n = load_le<uint32_t>(p);
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (load_le<uint32_t>(p + 4 + 4 * size_t{mid}) < i) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == n || load_le<uint32_t>(p + 4 + 4 * size_t{lo}) != i)
    throw SegmentCorruption("segment postings: a frequency exception is missing");
  return static_cast<uint8_t>(p[4 + 4 * size_t{n} + lo]);
}

const FieldReader* SegmentReader::field(std::string_view name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? nullptr : &it->second;
}

Result<StoredDoc> SegmentReader::stored(uint32_t doc, StoredBlockCache* cache) const {
  auto d = stored_.get(doc, cache);
  if (!d || !is_source_template(d->source)) return d;
  // The values of the fields the template names, from their columns (one value each:
  // only single values are ever referenced).
  auto resolve = [&](SourceRefKind kind, std::string_view name, std::string& out) -> Status {
    const FieldReader* f = field(name);
    const StorageKind want =
        kind == SourceRefKind::kKeyword ? StorageKind::kKeyword : StorageKind::kInt64;
    if (f == nullptr || f->kind != want || !f->has_doc_values())
      return Error::corruption("stored source refers to field [" + std::string(name) +
                               "] that has no such column");
    bool found = false;
    if (kind == SourceRefKind::kKeyword) {
      uint32_t ord = UINT32_MAX;
      f->values<uint32_t>(doc, [&](uint32_t o) {
        if (!found) ord = o;
        found = true;
      });
      if (!found || ord >= f->term_count())
        return Error::corruption("stored source refers to a missing value of [" +
                                 std::string(name) + "]");
      f->append_term(ord, out);
      return {};
    }
    int64_t v = 0;
    f->values<int64_t>(doc, [&](int64_t x) {
      if (!found) v = x;
      found = true;
    });
    if (!found)
      return Error::corruption("stored source refers to a missing value of [" + std::string(name) +
                               "]");
    if (kind == SourceRefKind::kDate) {
      append_date_iso(v, out);
    } else {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
      out.append(buf, static_cast<size_t>(end - buf));
    }
    return {};
  };
  std::string source;
  try {
    COMPTOIR_TRY(expand_source(d->source, source, resolve));
  } catch (const SegmentCorruption& e) {
    return Error::corruption(std::string("stored source: ") + e.what());
  }
  d->source = std::move(source);
  return d;
}

std::optional<uint32_t> SegmentReader::find_id(std::string_view id) const {
  const FieldReader* f = field("_id");
  if (f == nullptr) return std::nullopt;
  auto t = f->find(id);
  if (!t) return std::nullopt;
  Postings p = f->postings(*t);
  if (p.docs.empty()) return std::nullopt;
  return p.docs.maximum();  // the latest copy if an id was written twice in one segment
}

Result<std::shared_ptr<const SegmentReader>> SegmentReader::open(
    std::shared_ptr<SegmentData> data) {
  const char* b = data->data();
  const size_t n = data->size();
  if (n < 8 + kSegmentFooterSize || std::memcmp(b, kSegmentMagic, 8) != 0 ||
      std::memcmp(b + n - 8, kSegmentEndMagic, 8) != 0)
    return Error::corruption("not a segment (bad magic)");
  const char* footer = b + n - kSegmentFooterSize;
  uint64_t meta_off = load_le<uint64_t>(footer), meta_len = load_le<uint64_t>(footer + 8);
  uint32_t crc = load_le<uint32_t>(footer + 16);
  if (meta_off + meta_len > n - kSegmentFooterSize)
    return Error::corruption("segment meta out of bounds");
  if (crc32c(b + meta_off, meta_len) != crc)
    return Error::corruption("segment meta checksum mismatch");
  boost::system::error_code ec;
  json::value meta = json::parse(std::string_view(b + meta_off, meta_len), ec);
  if (ec || !meta.is_object()) return Error::corruption("segment meta is not JSON");
  auto r = std::make_shared<SegmentReader>();
  const json::object& mo = meta.get_object();
  auto u64 = [](const json::object& o, const char* k) -> uint64_t {
    const json::value* v = o.if_contains(k);
    return v && v->is_number() ? v->to_number<uint64_t>() : 0;
  };
  r->doc_count_ = static_cast<uint32_t>(u64(mo, "doc_count"));
  const json::value* fields = mo.if_contains("fields");
  if (fields == nullptr || !fields->is_array())
    return Error::corruption("segment meta has no fields");
  for (const auto& fv : fields->get_array()) {
    if (!fv.is_object()) return Error::corruption("segment field meta is not an object");
    const json::object& fo = fv.get_object();
    FieldReader f;
    f.base_ = b;
    f.name = std::string(fo.at("name").as_string());
    f.type_name = std::string(fo.at("type").as_string());
    f.kind = kind_of(f.type_name);
    f.text_ = f.kind == StorageKind::kText;
    if (auto* fc = fo.if_contains("freqs_codec"))
      f.packed_freqs_ = fc->is_string() && fc->as_string() == "packed2";
    f.docs_with_field = u64(fo, "docs_with_field");
    f.sum_ttf = u64(fo, "sum_ttf");
    f.sum_df = u64(fo, "sum_df");
    if (fo.contains("terms")) {
      const uint64_t terms_off = u64(fo, "terms");
      const json::value* codec = fo.if_contains("terms_codec");
      if (codec == nullptr) {  // plain: u32 n | u32 offsets[n + 1] | blob
        const char* t = b + terms_off;
        f.n_terms_ = load_le<uint32_t>(t);
        f.term_offsets_ = t + 4;
        f.blob_ = b + u64(fo, "blob");
      } else if (codec->is_string() && codec->get_string() == "blocks") {
        const uint64_t len = u64(fo, "terms_bytes");
        if (terms_off > n || len > n - terms_off)
          return Error::corruption("term dictionary of " + f.name + " out of bounds");
        auto blocks = TermBlocks::open(b + terms_off, len);
        if (!blocks) return Error::corruption(f.name + ": " + blocks.error().message);
        if (blocks->term_count() != u64(fo, "n_terms"))
          return Error::corruption(f.name + ": term count does not match the meta");
        f.n_terms_ = blocks->term_count();
        f.blocks_ = std::make_shared<const TermBlocks>(*blocks);
        f.decoded_ = std::make_shared<FieldReader::DecodedTerms>();
      } else {
        return Error::corruption(f.name + ": unknown term dictionary codec");
      }
      f.postings_ = b + u64(fo, "postings");
      const json::value* uq = fo.if_contains("unique");
      f.unique_ = uq && uq->is_bool() && uq->get_bool();
    }
    if (fo.contains("norms")) f.norms_ = reinterpret_cast<const uint8_t*>(b + u64(fo, "norms"));
    if (fo.contains("min_norm")) {  // written with the norms since it exists; else found on use
      const auto shortest = static_cast<uint8_t>(u64(fo, "min_norm"));
      std::call_once(f.min_norm_->once, [&] { f.min_norm_->value = shortest; });
    }
    if (fo.contains("exists"))
      f.exists_ = Bitmap::view_frozen(b + u64(fo, "exists"), u64(fo, "exists_len"));
    if (fo.contains("dv_values")) f.dv_values_ = b + u64(fo, "dv_values");
    if (fo.contains("dv_starts")) f.dv_starts_ = b + u64(fo, "dv_starts");
    if (const json::value* sd = fo.if_contains("dv_sorted"); sd && sd->is_bool())
      f.sorted_by_doc_ = sd->get_bool();
    if (fo.contains("dv_width")) f.dv_width_ = static_cast<uint32_t>(u64(fo, "dv_width"));
    if (const json::value* base = fo.if_contains("dv_base"); base && base->is_number())
      f.dv_base_ = base->to_number<int64_t>();
    if (const json::value* mn = fo.if_contains("min")) {
      if (f.kind == StorageKind::kDouble) {
        f.min_double = mn->to_number<double>();
        f.max_double = fo.at("max").to_number<double>();
      } else {
        f.min_int = mn->to_number<int64_t>();
        f.max_int = fo.at("max").to_number<int64_t>();
      }
    }
    std::string name = f.name;
    r->fields_.emplace(std::move(name), std::move(f));
  }
  if (const json::value* st = mo.if_contains("stored"); st && st->is_object()) {
    StoredFieldsLayout l;
    l.n_blocks = static_cast<uint32_t>(u64(st->get_object(), "n_blocks"));
    l.first_doc_offset = u64(st->get_object(), "first_doc");
    l.block_offset_offset = u64(st->get_object(), "block_offsets");
    r->stored_ = StoredFieldsReader(b, n, l);
  }
  r->data_ = std::move(data);
  return std::shared_ptr<const SegmentReader>(std::move(r));
}

}  // namespace comptoir::engine
