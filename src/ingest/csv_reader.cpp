// RFC 4180 tokenizer: the end of an unquoted field is found by a StopFinder, a
// closing quote with memchr.
#include "ingest/csv_reader.h"

#include <cstring>

#include <fmt/format.h>

#include "ingest/byte_scan.h"

namespace comptoir::ingest {

namespace {

// Line breaks in `s`: LF, and CR not followed by LF.
uint64_t count_line_breaks(std::string_view s, char next_after) {
  uint64_t n = 0;
  for (size_t i = find_first_of(s.data(), 0, s.size(), '\n', '\r', '\n'); i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++n;
    } else if (s[i] == '\r') {
      const char next = i + 1 < s.size() ? s[i + 1] : next_after;
      if (next != '\n') ++n;
    }
  }
  return n;
}

// The counts of `delim` outside quotes on each of the first lines.
std::vector<size_t> delimiter_counts(std::string_view text, char delim, size_t max_lines) {
  std::vector<size_t> counts;
  size_t count = 0;
  bool quoted = false;
  for (size_t i = 0; i < text.size() && counts.size() < max_lines; ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == delim) {
      ++count;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      counts.push_back(count);
      count = 0;
    }
  }
  if (counts.size() < max_lines && (count > 0 || counts.empty())) counts.push_back(count);
  return counts;
}

}  // namespace

char sniff_csv_delimiter(std::string_view text) {
  constexpr size_t kSampleLines = 20;
  const std::string_view sample = text.substr(0, 64 * 1024);
  char best = ',';
  double best_score = 0;
  for (const char delim : {',', ';', '\t', '|'}) {
    const auto counts = delimiter_counts(sample, delim, kSampleLines);
    if (counts.empty() || counts[0] == 0) continue;
    size_t agreeing = 0;
    for (size_t c : counts) agreeing += c == counts[0];
    // Consistency first, then the number of columns it makes.
    const double score = static_cast<double>(agreeing) / static_cast<double>(counts.size()) * 1000 +
                         static_cast<double>(std::min<size_t>(counts[0], 999));
    if (score > best_score) {
      best_score = score;
      best = delim;
    }
  }
  return best;
}

CsvReader::CsvReader(std::string_view text, char delimiter)
    : text_(text), delim_(delimiter), field_ends_(text, delimiter, '\n', '\r') {}

void CsvReader::end_record(size_t& pos) {
  if (pos < text_.size()) {
    if (text_[pos] == '\r' && pos + 1 < text_.size() && text_[pos + 1] == '\n') ++pos;
    ++pos;  // the LF, CR or delimiter-free terminator
  }
  ++line_;
}

// At an opening quote. Leaves pos after the closing quote and the field in `span`,
// or returns false at the end of the text with the quote still open.
bool CsvReader::read_quoted(size_t& pos, Span& span) {
  const size_t start = pos + 1;
  size_t i = start;
  bool escaped = false;
  for (;;) {
    const void* q = std::memchr(text_.data() + i, '"', text_.size() - i);
    if (q == nullptr) return false;
    const size_t at = static_cast<size_t>(static_cast<const char*>(q) - text_.data());
    if (at + 1 < text_.size() && text_[at + 1] == '"') {
      escaped = true;
      i = at + 2;
      continue;
    }
    const std::string_view raw = text_.substr(start, at - start);
    line_ += count_line_breaks(raw, '"');
    if (!escaped) {
      span = {false, start, raw.size()};
    } else {
      const size_t off = scratch_.size();
      for (size_t k = 0; k < raw.size(); ++k) {
        scratch_.push_back(raw[k]);
        if (raw[k] == '"') ++k;  // the second quote of a doubled pair
      }
      span = {true, off, scratch_.size() - off};
    }
    pos = at + 1;
    return true;
  }
}

CsvReader::Status CsvReader::next(CsvRecord& record) {
  record.fields.clear();
  record.bytes = 0;
  scratch_.clear();
  in_scratch_.clear();
  if (pos_ >= text_.size()) return Status::kEnd;
  record.line = line_;
  const size_t record_start = pos_;
  const uint64_t record_line = line_;
  const char* const s = text_.data();
  const size_t n = text_.size();
  const char delim = delim_;
  size_t pos = pos_;
  auto ends_field = [&](char c) { return c == delim || c == '\n' || c == '\r'; };
  // A copy the loop keeps in registers (a store into record.fields could alias a
  // member), written back when the record is complete.
  StopFinder field_ends = field_ends_;

  for (;;) {
    if (pos < n && s[pos] == '"') {
      Span span;
      if (!read_quoted(pos, span)) {
        // Unterminated: drop this record, resume on the line after its first line.
        error_ = fmt::format("unterminated quoted field (the quote opens on line {})", record_line);
        size_t p = record_start;
        while (p < n && s[p] != '\n' && s[p] != '\r') ++p;
        pos_ = p;
        line_ = record_line;
        end_record(pos_);
        return Status::kError;
      }
      // Text between the closing quote and the next delimiter is kept (lenient).
      if (pos < n && !ends_field(s[pos])) {
        if (!span.in_scratch) {
          const size_t off = scratch_.size();
          scratch_.append(text_.substr(span.offset, span.length));
          span = {true, off, span.length};
        }
        while (pos < n && !ends_field(s[pos])) {
          scratch_.push_back(s[pos++]);
          ++span.length;
        }
      }
      if (span.in_scratch) {
        // scratch_ may still move: the view is made once the record is complete.
        in_scratch_.push_back({record.fields.size(), span.offset, span.length});
        record.fields.emplace_back();
      } else {
        record.fields.push_back(text_.substr(span.offset, span.length));
      }
    } else {
      const size_t end = field_ends.next(pos);
      record.fields.emplace_back(s + pos, end - pos);
      pos = end;
    }
    if (pos < n && s[pos] == delim) {
      ++pos;
      continue;
    }
    record.bytes = pos - record_start;
    end_record(pos);
    break;
  }
  pos_ = pos;
  field_ends_.keep_block(field_ends);
  for (const ScratchField& f : in_scratch_) {
    record.fields[f.field] = std::string_view(scratch_).substr(f.offset, f.length);
  }
  return Status::kRecord;
}

}  // namespace comptoir::ingest
