// Search execution over index snapshots (see searcher.h).
#include "engine/query/searcher.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>

#include "engine/dsl/dsl_error.h"
#include "engine/query/aggregator.h"
#include "engine/query/bm25.h"
#include "engine/query/query_matcher.h"

namespace comptoir::engine {

namespace json = boost::json;

int64_t now_epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

struct SortKey {
  enum Kind : uint8_t { kInt, kDouble, kString, kNull };
  Kind kind = kNull;
  int64_t i = 0;
  double d = 0;
  std::string_view s;
};

struct ResolvedSort {
  enum Type { kScore, kDoc, kInt, kDouble, kKeyword, kUnmapped };
  Type type = kScore;
  bool desc = false;
  bool missing_first = false;
  bool float_values = false;  // a float/half_float field: sort values as Java writes floats
  std::string field;
  std::optional<SortKey> missing_value;  // custom "missing"
  std::string missing_storage;
  enum Mode { kMin, kMax, kSum, kAvg };
  Mode mode = kMin;
};

ResolvedSort::Type unmapped_sort_type(std::string_view unmapped_type) {
  const auto type = parse_field_type(unmapped_type);
  if (!type) return ResolvedSort::kUnmapped;
  switch (storage_kind(*type)) {
    case StorageKind::kInt64:
      return ResolvedSort::kInt;
    case StorageKind::kDouble:
      return ResolvedSort::kDouble;
    case StorageKind::kKeyword:
      return ResolvedSort::kKeyword;
    default:
      return ResolvedSort::kUnmapped;
  }
}

Result<std::vector<ResolvedSort>> resolve_sort(const SearchRequest& req, const Mapping& mapping) {
  std::vector<ResolvedSort> out;
  if (req.sort.empty()) {
    ResolvedSort s;
    s.type = ResolvedSort::kScore;
    s.desc = true;
    out.push_back(s);
    return out;
  }
  for (const SortField& f : req.sort) {
    ResolvedSort s;
    s.field = f.field;
    s.desc = f.effective_order() == SortOrder::kDesc;
    s.missing_first = f.missing_first();
    std::string mode = f.mode.value_or(s.desc ? "max" : "min");
    s.mode = mode == "max"   ? ResolvedSort::kMax
             : mode == "sum" ? ResolvedSort::kSum
             : mode == "avg" ? ResolvedSort::kAvg
                             : ResolvedSort::kMin;
    if (f.field == "_score") {
      s.type = ResolvedSort::kScore;
    } else if (f.field == "_doc" || f.field == "_shard_doc") {
      s.type = ResolvedSort::kDoc;
    } else {
      const FieldDef* def = mapping.find(f.field);
      if (def == nullptr) {
        if (!f.unmapped_type)
          return dsl_error("query_shard_exception",
                           "No mapping found for [" + f.field + "] in order to sort on");
        // Sorted as a field of unmapped_type without values, so that the sort value is
        // that type's missing value (9223372036854775807 for a long), as in Elasticsearch.
        s.type = unmapped_sort_type(*f.unmapped_type);
        s.float_values = *f.unmapped_type == "float" || *f.unmapped_type == "half_float";
      } else {
        switch (storage_kind(def->type)) {
          case StorageKind::kText:
            return dsl_error(
                "illegal_argument_exception",
                "Text fields are not optimised for operations that require per-document "
                "field data like aggregations and sorting, so these operations are "
                "disabled by default. Please use a keyword field instead. Alternatively, "
                "set fielddata=true on [" +
                    f.field +
                    "] in order to load field data by "
                    "uninverting the inverted index. Note that this can use significant memory.");
          case StorageKind::kKeyword:
            s.type = ResolvedSort::kKeyword;
            break;
          case StorageKind::kInt64:
            s.type = ResolvedSort::kInt;
            break;
          case StorageKind::kDouble:
            s.type = ResolvedSort::kDouble;
            s.float_values = def->type == FieldType::kFloat || def->type == FieldType::kHalfFloat;
            break;
          case StorageKind::kNone:
            return dsl_error("illegal_argument_exception",
                             "can't sort on object field [" + f.field + "]");
        }
      }
      // A custom missing value ("missing": 0) is used as the doc's value.
      if (!std::holds_alternative<std::monostate>(f.missing) &&
          !(std::holds_alternative<std::string>(f.missing) &&
            (std::get<std::string>(f.missing) == "_last" ||
             std::get<std::string>(f.missing) == "_first"))) {
        SortKey k;
        if (s.type == ResolvedSort::kKeyword) {
          s.missing_storage = scalar_to_string(f.missing);
          k.kind = SortKey::kString;
        } else {
          double v = 0;
          std::string str = scalar_to_string(f.missing);
          v = std::strtod(str.c_str(), nullptr);
          if (s.type == ResolvedSort::kDouble) {
            k.kind = SortKey::kDouble;
            k.d = v;
          } else {
            k.kind = SortKey::kInt;
            k.i = static_cast<int64_t>(v);
          }
        }
        s.missing_value = k;
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Sentinels for docs without a value, as ES reports them.
SortKey missing_key(const ResolvedSort& s) {
  if (s.missing_value) {
    SortKey k = *s.missing_value;
    if (k.kind == SortKey::kString) k.s = s.missing_storage;
    return k;
  }
  bool high = s.missing_first == s.desc;  // asc+_last or desc+_first sort it as the maximum
  SortKey k;
  switch (s.type) {
    case ResolvedSort::kInt:
      k.kind = SortKey::kInt;
      k.i = high ? INT64_MAX : INT64_MIN;
      break;
    case ResolvedSort::kDouble:
      k.kind = SortKey::kDouble;
      k.d = high ? INFINITY : -INFINITY;
      break;
    default:
      k.kind = SortKey::kNull;
      break;
  }
  return k;
}

int compare_key(const SortKey& a, const SortKey& b, const ResolvedSort& s) {
  if (a.kind == SortKey::kNull || b.kind == SortKey::kNull) {
    if (a.kind == b.kind) return 0;
    // Nulls go first or last regardless of the order.
    int null_side = s.missing_first ? -1 : 1;
    return a.kind == SortKey::kNull ? null_side : -null_side;
  }
  int c = 0;
  if (a.kind == SortKey::kString || b.kind == SortKey::kString) {
    c = a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
  } else if (a.kind == SortKey::kDouble || b.kind == SortKey::kDouble) {
    double x = a.kind == SortKey::kDouble ? a.d : double(a.i);
    double y = b.kind == SortKey::kDouble ? b.d : double(b.i);
    c = x < y ? -1 : x > y ? 1 : 0;
  } else {
    c = a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  }
  return s.desc ? -c : c;
}

struct Candidate {
  uint32_t index = 0, segment = 0, doc = 0;
  float score = 0;
  std::vector<SortKey> keys;
};

struct Ranking {
  const std::vector<ResolvedSort>* sorts;
  // Is a ranked before b?
  bool operator()(const Candidate& a, const Candidate& b) const {
    for (size_t i = 0; i < sorts->size(); ++i) {
      int c = compare_key(a.keys[i], b.keys[i], (*sorts)[i]);
      if (c != 0) return c < 0;
    }
    if (a.index != b.index) return a.index < b.index;
    if (a.segment != b.segment) return a.segment < b.segment;
    return a.doc < b.doc;
  }
};

// Converts search_after values to keys comparable with candidates' keys.
std::vector<SortKey> after_keys(const SearchRequest& req, const std::vector<ResolvedSort>& sorts,
                                std::vector<std::string>& storage) {
  std::vector<SortKey> keys;
  storage.reserve(req.search_after.size());
  for (size_t i = 0; i < req.search_after.size() && i < sorts.size(); ++i) {
    const JsonScalar& v = req.search_after[i];
    SortKey k;
    if (std::holds_alternative<std::monostate>(v)) {
      k = missing_key(sorts[i]);
    } else if (sorts[i].type == ResolvedSort::kKeyword) {
      storage.push_back(scalar_to_string(v));
      k.kind = SortKey::kString;
      k.s = storage.back();
    } else if (sorts[i].type == ResolvedSort::kScore || sorts[i].type == ResolvedSort::kDouble) {
      k.kind = SortKey::kDouble;
      k.d = std::strtod(scalar_to_string(v).c_str(), nullptr);
      // A float field's sort value was written short (899.41): back to the stored float.
      if (sorts[i].float_values) k.d = static_cast<float>(k.d);
    } else if (const int64_t* iv = std::get_if<int64_t>(&v)) {
      k.kind = SortKey::kInt;
      k.i = *iv;
    } else {
      std::string s = scalar_to_string(v);
      k.kind = SortKey::kInt;
      k.i = std::strtoll(s.c_str(), nullptr, 10);
      if (s.find_first_of(".eE") != std::string::npos) {
        k.kind = SortKey::kDouble;
        k.d = std::strtod(s.c_str(), nullptr);
      }
    }
    keys.push_back(k);
  }
  return keys;
}

// A float field's value as Elasticsearch writes it in `sort`: the shortest decimal that
// reads back as the same float (899.41), not the widened double (899.4099731445312).
double float_as_written(double v) {
  char text[32];
  const auto r = std::to_chars(text, text + sizeof text - 1, static_cast<float>(v));
  *r.ptr = '\0';
  return std::strtod(text, nullptr);
}

JsonScalar key_to_json(const SortKey& k, const ResolvedSort& s, float score, uint64_t global_doc) {
  switch (s.type) {
    case ResolvedSort::kScore:
      return JsonScalar{score_to_double(score)};
    case ResolvedSort::kDoc:
      // The position search_after compares (index, segment, doc), not global_doc:
      // a page after a `_doc` tiebreaker must resume exactly where the last one ended.
      (void)global_doc;
      return JsonScalar{k.i};
    default:
      break;
  }
  switch (k.kind) {
    case SortKey::kInt:
      return JsonScalar{k.i};
    case SortKey::kDouble:
      if (std::isinf(k.d)) return JsonScalar{};
      if (s.float_values) return JsonScalar{float_as_written(k.d)};
      return JsonScalar{k.d};
    case SortKey::kString:
      return JsonScalar{std::string(k.s)};
    case SortKey::kNull:
      return JsonScalar{};
  }
  return JsonScalar{};
}

class Collector {
 public:
  Collector(const SearchRequest& req, size_t k) : req_(req), k_(k) {}
  // Keeps each segment's matching live docs (for aggregations).
  void keep_matches(std::vector<std::vector<std::pair<uint32_t, Bitmap>>>* out) { matches_ = out; }

  Status run(const std::vector<SnapshotPtr>& indices, int64_t now) {
    const Query all = MatchAllQuery{};
    const Query& query = req_.query ? *req_.query : all;
    struct Work {
      uint32_t ii, si;
      MatchNode node;
      Bitmap docs;
      std::optional<double> bound;  // best possible primary key in the segment
    };
    std::vector<Work> work;
    std::vector<std::vector<ResolvedSort>> index_sorts;
    // Segment pruning for a numeric primary sort without scores: segments of every
    // index are visited by their best min/max, and those that cannot beat the current
    // k-th hit are skipped (newest-first over daily indices reads the newest only).
    bool prune = true;
    // Constant scores and no sort rank hits by (index, segment, doc): once the segments
    // built so far hold k hits and the total passed what track_total_hits counts, later
    // segments can change nothing and are not even matched (as Elasticsearch's early
    // termination of top-score collection).
    const bool stop_early = matches_ == nullptr && req_.sort.empty() && !req_.track_scores &&
                            constant_score_query(query);
    uint64_t held = 0;  // hits in the segments built so far
    auto enough = [&] {
      if (!stop_early || held < k_) return false;
      if (!req_.track_total_hits.enabled) return true;
      return total_ > static_cast<uint64_t>(std::max<int64_t>(req_.track_total_hits.up_to, 0));
    };
    for (uint32_t ii = 0; ii < indices.size() && !enough(); ++ii) {
      const IndexSnapshot& snap = *indices[ii];
      auto sorts = resolve_sort(req_, *snap.mapping);
      if (!sorts) return sorts.error();
      if (ii == 0) {
        sorts_ = *sorts;
        after_ = after_keys(req_, sorts_, after_storage_);
        for (const auto& s : sorts_) need_scores_ = need_scores_ || s.type == ResolvedSort::kScore;
        need_scores_ = need_scores_ || req_.track_scores;
      } else {
        // Types per index may differ (unmapped in one); keep the first index's order.
        for (size_t i = 0; i < sorts_.size() && i < sorts->size(); ++i)
          if (sorts_[i].type == ResolvedSort::kUnmapped) sorts_[i] = (*sorts)[i];
      }
      const ResolvedSort& primary = (*sorts)[0];
      prune = prune && !need_scores_ &&
              (primary.type == ResolvedSort::kInt || primary.type == ResolvedSort::kDouble) &&
              !primary.missing_value &&
              (primary.mode == ResolvedSort::kMin || primary.mode == ResolvedSort::kMax);
      QueryContext ctx(snap, now);
      for (uint32_t si = 0; si < snap.segments.size() && !enough(); ++si) {
        const SegmentView& seg = snap.segments[si];
        auto node = build_match(query, seg, ctx);
        if (!node) return node.error();
        Bitmap docs = std::move(node->docs);
        docs -= *seg.deleted;
        uint64_t n = docs.cardinality();
        total_ += n;
        held += n;
        if (matches_ != nullptr && n > 0) {
          if (matches_->size() <= ii) matches_->resize(ii + 1);
          (*matches_)[ii].emplace_back(si, docs);
        }
        if (req_.size == 0 || n == 0) continue;  // no hits to rank (max_score is null)
        Work w{ii, si, std::move(*node), std::move(docs), std::nullopt};
        if (prune) {
          const FieldReader* f = seg.reader->field(primary.field);
          if (f != nullptr && primary.missing_first &&
              f->docs_with_field != seg.reader->doc_count())
            prune = false;
          if (f != nullptr && f->min_int)
            w.bound = double(primary.desc ? *f->max_int : *f->min_int);
          if (f != nullptr && f->min_double)
            w.bound = primary.desc ? *f->max_double : *f->min_double;
        }
        work.push_back(std::move(w));
      }
      index_sorts.push_back(std::move(*sorts));
    }
    const bool desc = !sorts_.empty() && sorts_[0].desc;
    if (prune) {
      std::stable_sort(work.begin(), work.end(), [&](const Work& a, const Work& b) {
        if (!a.bound || !b.bound) return a.bound.has_value() && !b.bound.has_value();
        return desc ? *a.bound > *b.bound : *a.bound < *b.bound;
      });
    }
    for (auto& w : work) {
      // Constant scores rank by (index, segment, doc): once k hits are held, no later
      // segment can enter (the total was already counted).
      if (by_constant_score(w.node) && heap_.size() >= k_ && k_ > 0 && has_max_) continue;
      if (prune && w.bound && heap_.size() >= k_ && !heap_.empty()) {
        const SortKey& last = worst().keys[0];
        double wv = last.kind == SortKey::kDouble ? last.d : double(last.i);
        if (desc ? *w.bound < wv : *w.bound > wv) continue;
      }
      collect_segment(w.ii, w.si, indices[w.ii]->segments[w.si], w.node, w.docs, index_sorts[w.ii]);
    }
    return {};
  }

  // A query whose score is the same for every doc of every segment, by its shape:
  // match_all, or a bool of filters / must_nots only.
  static bool constant_score_query(const Query& q) {
    if (std::holds_alternative<MatchAllQuery>(q.node)) return true;
    const auto* b = std::get_if<BoolQuery>(&q.node);
    return b != nullptr && b->must.empty() && b->should.empty();
  }

  // Sorted by _score only (or not at all) with a query whose score is the same for every
  // doc: constant-score leaves, or a bool of filters / must_nots only.
  bool by_constant_score(const MatchNode& node) const {
    if (!req_.sort.empty() || req_.track_scores || !after_.empty()) return false;
    if (node.kind == MatchNode::Kind::kConst) return true;
    return node.kind == MatchNode::Kind::kBool && node.must.empty() && node.should.empty();
  }

  void collect_segment(uint32_t ii, uint32_t si, const SegmentView& seg, const MatchNode& node,
                       const Bitmap& docs, const std::vector<ResolvedSort>& sorts) {
    std::vector<const FieldReader*> readers(sorts.size(), nullptr);
    for (size_t i = 0; i < sorts.size(); ++i)
      if (!sorts[i].field.empty()) readers[i] = seg.reader->field(sorts[i].field);
    cur_index_ = ii;
    cur_segment_ = si;
    Candidate c;
    c.index = ii;
    c.segment = si;
    c.keys.resize(sorts.size());
    Ranking better{&sorts_};
    // Visit docs in the primary order when the column is sorted by doc (time-ordered
    // ingestion): then the first worse key ends the segment.
    const ResolvedSort& primary = sorts[0];
    const FieldReader* pf = readers[0];
    const bool sorted_column =
        !need_scores_ && pf != nullptr && pf->sorted_by_doc() &&
        (primary.type == ResolvedSort::kInt || primary.type == ResolvedSort::kDouble) &&
        !primary.missing_value;
    // search_after on a sorted column: only docs on the "after" side of the primary key
    // can enter, and they form one doc-id range found by binary search (export pages
    // then cost a page, not a pass over every match).
    Bitmap narrowed;
    const Bitmap* to_visit = &docs;
    if (sorted_column && !after_.empty() && after_[0].kind != SortKey::kNull &&
        after_[0].kind != SortKey::kString) {
      const uint32_t n = seg.reader->doc_count();
      auto below = [&](uint32_t doc) {  // value(doc) < after (asc) / <= after (desc)
        SortKey k = key_of(primary, pf, doc, 0);
        double v = k.kind == SortKey::kDouble ? k.d : double(k.i);
        double a = after_[0].kind == SortKey::kDouble ? after_[0].d : double(after_[0].i);
        return primary.desc ? v <= a : v < a;
      };
      uint32_t lo = 0, hi = n;  // first doc where below() is false
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (below(mid)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      narrowed = primary.desc ? docs & Bitmap::range(0, lo) : docs & Bitmap::range(lo, n);
      to_visit = &narrowed;
    }
    const bool reverse =
        !need_scores_ && primary.desc &&
        (primary.type == ResolvedSort::kInt || primary.type == ResolvedSort::kDouble);
    float term_score = -1;  // set by the single-term fast path below
    auto visit = [&](uint32_t doc) -> bool {
      c.doc = doc;
      if (need_scores_) {
        c.score = term_score >= 0 ? term_score : node.score(doc);
        if (!has_max_ || c.score > max_score_) max_score_ = c.score;
        has_max_ = true;
      }
      if (k_ == 0) return true;
      for (size_t i = 0; i < sorts.size(); ++i)
        c.keys[i] = key_of(sorts[i], readers[i], doc, c.score);
      if (!after_.empty()) {
        for (size_t i = 0; i < after_.size(); ++i) {
          // `_doc` compares too: it is the tiebreaker that makes search_after exact.
          int cmp = compare_key(c.keys[i], after_[i], sorts[i]);
          if (cmp < 0) return true;
          if (cmp > 0) break;
          if (i + 1 == after_.size()) return true;  // equal: not strictly after
        }
      }
      if (in_order_ && !heap_.empty() && better(c, heap_.back())) {
        std::make_heap(heap_.begin(), heap_.end(), better);  // out of order: a heap now
        in_order_ = false;
      }
      if (heap_.size() < k_) {
        heap_.push_back(c);
        if (!in_order_) std::push_heap(heap_.begin(), heap_.end(), better);
      } else if (!in_order_ && better(c, heap_.front())) {
        std::pop_heap(heap_.begin(), heap_.end(), better);
        heap_.back() = c;
        std::push_heap(heap_.begin(), heap_.end(), better);
      } else if (sorted_column && (reverse == primary.desc) &&
                 compare_key(c.keys[0], worst().keys[0], primary) > 0) {
        return false;  // every remaining doc has a worse primary key
      }
      return true;
    };
    if (by_constant_score(node)) {
      // Every doc scores the same: the first k in doc order are the top k.
      docs.for_each([&](uint32_t doc) -> bool { return visit(doc) && heap_.size() < k_; });
    } else if (need_scores_ && node.kind == MatchNode::Kind::kTerm) {
      // A single term: walk its postings with their frequencies in step (no rank lookups);
      // scores of frequency 1 come from a table by norm. Ranked by score alone, a doc
      // that does not beat the k-th best (ties go to the earlier doc, already held) is
      // skipped: it cannot raise max_score either (the k-th best is already counted).
      const bool has_deletes = !seg.deleted->empty();
      const bool by_score_only = sorts.size() == 1 && primary.type == ResolvedSort::kScore &&
                                 primary.desc && after_.empty() && k_ > 0;
      const std::array<float, 256> tf1 = node.tf1_scores();
      // The best a doc can score here for its frequency: its field as short as the
      // segment's shortest. A doc whose best does not beat the k-th best is skipped on its
      // frequency alone, without reading its norm: once k docs are held, the frequency-1
      // docs (most of them) go by without a look.
      const uint8_t shortest = node.field->min_norm(seg.reader->doc_count());
      const std::array<float, 4> best = {0, tf1[shortest], node.term_score_at(2, shortest),
                                         node.term_score_at(3, shortest)};
      size_t i = 0;
      bool go_on = true;
      node.postings.docs.for_each_batch([&](const uint32_t* docs, uint32_t n) -> bool {
        const size_t first = i;
        i += n;
        for (uint32_t j = 0; j < n && go_on; ++j) {
          const uint32_t doc = docs[j];
          const uint32_t tf = node.postings.freq_at(first + j);
          const bool full = by_score_only && heap_.size() >= k_;
          if (full && (tf < 4 ? best[tf] : node.term_score_at(tf, shortest)) <= worst().score)
            continue;
          if (has_deletes && seg.deleted->contains(doc)) continue;
          const float s = tf == 1 ? tf1[node.field->norm(doc)] : node.term_score(doc, tf);
          if (full && s <= worst().score) continue;
          term_score = s;
          go_on = visit(doc);
        }
        return go_on;
      });
    } else if (reverse) {
      to_visit->for_each_reverse(visit);
    } else {
      to_visit->for_each(visit);
    }
  }

  SortKey key_of(const ResolvedSort& s, const FieldReader* f, uint32_t doc, float score) const {
    SortKey k;
    switch (s.type) {
      case ResolvedSort::kScore:
        k.kind = SortKey::kDouble;
        k.d = score;
        return k;
      case ResolvedSort::kDoc:
        k.kind = SortKey::kInt;
        k.i = static_cast<int64_t>(uint64_t(cur_index_) << 52 | uint64_t(cur_segment_) << 32 | doc);
        return k;
      case ResolvedSort::kUnmapped:
        return missing_key(s);
      default:
        break;
    }
    if (f == nullptr || !f->has_doc_values()) return missing_key(s);
    if (f->single_valued() && s.type != ResolvedSort::kKeyword) {
      if (s.type == ResolvedSort::kInt) {
        int64_t v;
        if (!f->single_int(doc, v)) return missing_key(s);
        k.kind = SortKey::kInt;
        k.i = v;
      } else {
        double v;
        if (!f->single_double(doc, v)) return missing_key(s);
        k.kind = SortKey::kDouble;
        k.d = v;
      }
      return k;
    }
    bool found = false;
    if (s.type == ResolvedSort::kKeyword) {
      uint32_t best = 0;
      f->values<uint32_t>(doc, [&](uint32_t ord) {
        if (!found || (s.mode == ResolvedSort::kMax ? ord > best : ord < best)) best = ord;
        found = true;
      });
      if (!found) return missing_key(s);
      k.kind = SortKey::kString;
      k.s = f->term(best);
      return k;
    }
    auto pick = [&](auto v, auto& acc, size_t& count) {
      if (s.mode == ResolvedSort::kSum || s.mode == ResolvedSort::kAvg) {
        acc += v;
      } else if (!found || (s.mode == ResolvedSort::kMax ? v > acc : v < acc)) {
        acc = v;
      }
      ++count;
      found = true;
    };
    size_t count = 0;
    if (s.type == ResolvedSort::kInt) {
      int64_t acc = 0;
      f->values<int64_t>(doc, [&](int64_t v) { pick(v, acc, count); });
      if (!found) return missing_key(s);
      if (s.mode == ResolvedSort::kAvg) acc /= static_cast<int64_t>(count);
      k.kind = SortKey::kInt;
      k.i = acc;
      return k;
    }
    double acc = 0;
    f->values<double>(doc, [&](double v) { pick(v, acc, count); });
    if (!found) return missing_key(s);
    if (s.mode == ResolvedSort::kAvg) acc /= double(count);
    k.kind = SortKey::kDouble;
    k.d = acc;
    return k;
  }

  std::vector<Candidate> ranked() {
    std::vector<Candidate> out = std::move(heap_);
    if (!in_order_) std::sort(out.begin(), out.end(), Ranking{&sorts_});
    return out;
  }

  uint64_t total() const { return total_; }
  bool need_scores() const { return need_scores_; }
  std::optional<float> max_score() const {
    if (!has_max_) return std::nullopt;
    return max_score_;
  }
  const std::vector<ResolvedSort>& sorts() const { return sorts_; }

 private:
  const SearchRequest& req_;
  size_t k_;
  std::vector<ResolvedSort> sorts_;
  std::vector<SortKey> after_;
  std::vector<std::string> after_storage_;
  bool need_scores_ = false;
  // The k best hits so far. While candidates come in rank order (a sorted column read in
  // the sort's direction, constant scores in doc order) it is a sorted list, best first,
  // and costs no comparisons beyond one per candidate; the first candidate out of order
  // makes it a heap with the worst hit on top.
  std::vector<Candidate> heap_;
  bool in_order_ = true;
  const Candidate& worst() const { return in_order_ ? heap_.back() : heap_.front(); }
  uint64_t total_ = 0;
  float max_score_ = 0;
  bool has_max_ = false;
  uint32_t cur_index_ = 0, cur_segment_ = 0;
  std::vector<std::vector<std::pair<uint32_t, Bitmap>>>* matches_ = nullptr;
};

}  // namespace

Result<SearchResponse> execute_search(const std::vector<SnapshotPtr>& indices,
                                      const SearchRequest& request, const SearchOptions& options) {
  auto started = std::chrono::steady_clock::now();
  COMPTOIR_TRY(validate(request));
  const int64_t now = options.now_ms.value_or(now_epoch_ms());
  const size_t k = static_cast<size_t>(request.from + request.size);
  Collector collector(request, k);
  std::vector<std::vector<std::pair<uint32_t, Bitmap>>> matches;
  if (!request.aggregations.empty()) collector.keep_matches(&matches);
  COMPTOIR_TRY(collector.run(indices, now));
  SearchResponse resp;
  if (!request.aggregations.empty()) {
    auto aggs = run_aggregations(request.aggregations, indices, matches, now);
    if (!aggs) return aggs.error();
    resp.aggregations = std::move(*aggs);
  }
  resp.shards.total = resp.shards.successful = static_cast<int64_t>(indices.size());
  if (request.track_total_hits.enabled) {
    int64_t total = static_cast<int64_t>(collector.total());
    if (total > request.track_total_hits.up_to) {
      resp.total = TotalHits{request.track_total_hits.up_to, true};
    } else {
      resp.total = TotalHits{total, false};
    }
  }
  const bool sorted_by_score = request.sort.empty();
  // With size 0 nothing was ranked, so there is no max_score (null, as Elasticsearch).
  if (collector.need_scores() && (sorted_by_score || request.track_scores)) {
    if (auto m = collector.max_score()) resp.max_score = score_to_double(*m);
  }
  std::vector<Candidate> ranked = collector.ranked();
  StoredBlockCache block_cache;
  if (ranked.size() > static_cast<size_t>(request.from))
    resp.hits.reserve(ranked.size() - static_cast<size_t>(request.from));
  for (size_t i = static_cast<size_t>(request.from); i < ranked.size(); ++i) {
    const Candidate& c = ranked[i];
    const IndexSnapshot& snap = *indices[c.index];
    const SegmentView& seg = snap.segments[c.segment];
    auto stored = seg.reader->stored(c.doc, &block_cache);
    if (!stored) return stored.error();
    SearchHit hit;
    hit.index = snap.index;
    hit.id = std::move(stored->id);
    if (collector.need_scores() &&
        (sorted_by_score || request.track_scores ||
         std::any_of(request.sort.begin(), request.sort.end(),
                     [](const SortField& f) { return f.field == "_score"; })))
      hit.score = score_to_double(c.score);
    const bool unfiltered = request.source.includes.empty() && request.source.excludes.empty();
    if (request.source.fetch && options.source_text && unfiltered) {
      hit.source_text = std::move(stored->source);
    } else if (request.source.fetch) {
      boost::system::error_code ec;
      json::value src = json::parse(stored->source, ec);
      if (ec) return Error::corruption("stored _source is not JSON for [" + hit.id + "]");
      // Unfiltered sources move into the hit (a copy costs as much as the parse).
      if (unfiltered) {
        hit.source = std::move(src);
      } else {
        hit.source = filter_source(src, request.source);
      }
    }
    if (!request.sort.empty()) {
      uint64_t global = c.doc;
      for (uint32_t s = 0; s < c.segment; ++s) global += snap.segments[s].reader->doc_count();
      hit.sort.reserve(collector.sorts().size());
      for (size_t s = 0; s < collector.sorts().size(); ++s)
        hit.sort.push_back(key_to_json(c.keys[s], collector.sorts()[s], c.score, global));
    }
    resp.hits.push_back(std::move(hit));
  }
  resp.took_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  return resp;
}

Result<int64_t> execute_count(const std::vector<SnapshotPtr>& indices,
                              const std::optional<Query>& query, const SearchOptions& options) {
  const int64_t now = options.now_ms.value_or(now_epoch_ms());
  const Query all = MatchAllQuery{};
  int64_t total = 0;
  for (const auto& snap : indices) {
    QueryContext ctx(*snap, now);
    for (const auto& seg : snap->segments) {
      auto node = build_match(query ? *query : all, seg, ctx);
      if (!node) return node.error();
      total +=
          static_cast<int64_t>(node->docs.cardinality() - node->docs.and_cardinality(*seg.deleted));
    }
  }
  return total;
}

Result<std::vector<std::pair<size_t, Bitmap>>> match_live_docs(const IndexSnapshot& snap,
                                                               const Query& query,
                                                               const SearchOptions& options) {
  const int64_t now = options.now_ms.value_or(now_epoch_ms());
  QueryContext ctx(snap, now);
  std::vector<std::pair<size_t, Bitmap>> out;
  for (size_t i = 0; i < snap.segments.size(); ++i) {
    auto node = build_match(query, snap.segments[i], ctx);
    if (!node) return node.error();
    Bitmap docs = std::move(node->docs);
    docs -= *snap.segments[i].deleted;
    if (!docs.empty()) out.emplace_back(i, std::move(docs));
  }
  return out;
}

}  // namespace comptoir::engine
