// Held canonical members are written once into their own buffer and copied into
// the document where they land; the source members are written once per file; a
// canonical member's prefix is copied as one fixed-size slot.
#include "ingest/document_text.h"

#include <array>
#include <cstring>

#include "ingest/document_json.h"
#include "ingest/timestamp.h"

namespace comptoir::ingest {

namespace {

// The canonical member prefixes, each in a fixed-size slot: a prefix is copied as
// the whole slot (the bytes past it are overwritten or left past the text's end),
// without a branch on its length.
struct PrefixSlot {
  char bytes[32];
  uint32_t size;
};
constexpr std::array<PrefixSlot, kCanonicalKeyCount> kPrefixSlots = [] {
  std::array<PrefixSlot, kCanonicalKeyCount> slots{};
  for (size_t k = 0; k < kCanonicalKeyCount; ++k) {
    const std::string_view prefix = kCanonicalMemberPrefixes[k];
    for (size_t i = 0; i < prefix.size(); ++i) slots[k].bytes[i] = prefix[i];
    slots[k].size = static_cast<uint32_t>(prefix.size());
  }
  return slots;
}();

std::string source_member(CanonicalKey key, std::string_view value) {
  return std::string(canonical_member_prefix(key)) + json_string_text(value);
}

}  // namespace

DocumentText::DocumentText(std::string_view source_file, std::string_view source_format)
    : source_file_member_(source_member(CanonicalKey::kSourceFile, source_file)),
      source_format_member_(source_member(CanonicalKey::kSourceFormat, source_format)) {}

void DocumentText::begin() {
  text_.clear();
  held_.clear();
  set_ = kSourceBits;
  in_place_ = 0;
  direct_ = 0;
  held_in_key_order_ = true;
  last_held_ = -1;
}

inline TextBuffer& DocumentText::begin_canonical(CanonicalKey key) {
  // Members written already: the text is where this one goes.
  TextBuffer& out = text_.empty() ? held_ : text_;
  if (&out == &held_) {
    member_start_ = held_.size();
    // Held out of key order, or twice: finish() takes the general way.
    held_in_key_order_ = held_in_key_order_ && static_cast<int>(key) > last_held_;
    last_held_ = static_cast<int>(key);
  }
  const PrefixSlot& prefix = kPrefixSlots[static_cast<size_t>(key)];
  std::memcpy(out.reserve(sizeof(prefix.bytes)), prefix.bytes, sizeof(prefix.bytes));
  out.commit(prefix.size);
  return out;
}

inline void DocumentText::end_canonical(CanonicalKey key, const TextBuffer& out,
                                        size_t value_start) {
  set_ |= canonical_bit(key);
  if (&out == &held_) {
    slots_[static_cast<size_t>(key)] = {static_cast<uint32_t>(member_start_),
                                        static_cast<uint32_t>(value_start),
                                        static_cast<uint32_t>(held_.size())};
  } else {
    direct_ |= canonical_bit(key);
  }
}

void DocumentText::set_string(CanonicalKey key, std::string_view value) {
  TextBuffer& out = begin_canonical(key);
  const size_t start = out.size();
  append_json_string(out, value);
  end_canonical(key, out, start);
}

void DocumentText::set_int(CanonicalKey key, int64_t value) {
  TextBuffer& out = begin_canonical(key);
  const size_t start = out.size();
  append_json_int(out, value);
  end_canonical(key, out, start);
}

void DocumentText::set_double(CanonicalKey key, double value) {
  TextBuffer& out = begin_canonical(key);
  const size_t start = out.size();
  append_json_double(out, value);
  end_canonical(key, out, start);
}

void DocumentText::set_value(CanonicalKey key, const FieldValue& value) {
  TextBuffer& out = begin_canonical(key);
  const size_t start = out.size();
  append_json(out, value);
  end_canonical(key, out, start);
}

void DocumentText::set_timestamp(EpochMillis t) {
  // The text needs no escape: written between its quotes in place.
  TextBuffer& out = begin_canonical(CanonicalKey::kTimestamp);
  const size_t start = out.size();
  char* p = out.reserve(kIsoMillisLength + 2);
  p[0] = '"';
  format_iso8601_millis(t, p + 1);
  p[kIsoMillisLength + 1] = '"';
  out.commit(kIsoMillisLength + 2);
  end_canonical(CanonicalKey::kTimestamp, out, start);
}

std::string_view DocumentText::canonical_member(CanonicalKey key) const {
  if (key == CanonicalKey::kSourceFile) return source_file_member_;
  if (key == CanonicalKey::kSourceFormat) return source_format_member_;
  const Slot& s = slots_[static_cast<size_t>(key)];
  return held_.view().substr(s.member, s.end - s.member);
}

std::string_view DocumentText::canonical_value(CanonicalKey key) const {
  return canonical_member(key).substr(canonical_member_prefix(key).size());
}

std::string_view DocumentText::finish() {
  if (in_place_ == 0 && held_in_key_order_) {
    text_.append(held_.view());
    text_.append(source_file_member_);
    text_.append(source_format_member_);
  } else {
    for (uint32_t rest = set_ & ~in_place_ & ~direct_; rest != 0; rest &= rest - 1) {
      text_.append(canonical_member(static_cast<CanonicalKey>(__builtin_ctz(rest))));
    }
  }
  if (text_.empty()) {
    text_.append("{}");
  } else {
    text_.data()[0] = '{';  // the first member's comma
    text_.push_back('}');
  }
  return text_.view();
}

}  // namespace comptoir::ingest
