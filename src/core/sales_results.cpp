// The sales analytics search and answer (sales_results.h).
#include "core/sales_results.h"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <cmath>
#include <map>

#include "core/log_query.h"
#include "engine/dsl/aggregation.h"

namespace comptoir {

namespace json = boost::json;

namespace {

// Terms ordered by a sum are exact on one shard only: each shard sends its own top
// shard_size (default size * 1.5 + 10 = 25) by its partial sums. With up to this many
// products per shard the top 10 are exact on a cluster of several shards too. The
// products' distinct orders are counted by a second search over those 10 products only:
// a cluster preallocates a cardinality sketch per bucket, and 10,000 buckets of exact
// (40,000-value) sketches trip its memory circuit breaker.
constexpr int kTopProductsShardSize = 10000;

double money(double v) {
  return std::round(v * 100.0) / 100.0 + 0.0;
}

double number_at(const json::object& o, std::string_view agg) {
  const json::value* a = o.if_contains(agg);
  if (a == nullptr || !a->is_object()) return 0;
  const json::value* v = a->as_object().if_contains("value");
  return v != nullptr && v->is_number() ? v->to_number<double>() : 0;
}

const json::array& buckets_of(const json::object& o, std::string_view agg) {
  static const json::array kNone;
  const json::value* a = o.if_contains(agg);
  if (a == nullptr || !a->is_object()) return kNone;
  const json::value* b = a->as_object().if_contains("buckets");
  return b != nullptr && b->is_array() ? b->as_array() : kNone;
}

// Revenue and orders of each bucket, keyed by `label`.
json::array breakdown(const json::object& aggs, std::string_view agg, std::string_view label) {
  json::array out;
  for (const auto& b : buckets_of(aggs, agg)) {
    const json::object& o = b.as_object();
    out.push_back(json::object{{label, o.at("key")},
                               {"revenue", money(number_at(o, "revenue"))},
                               {"orders", static_cast<int64_t>(number_at(o, "orders"))},
                               {"lines", o.at("doc_count")}});
  }
  return out;
}

}  // namespace

Status validate(const SalesFilters& f, const ingest::TimeZone& zone) {
  if (f.interval != "hour" && f.interval != "day" && f.interval != "week" && f.interval != "month")
    return Error::invalid_fields("interval must be hour, day, week or month",
                                 {{"interval", "must be hour, day, week or month"}});
  LogFilters dates;
  dates.start_date = f.start_date;
  dates.end_date = f.end_date;
  auto q = build_log_query(dates, zone);
  if (!q) return q.error();
  return {};
}

Result<json::object> compute_sales_results(SearchBackend& search, const SalesFilters& f,
                                           const ingest::TimeZone& zone) {
  COMPTOIR_TRY(validate(f, zone));
  engine::BoolQuery filter;
  LogFilters dates;  // the date bounds work on @timestamp like the logs'
  dates.start_date = f.start_date;
  dates.end_date = f.end_date;
  auto date_query = build_log_query(dates, zone);
  if (!date_query) return date_query.error();
  if (*date_query) filter.filter.push_back(**date_query);
  if (!f.country.empty()) {
    engine::TermQuery t;
    t.field = "country";
    t.value = f.country;
    t.case_insensitive = true;
    filter.filter.push_back(engine::Query{t});
  }
  engine::SearchRequest req;
  req.size = 0;
  req.size_specified = true;
  req.track_total_hits.specified = true;
  req.track_total_hits.up_to = INT64_MAX;
  if (!filter.filter.empty()) req.query = engine::Query{filter};
  const char* format = f.interval == "hour" ? "yyyy-MM-dd'T'HH:00" : "yyyy-MM-dd";
  const std::string per_bucket =
      R"("aggs":{"revenue":{"sum":{"field":"revenue"}},
                 "orders":{"cardinality":{"field":"order_id","precision_threshold":40000}}})";
  // Time buckets can be many (hours of a year): 3,000 distinct orders per interval stay
  // exact and keep a cluster's per-bucket sketches small.
  const std::string per_interval =
      R"("aggs":{"revenue":{"sum":{"field":"revenue"}},
                 "orders":{"cardinality":{"field":"order_id","precision_threshold":3000}}})";
  auto aggs = engine::parse_aggregations(json::parse(fmt::format(
      R"({{"revenue":{{"sum":{{"field":"revenue"}}}},
          "orders":{{"cardinality":{{"field":"order_id","precision_threshold":40000}}}},
          "customers":{{"cardinality":{{"field":"customer_id","precision_threshold":40000}}}},
          "by_country":{{"terms":{{"field":"country","size":250,"order":{{"revenue":"desc"}}}},{0}}},
          "top_products":{{"terms":{{"field":"product.keyword","size":10,"shard_size":{4},
             "order":{{"revenue":"desc"}}}},
             "aggs":{{"revenue":{{"sum":{{"field":"revenue"}}}},"quantity":{{"sum":{{"field":"quantity"}}}}}}}},
          "over_time":{{"date_histogram":{{"field":"@timestamp","calendar_interval":"{1}",
             "time_zone":"{2}","format":"{3}","min_doc_count":0}},{5}}},
          "by_category":{{"terms":{{"field":"category","size":50,"order":{{"revenue":"desc"}}}},{0}}},
          "payment_methods":{{"terms":{{"field":"payment_method","size":50,"order":{{"revenue":"desc"}}}},{0}}},
          "order_status":{{"terms":{{"field":"status","size":50,"order":{{"revenue":"desc"}}}},{0}}}}})",
      per_bucket, f.interval, zone.name(), format, kTopProductsShardSize, per_interval)));
  if (!aggs) return aggs.error();
  req.aggregations = std::move(*aggs);
  auto resp = search.search(kSalesIndex, req);
  // No sales uploaded yet: zeros and empty lists.
  if (!resp && resp.error().code == ErrorCode::kNotFound) resp = engine::SearchResponse{};
  if (!resp) return resp.error();
  const json::object empty;
  const json::object& a = resp->aggregations ? *resp->aggregations : empty;

  const double revenue = number_at(a, "revenue");
  const auto orders = static_cast<int64_t>(number_at(a, "orders"));
  json::object summary;
  summary["total_revenue"] = money(revenue);
  summary["total_orders"] = orders;
  summary["avg_order_value"] = orders > 0 ? money(revenue / double(orders)) : 0.0;
  summary["unique_customers"] = static_cast<int64_t>(number_at(a, "customers"));
  summary["total_lines"] = resp->total ? resp->total->value : 0;

  // Distinct orders of the top products.
  std::map<std::string, int64_t> product_orders;
  engine::TermsQuery top;
  top.field = "product.keyword";
  for (const auto& b : buckets_of(a, "top_products"))
    top.values.push_back(engine::JsonScalar{std::string(b.at("key").as_string())});
  if (!top.values.empty()) {
    engine::SearchRequest second;
    second.size = 0;
    second.size_specified = true;
    engine::BoolQuery narrowed = filter;
    narrowed.filter.push_back(engine::Query{top});
    second.query = engine::Query{narrowed};
    auto orders_aggs = engine::parse_aggregations(json::parse(
        R"({"p":{"terms":{"field":"product.keyword","size":10},
              "aggs":{"orders":{"cardinality":{"field":"order_id","precision_threshold":40000}}}}})"));
    if (!orders_aggs) return orders_aggs.error();
    second.aggregations = std::move(*orders_aggs);
    auto r2 = search.search(kSalesIndex, second);
    if (!r2) return r2.error();
    const json::object& a2 = r2->aggregations ? *r2->aggregations : empty;
    for (const auto& b : buckets_of(a2, "p"))
      product_orders[std::string(b.at("key").as_string())] =
          static_cast<int64_t>(number_at(b.as_object(), "orders"));
  }
  json::array products;
  for (const auto& b : buckets_of(a, "top_products")) {
    const json::object& o = b.as_object();
    products.push_back(
        json::object{{"product", o.at("key")},
                     {"orders", product_orders[std::string(o.at("key").as_string())]},
                     {"quantity", number_at(o, "quantity")},
                     {"revenue", money(number_at(o, "revenue"))}});
  }
  json::array over_time;
  for (const auto& b : buckets_of(a, "over_time")) {
    const json::object& o = b.as_object();
    over_time.push_back(json::object{{"date", o.at("key_as_string")},
                                     {"revenue", money(number_at(o, "revenue"))},
                                     {"orders", static_cast<int64_t>(number_at(o, "orders"))}});
  }
  json::object out;
  out["summary"] = std::move(summary);
  out["by_country"] = breakdown(a, "by_country", "country");
  out["top_products"] = std::move(products);
  out["over_time"] = std::move(over_time);
  out["interval"] = f.interval;
  for (auto [agg, label] :
       {std::pair{"by_category", "category"}, std::pair{"payment_methods", "payment_method"},
        std::pair{"order_status", "status"}}) {
    json::array rows = breakdown(a, agg, label);
    if (!rows.empty()) out[agg] = std::move(rows);
  }
  return out;
}

}  // namespace comptoir
