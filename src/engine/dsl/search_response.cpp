// SearchResponse <-> Elasticsearch `_search` response JSON.
#include "engine/dsl/search_response.h"

#include "engine/dsl/dsl_error.h"
#include "engine/dsl/query_json.h"

namespace comptoir::engine {

namespace json = boost::json;

json::value to_es_json(const SearchResponse& r) {
  json::object o;
  o["took"] = r.took_ms;
  o["timed_out"] = r.timed_out;
  o["_shards"] = json::object{{"total", r.shards.total},
                              {"successful", r.shards.successful},
                              {"skipped", r.shards.skipped},
                              {"failed", r.shards.failed}};
  json::object hits;
  if (r.total)
    hits["total"] =
        json::object{{"value", r.total->value}, {"relation", r.total->gte ? "gte" : "eq"}};
  hits["max_score"] = r.max_score ? json::value(*r.max_score) : json::value(nullptr);
  json::array arr;
  for (const auto& h : r.hits) {
    json::object hit{{"_index", h.index}, {"_id", h.id}};
    hit["_score"] = h.score ? json::value(*h.score) : json::value(nullptr);
    if (h.source) hit["_source"] = *h.source;
    if (!h.sort.empty()) {
      json::array s;
      for (const auto& v : h.sort) s.push_back(scalar_to_json(v));
      hit["sort"] = std::move(s);
    }
    arr.push_back(std::move(hit));
  }
  hits["hits"] = std::move(arr);
  o["hits"] = std::move(hits);
  if (r.aggregations) o["aggregations"] = *r.aggregations;
  return o;
}

Result<SearchResponse> parse_search_response(const json::value& v) {
  auto bad = [](std::string why) { return Error::corruption("malformed search response: " + why); };
  if (!v.is_object()) return bad("not an object");
  const json::object& o = v.get_object();
  SearchResponse r;
  if (const auto* took = o.if_contains("took"); took && took->is_number())
    r.took_ms = took->to_number<int64_t>();
  if (const auto* t = o.if_contains("timed_out"); t && t->is_bool()) r.timed_out = t->get_bool();
  if (const auto* s = o.if_contains("_shards"); s && s->is_object()) {
    auto num = [&](const char* k) -> int64_t {
      const auto* x = s->get_object().if_contains(k);
      return x && x->is_number() ? x->to_number<int64_t>() : 0;
    };
    r.shards = {num("total"), num("successful"), num("skipped"), num("failed")};
  }
  const auto* hits = o.if_contains("hits");
  if (hits == nullptr || !hits->is_object()) return bad("no hits");
  const json::object& h = hits->get_object();
  if (const auto* t = h.if_contains("total")) {
    if (t->is_number()) {
      r.total = TotalHits{t->to_number<int64_t>(), false};
    } else if (t->is_object()) {
      TotalHits th;
      if (const auto* val = t->get_object().if_contains("value"); val && val->is_number())
        th.value = val->to_number<int64_t>();
      if (const auto* rel = t->get_object().if_contains("relation"); rel && rel->is_string())
        th.gte = rel->get_string() == "gte";
      r.total = th;
    }
  }
  if (const auto* m = h.if_contains("max_score"); m && m->is_number())
    r.max_score = m->to_number<double>();
  if (const auto* arr = h.if_contains("hits"); arr && arr->is_array()) {
    for (const auto& item : arr->get_array()) {
      if (!item.is_object()) return bad("hit is not an object");
      const json::object& ho = item.get_object();
      SearchHit hit;
      if (const auto* x = ho.if_contains("_index"); x && x->is_string())
        hit.index = std::string(x->get_string());
      if (const auto* x = ho.if_contains("_id"); x && x->is_string())
        hit.id = std::string(x->get_string());
      if (const auto* x = ho.if_contains("_score"); x && x->is_number())
        hit.score = x->to_number<double>();
      if (const auto* x = ho.if_contains("_source")) hit.source = *x;
      if (const auto* x = ho.if_contains("sort"); x && x->is_array()) {
        for (const auto& s : x->get_array()) {
          auto sv = scalar_from_json(s);
          if (!sv) return sv.error();
          hit.sort.push_back(std::move(*sv));
        }
      }
      r.hits.push_back(std::move(hit));
    }
  }
  if (const auto* a = o.if_contains("aggregations"); a && a->is_object())
    r.aggregations = a->get_object();
  return r;
}

}  // namespace comptoir::engine
