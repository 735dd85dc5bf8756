"""The `_search` requests of the parity suite: a fixed list that names every query
type of engine I and every aggregation type of engine II at least once, and random
requests drawn from a seeded grammar (query × aggregation × sort × page). Each
request is {"family": row of the table, "tags": what it uses, "index": "logs" or
"sales", "body": the `_search` body}. The `ids` query is written with `$SEQ:` values
that the driver replaces with each backend's own `_id`s of those documents."""
import copy
import random

from datagen import CATEGORIES, COUNTRIES, LEVELS, PRODUCTS, REGIONS, SERVICES, TAGS, WORDS

LOG_SORT = [{"@timestamp": "desc"}, {"seq": "asc"}]
SALES_SORT = [{"seq": "asc"}]

QUERY_TYPES = ["match", "match_phrase", "multi_match", "term", "terms", "range", "exists",
               "prefix", "wildcard", "query_string", "simple_query_string", "ids", "bool"]
AGG_TYPES = ["terms", "date_histogram", "histogram", "range", "date_range", "filters",
             "filter", "missing", "sum", "avg", "min", "max", "value_count", "stats",
             "cardinality", "percentiles", "top_hits"]


# Fields that only the generated documents have: on the log indices of the real files
# they are unmapped, and a sort on them needs `unmapped_type` (docs/compat.md#unmapped-sort).
DYNAMIC_ONLY = {"seq": "long", "latency": "float", "tags.keyword": "keyword",
                "region.keyword": "keyword"}


def with_unmapped_type(sort):
    out = []
    for s in sort if isinstance(sort, list) else [sort]:
        name = s if isinstance(s, str) else next(iter(s))
        if name in DYNAMIC_ONLY:
            opts = {} if isinstance(s, str) else s[name]
            opts = {"order": opts} if isinstance(opts, str) else dict(opts)
            opts.setdefault("unmapped_type", DYNAMIC_ONLY[name])
            s = {name: opts}
        out.append(s)
    return out


def _add_unmapped_types(body):
    if isinstance(body, dict):
        for k, v in body.items():
            if k == "sort" and isinstance(v, (list, dict, str)):
                body[k] = with_unmapped_type(v)
            else:
                _add_unmapped_types(v)
    elif isinstance(body, list):
        for v in body:
            _add_unmapped_types(v)
    return body


def req(family, index, body, *tags, raw_sort=False):
    if not raw_sort:
        _add_unmapped_types(body)
    return {"family": family, "tags": sorted({family, *tags}), "index": index, "body": body}


def L(family, query, *tags, default_sort=True, size=20, **extra):
    body = {"query": query, "size": size, **extra}
    if default_sort and "sort" not in body:
        body["sort"] = copy.deepcopy(LOG_SORT)
    return req(family, "logs", body, *tags)


def S(family, query, *tags, default_sort=True, size=20, **extra):
    body = {"query": query, "size": size, **extra}
    if default_sort and "sort" not in body:
        body["sort"] = copy.deepcopy(SALES_SORT)
    return req(family, "sales", body, *tags)


def fixed_queries():
    q = []
    # match
    q += [L("query:match", {"match": {"Message": "payment failed"}}),
          L("query:match", {"match": {"Message": {"query": "payment failed", "operator": "and"}}}),
          L("query:match", {"match": {"Message": {"query": "card declined token",
                                                  "minimum_should_match": "2"}}}),
          L("query:match", {"match": {"Message": "error"}}, default_sort=False, size=10),
          L("query:match", {"match": {"Message": "Received block"}}, size=50),
          L("query:match", {"match": {"Level": "ERROR"}}),
          L("query:match", {"match": {"Level": "error"}}),
          L("query:match", {"match": {"Duration": 120}}),
          L("query:match", {"match": {"level": "warn"}}),
          S("query:match", {"match": {"product": "mug"}}, default_sort=False, size=1000),
          S("query:match", {"match": {"product": {"query": "red mug", "operator": "and"}}}, size=100),
          L("query:match", {"match": {"Message": {"query": "the", "zero_terms_query": "all"}}})]
    # match_phrase
    q += [L("query:match_phrase", {"match_phrase": {"Message": "payment failed"}}),
          L("query:match_phrase", {"match_phrase": {"Message": {"query": "order payment",
                                                                "slop": 2}}}),
          L("query:match_phrase", {"match_phrase": {"Message": "Invalid user"}}, size=30),
          S("query:match_phrase", {"match_phrase": {"product": "Garden Hose"}}, size=200)]
    # multi_match
    q += [L("query:multi_match", {"multi_match": {"query": "cart timeout",
                                                  "fields": ["Message", "Service"]}}),
          L("query:multi_match", {"multi_match": {"query": "payment",
                                                  "fields": ["Message^2", "service"]}},
            default_sort=False, size=5),
          L("query:multi_match", {"multi_match": {"query": "session expired", "type": "phrase",
                                                  "fields": ["Message", "message"]}}),
          S("query:multi_match", {"multi_match": {"query": "France books",
                                                  "fields": ["country", "category", "product"],
                                                  "operator": "or"}}, size=50)]
    # term / terms
    q += [L("query:term", {"term": {"Level": "ERROR"}}),
          L("query:term", {"term": {"Level": {"value": "error", "case_insensitive": True}}}),
          L("query:term", {"term": {"Service": "payment"}}, size=100),
          L("query:term", {"term": {"Message": "payment"}}),
          L("query:term", {"term": {"Duration": 120}}),
          L("query:term", {"term": {"tags.keyword": "vip"}}),
          L("query:term", {"term": {"source_format": "text"}}, size=5),
          S("query:term", {"term": {"country": "France"}}, size=100),
          S("query:term", {"term": {"quantity": 3}}, size=100),
          L("query:terms", {"terms": {"Level": ["ERROR", "CRITICAL"]}}),
          L("query:terms", {"terms": {"User": ["user001", "user002", "user003", "user100"]}}),
          L("query:terms", {"terms": {"Duration": [1, 2, 3, 100, 200]}}),
          S("query:terms", {"terms": {"category": ["toys", "books"]}}, size=50)]
    # range (numbers, dates, formats, time zones, date math)
    q += [L("query:range", {"range": {"Duration": {"gte": 100, "lt": 400}}}),
          L("query:range", {"range": {"Duration": {"gt": 4990}}}),
          L("query:range", {"range": {"latency": {"gte": 100.5, "lte": 101.5}}}),
          L("query:range", {"range": {"@timestamp": {"gte": "2024-03-03", "lt": "2024-03-04"}}}),
          L("query:range", {"range": {"@timestamp": {"gte": "2024-03-03T10:00:00Z",
                                                     "lte": "2024-03-03T12:00:00.000Z"}}}),
          L("query:range", {"range": {"@timestamp": {"gte": "2024-03-03", "lt": "2024-03-04",
                                                     "time_zone": "+02:00"}}}),
          L("query:range", {"range": {"@timestamp": {"gte": "03/05/2024", "format": "MM/dd/yyyy",
                                                     "lt": "03/06/2024"}}}),
          L("query:range", {"range": {"@timestamp": {"gt": "2024-03-05||/M",
                                                     "lte": "2024-03-10||/d"}}}),
          L("query:range", {"range": {"@timestamp": {"gte": "2024-03-05||+1d/d",
                                                     "lt": "2024-03-07||-1h"}}}),
          L("query:range", {"range": {"@timestamp": {"gte": "2024-03-09||/d", "lte": "2024-03-09||/d",
                                                     "time_zone": "Europe/Paris"}}}),
          L("query:range", {"range": {"@timestamp": {"gte": "now-100y", "lt": "now"}}}, size=5),
          L("query:range", {"range": {"@timestamp": {"gte": "now/d"}}}),
          L("query:range", {"range": {"timestamp": {"gte": "2024-03-02T00:00:00+02:00",
                                                    "lt": "2024-03-02T06:00:00+02:00"}}}),
          S("query:range", {"range": {"unit_price": {"gte": 99.99, "lte": 120}}}, size=100),
          S("query:range", {"range": {"@timestamp": {"gte": "2024-02", "lt": "2024-02-10",
                                                     "format": "yyyy-MM||yyyy-MM-dd"}}}, size=100),
          S("query:range", {"range": {"revenue": {"lt": 2}}}, size=100),
          S("query:range", {"range": {"customer_id": {"gte": "C0100", "lt": "C0110"}}}, size=100)]
    # exists
    q += [L("query:exists", {"exists": {"field": "User"}}),
          L("query:exists", {"bool": {"must_not": {"exists": {"field": "Duration"}}}}),
          L("query:exists", {"bool": {"must_not": {"exists": {"field": "tags"}}}}),
          L("query:exists", {"exists": {"field": "latency"}}, size=3),
          L("query:exists", {"exists": {"field": "no_such_field"}})]
    # prefix / wildcard
    q += [L("query:prefix", {"prefix": {"User": "user01"}}),
          L("query:prefix", {"prefix": {"Message": "pay"}}),
          L("query:prefix", {"prefix": {"Service": {"value": "PAY", "case_insensitive": True}}}),
          S("query:prefix", {"prefix": {"product.keyword": "Wo"}}, size=100),
          L("query:wildcard", {"wildcard": {"User": "user1?5"}}),
          L("query:wildcard", {"wildcard": {"Message": "*ail*"}}),
          L("query:wildcard", {"wildcard": {"IP": {"value": "10.1.*.1*"}}}),
          L("query:wildcard", {"wildcard": {"Service": {"value": "*ART", "case_insensitive": True}}}),
          S("query:wildcard", {"wildcard": {"country": "*land*"}}, size=100)]
    # query_string
    q += [L("query:query_string", {"query_string": {"query": "Level:ERROR AND Service:cart"}}),
          L("query:query_string", {"query_string": {"query": "payment OR timeout",
                                                    "default_field": "Message"}}),
          L("query:query_string", {"query_string": {"query": "Message:(card AND declined) -Level:INFO"}}),
          L("query:query_string", {"query_string": {"query": "\"connection refused\"",
                                                    "default_field": "Message"}}),
          L("query:query_string", {"query_string": {"query": "Duration:[100 TO 200}"}}),
          L("query:query_string", {"query_string": {"query": "Duration:>=4900"}}),
          L("query:query_string", {"query_string": {"query": "User:user0* AND NOT Level:DEBUG"}}),
          L("query:query_string", {"query_string": {"query": "_exists_:latency AND Service:auth"}}),
          L("query:query_string", {"query_string": {"query": "time*", "default_field": "Message"}}),
          L("query:query_string", {"query_string": {"query": "Message:payment Message:order",
                                                    "default_operator": "AND"}}),
          L("query:query_string", {"query_string": {"query": "heart("}}),
          L("query:query_string", {"query_string": {"query": "@timestamp:[2024-03-02 TO 2024-03-03]"}}),
          S("query:query_string", {"query_string": {"query": "country:France AND quantity:>10"}}, size=100)]
    # simple_query_string
    q += [L("query:simple_query_string", {"simple_query_string": {"query": "payment +failed",
                                                                  "fields": ["Message"]}}),
          L("query:simple_query_string", {"simple_query_string": {"query": "cache | database",
                                                                  "fields": ["Message"],
                                                                  "default_operator": "and"}}),
          L("query:simple_query_string", {"simple_query_string": {"query": "\"card declined\" -retry",
                                                                  "fields": ["Message"]}}),
          L("query:simple_query_string", {"simple_query_string": {"query": "tok*",
                                                                  "fields": ["Message", "message"]}}),
          L("query:simple_query_string", {"simple_query_string": {"query": "((broken",
                                                                  "fields": ["Message"]}}),
          S("query:simple_query_string", {"simple_query_string": {"query": "mug lamp",
                                                                  "fields": ["product"]}}, size=300)]
    # ids (values are seq numbers, replaced by each backend's ids)
    q += [L("query:ids", {"ids": {"values": ["$SEQ:1", "$SEQ:2", "$SEQ:500", "$SEQ:2999"]}}),
          S("query:ids", {"bool": {"must_not": {"ids": {"values": ["$SEQ:5"]}},
                                   "filter": {"range": {"seq": {"lte": 10}}}}})]
    # bool
    q += [L("query:bool", {"bool": {"must": [{"match": {"Message": "payment"}}],
                                    "filter": [{"term": {"Level": "ERROR"}}]}}),
          L("query:bool", {"bool": {"should": [{"term": {"Service": "cart"}},
                                               {"term": {"Service": "auth"}}],
                                    "must_not": [{"term": {"Level": "DEBUG"}}]}}),
          L("query:bool", {"bool": {"should": [{"match": {"Message": "cache"}},
                                               {"match": {"Message": "stock"}},
                                               {"match": {"Message": "token"}}],
                                    "minimum_should_match": 2}}),
          L("query:bool", {"bool": {"filter": [{"range": {"Duration": {"gte": 1000}}}],
                                    "should": [{"term": {"tags.keyword": "vip"}}]}}),
          L("query:bool", {"bool": {"must": [{"bool": {"should": [{"term": {"Level": "WARN"}},
                                                                  {"term": {"Level": "ERROR"}}]}}],
                                    "must_not": [{"prefix": {"User": "user1"}}]}}),
          L("query:bool", {"bool": {}}, size=5),
          S("query:bool", {"bool": {"filter": [{"term": {"status": "refunded"}},
                                               {"range": {"revenue": {"gt": 500}}}]}}, size=100)]
    return q


def fixed_sorts_and_paging():
    q = []
    m = {"match_all": {}}
    q += [L("sort", m, default_sort=False, size=15, **{"sort": [{"Duration": "desc"}, {"seq": "asc"}]}),
          L("sort", m, default_sort=False, size=15, **{"sort": [{"Duration": {"order": "asc",
                                                                      "missing": "_first"}},
                                                        {"seq": "desc"}]}),
          L("sort", m, default_sort=False, size=15, **{"sort": [{"User": "asc"}, "seq"]}),
          L("sort", m, default_sort=False, size=15, **{"sort": [{"latency": {"order": "desc",
                                                                     "missing": 0}}, "seq"]}),
          L("sort", {"term": {"Service": "search"}}, default_sort=False, size=10,
            **{"sort": [{"tags.keyword": {"order": "asc", "mode": "max"}}, "seq"]}),
          L("sort", {"match": {"Message": "database"}}, default_sort=False, size=10,
            **{"sort": ["_score", {"seq": "asc"}]}),
          L("sort", {"match": {"Message": "database"}}, default_sort=False, size=10,
            **{"sort": [{"seq": "asc"}], "track_scores": True}),
          S("sort", m, default_sort=False, size=20, **{"sort": [{"revenue": "desc"}, "seq"]}),
          S("sort", m, default_sort=False, size=20, **{"sort": [{"product.keyword": "asc"},
                                                        {"@timestamp": "desc"}, "seq"]}),
          S("sort", m, default_sort=False, size=20, **{"sort": [{"@timestamp": {"order": "asc",
                                                                        "format": "strict_date_optional_time"}},
                                                        "seq"]}),
          req("sort", "logs", {"size": 5, "sort": [{"seq": "asc"}]}, "unmapped", raw_sort=True),
          L("paging", m, size=25, **{"from": 100}),
          L("paging", m, size=7, **{"from": 2993}),
          L("paging", m, size=0),
          L("paging", m, size=10, **{"from": 9990}),
          L("paging", m, size=10, **{"from": 9995}),
          L("paging", {"term": {"Level": "INFO"}}, size=10, **{"track_total_hits": 100}),
          L("paging", {"term": {"Level": "INFO"}}, size=10, **{"track_total_hits": False}),
          L("paging", m, size=10, **{"track_total_hits": True}),
          L("paging", m, size=5, **{"search_after": [1709510400000, 10]}),
          S("paging", m, size=50, **{"from": 1950}),
          S("paging", m, size=5, **{"_source": ["order_id", "revenue"]}),
          S("paging", m, size=5, **{"_source": {"excludes": ["product*", "seq"]}}),
          S("paging", m, size=5, **{"_source": False})]
    return q


def A(family, index, aggs, query=None, *tags):
    body = {"size": 0, "aggs": aggs}
    if query is not None:
        body["query"] = query
    return req(family, index, body, *tags)


def fixed_aggregations():
    q = []
    errs = {"term": {"Level": "ERROR"}}
    q += [A("agg:terms", "logs", {"t": {"terms": {"field": "Level"}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "Service", "size": 3}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "User", "size": 5}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "User", "size": 5,
                                                  "order": {"_key": "desc"}}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "Duration", "size": 5,
                                                  "min_doc_count": 2}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "tags.keyword", "missing": "none"}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "source_file", "size": 20}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "region.keyword",
                                                  "include": "eu-.*"}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "Level",
                                                  "order": {"avg_d": "desc"}},
                                        "aggs": {"avg_d": {"avg": {"field": "Duration"}}}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "Message"}}}),
          # With a shard_size above every index's number of terms the cluster is exact too.
          A("agg:terms", "logs", {"t": {"terms": {"field": "User", "size": 5,
                                                  "shard_size": 1000}}}),
          A("agg:terms", "logs", {"t": {"terms": {"field": "Service", "size": 3,
                                                  "shard_size": 100}}}),
          A("agg:terms", "sales", {"t": {"terms": {"field": "country", "size": 20}},
                                   "p": {"terms": {"field": "quantity", "size": 20}}}),
          A("agg:terms", "sales", {"t": {"terms": {"field": "category"},
                                         "aggs": {"s": {"terms": {"field": "status"},
                                                        "aggs": {"r": {"sum": {"field": "revenue"}}}}}}}),
          A("agg:terms", "sales", {"t": {"terms": {"field": "@timestamp", "size": 3}}}),
          A("agg:terms", "sales", {"t": {"terms": {"field": "customer_id", "size": 10,
                                                   "order": [{"_count": "desc"}, {"_key": "asc"}]}}})]
    q += [A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "calendar_interval": "day"}}},
            {"range": {"@timestamp": {"gte": "2024-03-01"}}}, "calendar"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "calendar_interval": "1w"}}},
            {"range": {"@timestamp": {"gte": "2024-03-01"}}}, "calendar"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "calendar_interval": "month"}}},
            None, "calendar"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "calendar_interval": "year"}}},
            None, "calendar"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "fixed_interval": "6h"}}},
            {"range": {"@timestamp": {"gte": "2024-03-01"}}}, "fixed"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "fixed_interval": "90m",
                                                                     "min_doc_count": 1}}},
            {"range": {"@timestamp": {"gte": "2024-03-04", "lt": "2024-03-05"}}}, "fixed"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "calendar_interval": "day",
                                                                     "time_zone": "America/New_York"}}},
            {"range": {"@timestamp": {"gte": "2024-03-01"}}}, "time_zone"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "calendar_interval": "hour",
                                                                     "time_zone": "+05:30"}}},
            {"range": {"@timestamp": {"gte": "2024-03-02", "lt": "2024-03-03"}}}, "time_zone"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "calendar_interval": "day",
                                                                     "time_zone": "Europe/Paris",
                                                                     "offset": "+6h",
                                                                     "format": "yyyy-MM-dd"}}},
            {"range": {"@timestamp": {"gte": "2024-03-01"}}}, "time_zone"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "calendar_interval": "day",
                                                                     "extended_bounds": {"min": "2024-02-27",
                                                                                         "max": "2024-03-16"}}}},
            {"range": {"@timestamp": {"gte": "2024-03-01"}}}, "calendar"),
          A("agg:date_histogram", "logs", {"h": {"date_histogram": {"field": "@timestamp",
                                                                     "interval": "1d"}}},
            {"range": {"@timestamp": {"gte": "2024-03-01"}}}, "legacy_interval"),
          A("agg:date_histogram", "sales", {"h": {"date_histogram": {"field": "@timestamp",
                                                                      "calendar_interval": "quarter"},
                                                  "aggs": {"r": {"sum": {"field": "revenue"}}}}}),
          A("agg:date_histogram", "sales", {"h": {"date_histogram": {"field": "@timestamp",
                                                                      "calendar_interval": "week",
                                                                      "order": {"_count": "desc"}}}})]
    q += [A("agg:histogram", "logs", {"h": {"histogram": {"field": "Duration", "interval": 500}}}),
          A("agg:histogram", "logs", {"h": {"histogram": {"field": "latency", "interval": 50,
                                                          "offset": 5, "min_doc_count": 1}}}),
          A("agg:histogram", "sales", {"h": {"histogram": {"field": "unit_price", "interval": 25.5},
                                             "aggs": {"q": {"avg": {"field": "quantity"}}}}}),
          A("agg:histogram", "sales", {"h": {"histogram": {"field": "quantity", "interval": 1,
                                                           "extended_bounds": {"min": 0, "max": 15}}}})]
    q += [A("agg:range", "logs", {"r": {"range": {"field": "Duration",
                                                  "ranges": [{"to": 100}, {"from": 100, "to": 1000},
                                                             {"from": 1000}]}}}),
          A("agg:range", "logs", {"r": {"range": {"field": "latency", "keyed": True,
                                                  "ranges": [{"to": 10.5}, {"from": 10.5, "to": 99.9},
                                                             {"key": "slow", "from": 500}]}}}),
          A("agg:range", "sales", {"r": {"range": {"field": "revenue",
                                                   "ranges": [{"to": 50}, {"from": 50, "to": 500},
                                                              {"from": 500}]},
                                         "aggs": {"c": {"cardinality": {"field": "customer_id"}}}}})]
    q += [A("agg:date_range", "logs", {"r": {"date_range": {"field": "@timestamp",
                                                            "ranges": [{"to": "2024-03-05"},
                                                                       {"from": "2024-03-05", "to": "2024-03-10"},
                                                                       {"from": "2024-03-10"}]}}}),
          A("agg:date_range", "logs", {"r": {"date_range": {"field": "@timestamp",
                                                            "format": "yyyy-MM-dd",
                                                            "time_zone": "Europe/Paris",
                                                            "ranges": [{"from": "2024-03-02||/d",
                                                                        "to": "2024-03-02||+3d/d"},
                                                                       {"from": "now-1y/y"}]}}}),
          A("agg:date_range", "sales", {"r": {"date_range": {"field": "@timestamp", "keyed": True,
                                                             "ranges": [{"key": "jan", "from": "2024-01-01",
                                                                         "to": "2024-02-01"},
                                                                        {"key": "feb", "from": "2024-02-01",
                                                                         "to": "2024-03-01"}]}}})]
    q += [A("agg:filters", "logs", {"f": {"filters": {"filters": {"errors": errs,
                                                                  "slow": {"range": {"Duration": {"gte": 4000}}}}}}}),
          A("agg:filters", "logs", {"f": {"filters": {"filters": [errs, {"match": {"Message": "payment"}}],
                                                      "other_bucket": True}}}),
          A("agg:filters", "sales", {"f": {"filters": {"filters": {"fr": {"term": {"country": "France"}}},
                                                       "other_bucket_key": "rest"},
                                           "aggs": {"s": {"stats": {"field": "revenue"}}}}}),
          A("agg:filter", "logs", {"f": {"filter": errs,
                                         "aggs": {"s": {"terms": {"field": "Service"}}}}}),
          A("agg:filter", "sales", {"f": {"filter": {"range": {"quantity": {"gte": 10}}},
                                          "aggs": {"r": {"sum": {"field": "revenue"}}}}}),
          A("agg:missing", "logs", {"m": {"missing": {"field": "User"}}, "n": {"missing": {"field": "Duration"}}}),
          A("agg:missing", "logs", {"m": {"missing": {"field": "tags.keyword"},
                                          "aggs": {"l": {"terms": {"field": "Level"}}}}})]
    for kind in ["sum", "avg", "min", "max", "value_count", "stats"]:
        q += [A(f"agg:{kind}", "logs", {"d": {kind: {"field": "Duration"}},
                                        "l": {kind: {"field": "latency"}}}),
              A(f"agg:{kind}", "sales", {"r": {kind: {"field": "revenue"}},
                                         "q": {kind: {"field": "quantity"}},
                                         "u": {kind: {"field": "unit_price"}}}),
              A(f"agg:{kind}", "logs", {"x": {kind: {"field": "Duration"}}},
                {"term": {"Level": "NO_SUCH_LEVEL"}})]
    q += [A("agg:min", "logs", {"t": {"min": {"field": "@timestamp"}},
                                "u": {"max": {"field": "@timestamp"}}}),
          A("agg:sum", "logs", {"d": {"sum": {"field": "Duration", "missing": 1000}}})]
    q += [A("agg:cardinality", "logs", {"u": {"cardinality": {"field": "User"}},
                                        "i": {"cardinality": {"field": "IP"}}}),
          A("agg:cardinality", "sales", {"c": {"cardinality": {"field": "customer_id"}},
                                         "o": {"cardinality": {"field": "order_id"}},
                                         "q": {"cardinality": {"field": "quantity"}}}),
          A("agg:cardinality", "logs", {"m": {"cardinality": {"field": "Message.keyword"}}}),
          A("agg:cardinality", "logs", {"m": {"cardinality": {"field": "Message.keyword",
                                                              "precision_threshold": 100}}})]
    q += [A("agg:percentiles", "logs", {"p": {"percentiles": {"field": "Duration"}}},
            {"term": {"Service": "cart"}}),
          A("agg:percentiles", "sales", {"p": {"percentiles": {"field": "revenue",
                                                               "percents": [50, 90]}}}),
          A("agg:percentiles", "sales", {"p": {"percentiles": {"field": "quantity", "keyed": False,
                                                               "percents": [10, 50]}}},
            {"term": {"country": "France"}}),
          A("agg:percentiles", "logs", {"p": {"percentiles": {"field": "Duration", "percents": [50]}}},
            {"ids": {"values": ["$SEQ:1", "$SEQ:2", "$SEQ:3"]}})]
    q += [A("agg:top_hits", "logs", {"t": {"terms": {"field": "Level"},
                                           "aggs": {"h": {"top_hits": {"size": 2,
                                                                       "sort": [{"@timestamp": "desc"},
                                                                                {"seq": "asc"}]}}}}},
            {"exists": {"field": "seq"}}),
          A("agg:top_hits", "sales", {"t": {"terms": {"field": "country", "size": 3},
                                            "aggs": {"h": {"top_hits": {"size": 1, "_source": ["order_id"],
                                                                        "sort": [{"revenue": "desc"}, "seq"]}}}}}),
          A("agg:top_hits", "logs", {"h": {"top_hits": {"size": 3}}}, {"match": {"Message": "payment"}}),
          A("agg:top_hits", "sales", {"h": {"top_hits": {"from": 2, "size": 2, "sort": ["seq"]}}})]
    return q


# ---- random requests ----------------------------------------------------------------

def _rand_query(rng, index, depth=0):
    logs = index == "logs"
    kind = rng.choice(QUERY_TYPES[:-2] + (["bool"] if depth < 2 else []))
    if kind == "match":
        f = "Message" if logs else "product"
        words = rng.sample(WORDS if logs else " ".join(PRODUCTS).lower().split(), rng.randint(1, 3))
        body = {"query": " ".join(words)}
        if rng.random() < 0.3:
            body["operator"] = "and"
        return kind, {"match": {f: body}}
    if kind == "match_phrase":
        if logs:
            return kind, {"match_phrase": {"Message": " ".join(rng.sample(WORDS, 2)),
                                           } if rng.random() < 0.5 else
                          {"Message": {"query": " ".join(rng.sample(WORDS, 2)), "slop": 3}}}
        return kind, {"match_phrase": {"product": rng.choice(PRODUCTS).split()[rng.randint(0, 1)]}}
    if kind == "multi_match":
        fields = ["Message", "Service", "level"] if logs else ["product", "category", "country"]
        q = rng.choice(WORDS + SERVICES) if logs else rng.choice(CATEGORIES + COUNTRIES + ["mug"])
        return kind, {"multi_match": {"query": q, "fields": rng.sample(fields, 2)}}
    if kind == "term":
        if logs:
            f, v = rng.choice([("Level", rng.choice(LEVELS)), ("Service", rng.choice(SERVICES)),
                               ("User", f"user{rng.randint(1, 400):03d}"),
                               ("region.keyword", rng.choice(REGIONS)),
                               ("tags.keyword", rng.choice(TAGS))])
        else:
            f, v = rng.choice([("country", rng.choice(COUNTRIES)), ("category", rng.choice(CATEGORIES)),
                               ("quantity", rng.randint(1, 12)), ("status", "cancelled")])
        return kind, {"term": {f: v}}
    if kind == "terms":
        if logs:
            return kind, {"terms": {"Level": rng.sample(LEVELS, 2)}}
        return kind, {"terms": {"country": rng.sample(COUNTRIES, 3)}}
    if kind == "range":
        if rng.random() < 0.5:
            f = "Duration" if logs else "revenue"
            lo = rng.randint(0, 3000) if logs else rng.uniform(0, 800)
            return kind, {"range": {f: {"gte": lo, "lt": lo + (rng.randint(50, 2000) if logs else 300)}}}
        day = rng.randint(1, 14)
        base = f"2024-03-{day:02d}" if logs else f"2024-0{rng.randint(1, 2)}-{day:02d}"
        r = {rng.choice(["gte", "gt"]): base + rng.choice(["", "||/d", "||+12h", "T06:00:00Z"]),
             rng.choice(["lt", "lte"]): base + rng.choice(["||+1d", "||+3d/d", "||/w"])}
        if rng.random() < 0.3:
            r["time_zone"] = rng.choice(["+01:00", "Europe/Paris", "America/Los_Angeles"])
        return kind, {"range": {"@timestamp": r}}
    if kind == "exists":
        f = rng.choice(["User", "Duration", "latency", "tags", "region", "IP"]) if logs else \
            rng.choice(["customer_id", "unit_price", "nothing"])
        return kind, {"exists": {"field": f}}
    if kind == "prefix":
        if logs:
            return kind, {"prefix": {rng.choice(["User", "IP"]): rng.choice(["user0", "user2", "10.1.", "10.2.1"])}}
        return kind, {"prefix": {"customer_id": f"C0{rng.randint(0, 6)}"}}
    if kind == "wildcard":
        if logs:
            return kind, {"wildcard": {"Message": rng.choice(["*ay*", "tim?out", "c*e", "*ed"])}}
        return kind, {"wildcard": {"order_id": f"O-00{rng.randint(0, 9)}*{rng.randint(0, 9)}"}}
    if kind == "query_string":
        if logs:
            qs = rng.choice([f"Level:{rng.choice(LEVELS)} AND Message:{rng.choice(WORDS)}",
                             f"{rng.choice(WORDS)} OR {rng.choice(WORDS)}",
                             f"Service:{rng.choice(SERVICES)} -Level:INFO",
                             f"Duration:[{rng.randint(0, 2000)} TO {rng.randint(2000, 5000)}]",
                             f"User:user{rng.randint(0, 3)}* AND _exists_:latency"])
        else:
            qs = rng.choice([f"country:\"{rng.choice(COUNTRIES)}\" AND quantity:>{rng.randint(1, 10)}",
                             f"category:{rng.choice(CATEGORIES)} OR status:refunded"])
        return kind, {"query_string": {"query": qs}}
    if kind == "simple_query_string":
        f = ["Message"] if logs else ["product"]
        words = rng.sample(WORDS if logs else ["mug", "lamp", "ball", "book", "shoes"], 2)
        return kind, {"simple_query_string": {"query": f"{words[0]} {rng.choice(['+', '-', '|', ''])}{words[1]}",
                                              "fields": f}}
    if kind == "ids":
        n = 3000 if logs else 2000
        return kind, {"ids": {"values": [f"$SEQ:{rng.randint(1, n)}" for _ in range(rng.randint(1, 5))]}}
    # bool
    clauses = {}
    kinds = {"bool"}
    for occ in rng.sample(["must", "filter", "should", "must_not"], rng.randint(1, 3)):
        items = []
        for _ in range(rng.randint(1, 2)):
            k, sub = _rand_query(rng, index, depth + 1)
            kinds |= {k} if isinstance(k, str) else k
            items.append(sub)
        clauses[occ] = items
    return kinds, {"bool": clauses}


def _rand_agg(rng, index, depth=0):
    logs = index == "logs"
    kind = rng.choice(AGG_TYPES)
    num = rng.choice(["Duration", "latency"]) if logs else rng.choice(["revenue", "quantity", "unit_price"])
    kw = rng.choice(["Level", "Service", "User", "region.keyword"]) if logs else \
        rng.choice(["country", "category", "status", "payment_method"])
    if kind == "terms":
        body = {"terms": {"field": kw, "size": rng.choice([3, 5, 10])}}
    elif kind == "date_histogram":
        opt = rng.choice([{"calendar_interval": rng.choice(["day", "week", "month", "1h"])},
                          {"fixed_interval": rng.choice(["12h", "1d", "3d", "30m"])}])
        if rng.random() < 0.4:
            opt["time_zone"] = rng.choice(["Europe/Paris", "-03:00", "Asia/Kolkata"])
        if "1h" in opt.values() or "30m" in opt.values():
            body = {"date_histogram": {"field": "@timestamp", **opt, "min_doc_count": 1}}
        else:
            body = {"date_histogram": {"field": "@timestamp", **opt}}
    elif kind == "histogram":
        body = {"histogram": {"field": num, "interval": rng.choice([1, 5, 50, 250.5, 1000])}}
        if num == "latency" or num == "unit_price":
            body["histogram"]["interval"] = rng.choice([25, 100.5])
    elif kind == "range":
        a = rng.randint(1, 200)
        body = {"range": {"field": num, "ranges": [{"to": a}, {"from": a, "to": a * 3}, {"from": a * 3}]}}
    elif kind == "date_range":
        d = rng.randint(2, 12)
        base = "2024-03" if logs else "2024-02"
        body = {"date_range": {"field": "@timestamp",
                               "ranges": [{"to": f"{base}-{d:02d}"}, {"from": f"{base}-{d:02d}||+1d"}]}}
    elif kind == "filters":
        _, q1 = _rand_query(rng, index, 2)
        _, q2 = _rand_query(rng, index, 2)
        body = {"filters": {"filters": {"a": q1, "b": q2}, "other_bucket": rng.random() < 0.5}}
    elif kind == "filter":
        _, q1 = _rand_query(rng, index, 2)
        body = {"filter": q1}
    elif kind == "missing":
        body = {"missing": {"field": rng.choice(["User", "Duration", "latency"]) if logs else "unit_price"}}
    elif kind in ("sum", "avg", "min", "max", "value_count", "stats"):
        body = {kind: {"field": num}}
    elif kind == "cardinality":
        body = {"cardinality": {"field": kw}}
    elif kind == "percentiles":
        body = {"percentiles": {"field": num, "percents": [25, 50, 75]}}
    else:
        body = {"top_hits": {"size": rng.randint(1, 3),
                             "sort": [{num: {"order": "desc"}}, {"seq": "asc"}] if not logs else
                             [{"@timestamp": "desc"}, {"seq": "asc"}]}}
    kinds = {kind}
    if kind in ("terms", "date_histogram", "histogram", "range", "date_range", "filters", "filter",
                "missing") and depth < 1 and rng.random() < 0.6:
        sub_kind, sub = _rand_agg(rng, index, depth + 1)
        kinds |= sub_kind
        body["aggs"] = {"sub": sub}
    return kinds, body


def random_requests(seed, n):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        index = rng.choice(["logs", "logs", "sales"])
        qkinds, query = _rand_query(rng, index)
        qkinds = {qkinds} if isinstance(qkinds, str) else qkinds
        body = {"query": query}
        tags = {f"query:{k}" for k in qkinds}
        if rng.random() < 0.6:
            akinds, agg = _rand_agg(rng, index)
            body["aggs"] = {"a": agg}
            tags |= {f"agg:{k}" for k in akinds}
            body["size"] = rng.choice([0, 0, 5])
        else:
            body["size"] = rng.choice([5, 10, 30])
        if body["size"]:
            body["sort"] = copy.deepcopy(rng.choice([LOG_SORT, [{"Duration": "desc"}, "seq"],
                                                      [{"User": "asc"}, {"seq": "desc"}]]
                                                     if index == "logs" else
                                                     [SALES_SORT, [{"revenue": "asc"}, "seq"],
                                                      [{"@timestamp": "desc"}, "seq"]]))
            tags.add("sort")
            if rng.random() < 0.4:
                body["from"] = rng.randint(1, 60)
                tags.add("paging")
        family = "random:" + ("query+agg" if "aggs" in body else "query")
        out.append(req(family, index, body, *tags))
    return out


def all_requests(seed, n_random):
    return (fixed_queries() + fixed_sorts_and_paging() + fixed_aggregations()
            + random_requests(seed, n_random))
