"""Compares two `_search` responses to the same request, the embedded engine's and a
real cluster's, the way docs/compat.md defines "the same answer":
- totals (value and relation);
- hits: with a sort, the `sort` values hit by hit and, within each group of equal sort
  values, the documents (by `_source`, since each backend generates its own `_id`s) as
  a multiset; a group cut by the page's edges is compared by its size only, as the two
  backends break ties differently. Without a sort (by score) the documents are compared
  as a multiset when the page holds every hit, else only the page's length: BM25 scores
  differ in their last decimals, which can swap near-equal hits;
- aggregations: bucket keys, doc counts and order, metric values (relative 1e-9),
  recursively; top_hits like hits.
A difference is a (path, embedded value, cluster value) triple."""
import json
import math
from collections import Counter

REL = 1e-9
IGNORED = {"took", "_shards", "timed_out", "_id", "_score", "max_score"}


def num_equal(a, b, rel=REL):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if a == b:
        return True
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return abs(a - b) <= rel * max(abs(a), abs(b))


def _is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def identity(hit):
    if "_source" in hit:
        return json.dumps(hit["_source"], sort_keys=True)
    return hit.get("_index", "")


def _short(v, n=160):
    s = json.dumps(v, sort_keys=True) if not isinstance(v, str) else v
    return s if len(s) <= n else s[:n] + "…"


class Diff:
    """One difference: where, both values (shortened for printing, and raw), and the
    aggregations on its path as (type, spec, cluster result)."""

    def __init__(self, path, shown_a, shown_b, a, b, chain):
        self.path, self.shown_a, self.shown_b, self.a, self.b = path, shown_a, shown_b, a, b
        self.chain = chain

    def agg_types(self):
        return [t for t, _, _ in self.chain]


class Diffs:
    def __init__(self):
        self.items = []

    def add(self, path, a, b, chain=()):
        self.items.append(Diff(path, _short(a), _short(b), a, b, tuple(chain)))

    def __bool__(self):
        return bool(self.items)


def agg_type(spec):
    return next(k for k in spec if k not in ("aggs", "aggregations", "meta"))


def sub_aggs(spec):
    return spec.get("aggs") or spec.get("aggregations") or {}


def compare_values(a, b, path, diffs, subs, chain=()):
    """`subs`: the aggregations (name → spec) whose results may appear as keys here;
    `chain`: (type, spec, cluster result) of the aggregations above, for known.py."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k in IGNORED:
                continue
            if k not in a or k not in b:
                diffs.add(f"{path}.{k}", a.get(k, "<absent>"), b.get(k, "<absent>"), chain)
                continue
            if k in subs and isinstance(subs[k], dict):
                spec = subs[k]
                typ = agg_type(spec)
                link = chain + ((typ, spec[typ], b[k]),)
                if typ == "top_hits" and isinstance(a[k], dict) and isinstance(b[k], dict):
                    body = spec[typ]
                    req = {"sort": body.get("sort"), "from": body.get("from", 0),
                           "size": body.get("size", 3)}
                    compare_hits(a[k].get("hits", {}), b[k].get("hits", {}), f"{path}.{k}.hits",
                                 diffs, req, link)
                    continue
                compare_values(a[k], b[k], f"{path}.{k}", diffs, sub_aggs(spec), link)
                continue
            compare_values(a[k], b[k], f"{path}.{k}", diffs, subs, chain)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            diffs.add(f"{path}[len]", len(a), len(b), chain)
            # Say which keys are on one side only, when they are buckets.
            ka = [x.get("key") for x in a if isinstance(x, dict)]
            kb = [x.get("key") for x in b if isinstance(x, dict)]
            if ka or kb:
                diffs.add(f"{path}[keys]", ka[:20], kb[:20], chain)
            return
        for i, (x, y) in enumerate(zip(a, b)):
            compare_values(x, y, f"{path}[{i}]", diffs, subs, chain)
    elif _is_num(a) and _is_num(b):
        if not num_equal(a, b):
            diffs.add(path, a, b, chain)
    elif a != b:
        diffs.add(path, a, b, chain)


def _sort_equal(x, y):
    if len(x) != len(y):
        return False
    return all(num_equal(p, q) if _is_num(p) and _is_num(q) else p == q for p, q in zip(x, y))


def compare_hits(a, b, path, diffs, req, chain=()):
    """`a`, `b`: the `hits` objects; `req`: the request (sort, from, size)."""
    if a.get("total") != b.get("total"):
        diffs.add(path + ".total", a.get("total"), b.get("total"), chain)
    ha, hb = a.get("hits", []), b.get("hits", [])
    if len(ha) != len(hb):
        diffs.add(path + ".hits[len]", len(ha), len(hb), chain)
        return
    sort = req.get("sort")
    size = req.get("size", 10)
    start = req.get("from", 0)
    if sort and not _score_first(sort):
        groups = []  # (start, end) of runs of equal sort values
        for i, (x, y) in enumerate(zip(ha, hb)):
            if not _sort_equal(x.get("sort", []), y.get("sort", [])):
                diffs.add(f"{path}.hits[{i}].sort", x.get("sort"), y.get("sort"), chain)
                return
            if groups and _sort_equal(ha[groups[-1][0]].get("sort", []), x.get("sort", [])):
                groups[-1][1] = i + 1
            else:
                groups.append([i, i + 1])
        for g0, g1 in groups:
            cut = (g0 == 0 and start > 0) or (g1 == len(ha) and len(ha) == size)
            if cut:
                continue
            ia = Counter(identity(h) for h in ha[g0:g1])
            ib = Counter(identity(h) for h in hb[g0:g1])
            if ia != ib:
                diffs.add(f"{path}.hits[{g0}:{g1}]", sorted(ia - ib)[:2], sorted(ib - ia)[:2], chain)
                return
        for i, (x, y) in enumerate(zip(ha, hb)):
            if x.get("_index") != y.get("_index") and identity(x) == identity(y):
                diffs.add(f"{path}.hits[{i}]._index", x.get("_index"), y.get("_index"), chain)
        return
    total = (a.get("total") or {}).get("value")
    if start == 0 and total is not None and total <= size:
        ia, ib = Counter(map(identity, ha)), Counter(map(identity, hb))
        if ia != ib:
            diffs.add(path + ".hits{}", sorted(ia - ib)[:2], sorted(ib - ia)[:2], chain)


def _score_first(sort):
    first = sort[0] if isinstance(sort, list) else sort
    if isinstance(first, str):
        return first == "_score"
    return isinstance(first, dict) and "_score" in first


def compare_responses(req, a, b):
    """Differences between the embedded answer `a` and the cluster's `b` to `req`."""
    diffs = Diffs()
    ea, eb = "error" in a, "error" in b
    if ea or eb:
        if ea != eb or a.get("status") != b.get("status"):
            diffs.add("error", a.get("error", "<none>"), b.get("error", "<none>"))
        return diffs
    compare_hits(a.get("hits", {}), b.get("hits", {}), "hits", diffs, req)
    aa, ab = a.get("aggregations"), b.get("aggregations")
    if (aa is None) != (ab is None):
        diffs.add("aggregations", aa, ab)
    elif aa is not None:
        compare_values(aa, ab, "aggregations", diffs, sub_aggs(req))
    return diffs
