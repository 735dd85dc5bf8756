"""API-level parity: two real servers on the data directories that the engine-level
test loaded (`comptoir ingest` of the same files), one embedded and one with
ELASTICSEARCH_HOST, plus one upload through POST /api/upload on each. Every read
endpoint is called on both with the same parameters and the bodies are compared:
/api/search (filter combinations, sorts, pages, Lucene syntax), /api/dashboard,
/api/results, /api/export/csv and /api/files. Ignored: took_ms, ids, upload times,
request ids. Rows tied on the sort value are compared as a multiset, as both
backends break ties by their own document order (`_doc`)."""
import csv
import io
from collections import Counter, defaultdict

import pytest
import requests

import compare
from conftest import REPORT
from harness import api

SEARCHES = [
    {}, {"query": "payment"}, {"query": "payment failed"}, {"query": "\"card declined\""},
    {"query": "error"}, {"query": "ayme"}, {"query": "Invalid user"},
    {"level": "ERROR"}, {"level": "warn"}, {"service": "cart"}, {"service": "sshd"},
    {"query": "timeout", "level": "ERROR", "service": "payment"},
    {"start_date": "2024-03-03", "end_date": "2024-03-05"},
    {"start_date": "2024-03-03T06:00:00Z", "end_date": "2024-03-03T18:00:00Z", "level": "INFO"},
    {"start_date": "2005-12-04", "end_date": "2005-12-31", "query": "error"},
    {"sort": "timestamp", "order": "asc"}, {"sort": "level", "order": "asc", "size": 50},
    {"sort": "service", "order": "desc"}, {"sort": "user", "order": "asc", "page": 3},
    {"sort": "message", "order": "asc", "size": 40}, {"page": 2, "size": 100},
    {"from": 9000, "size": 1000}, {"page": 40, "size": 100, "query": "block"},
    {"query": "Level:ERROR AND NOT Service:cart", "syntax": "lucene"},
    {"query": "Message:(card OR token) AND Duration:[100 TO 500]", "syntax": "lucene"},
    {"query": "foo) OR (bar", "syntax": "lucene"}, {"size": 0}, {"levle": "x"},
    {"query": "user0*", "syntax": "lucene"}, {"query": "10.1.2"},
]
DASHBOARDS = [{}, {"days": 7}, {"days": 90}]
RESULTS = [{}, {"country": "France"}, {"country": "United Kingdom"},
           {"start_date": "2024-01-15", "end_date": "2024-02-15"},
           {"interval": "week"}, {"interval": "month", "country": "Spain"},
           {"start_date": "2010-12-01", "end_date": "2010-12-01", "interval": "day"},
           {"interval": "fortnight"}]
EXPORTS = [{"level": "ERROR"}, {"query": "payment", "columns": "timestamp,level,user,message"},
           {"service": "cart", "start_date": "2024-03-02", "end_date": "2024-03-02"},
           {"query": "Level:CRITICAL", "syntax": "lucene"}, {"level": "nope"}]
UPLOAD = ("api_upload.csv",
          "timestamp,level,service,message,user\n"
          "2024-03-07T10:00:00Z,ERROR,upload-svc,uploaded through the API,u-api-1\n"
          "2024-03-07T10:00:01Z,INFO,upload-svc,second uploaded line,u-api-2\n")

SORT_KEYS = {"timestamp": "timestamp", "level": "level", "service": "service", "user": "user",
             "message": "message"}


@pytest.fixture(scope="module")
def servers(loaded):
    emb, clu, _ = loaded
    started = []
    try:
        for side in (emb, clu):
            env = {k: v for k, v in side.env.items() if k.startswith("COMPTOIR_") or
                   k == "ELASTICSEARCH_HOST"}
            started.append(api.ServerProcess(env))
        for s in started:
            r = requests.post(s.url + "/api/upload",
                              files={"file": (UPLOAD[0], UPLOAD[1].encode(), "text/csv")})
            assert r.status_code == 200, r.text
        yield started
    finally:
        for s in started:
            s.stop()
            s.dir.cleanup()  # the indices belong to the `loaded` fixture, which drops them


def rows_diff(params, a_rows, b_rows, sort_key, path, diffs):
    """Rows compared in order of their sort value; ties as multisets (cut at the edges)."""
    def hits(rows):
        out = []
        for r in rows:
            r = {k: v for k, v in r.items() if k not in ("id",)}
            out.append({"_source": r, "sort": [r.get(sort_key)] if sort_key else []})
        return out
    size = params.get("size", 25)
    start = params.get("from", (params.get("page", 1) - 1) * size)
    compare.compare_hits({"hits": hits(a_rows)}, {"hits": hits(b_rows)}, path, diffs,
                         {"sort": [sort_key] if sort_key else None, "from": start, "size": size})


def clean(v):
    """Drops what differs by nature: times, ids, request ids."""
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()
                if k not in ("took_ms", "request_id", "upload_time", "uploaded_at", "id", "_id")}
    if isinstance(v, list):
        return [clean(x) for x in v]
    return v


def check(a, b, diffs, **context):
    compare.compare_values(clean(a), clean(b), context.get("path", "body"), diffs, {})


def test_api_parity(servers):
    emb, clu = servers
    counts = defaultdict(Counter)
    failures = []

    def record(endpoint, params, diffs):
        counts[endpoint]["different" if diffs else "equal"] += 1
        if diffs:
            failures.append((endpoint, params, diffs))

    def both(method, path, **kw):
        return [requests.request(method, s.url + path, timeout=120, **kw) for s in (emb, clu)]

    def compared(method, path, **kw):
        """Both answers, and a Diffs holding their statuses when those differ."""
        ra, rb = both(method, path, **kw)
        diffs = compare.Diffs()
        if ra.status_code != rb.status_code:
            diffs.add("status", ra.status_code, rb.status_code)
        return ra, rb, diffs

    for params in SEARCHES:
        ra, rb, diffs = compared("POST", "/api/search", json=params)
        if not diffs and ra.status_code != 200:
            check(ra.json(), rb.json(), diffs)
        elif not diffs:
            a, b = ra.json(), rb.json()
            check({k: v for k, v in a.items() if k != "results"},
                  {k: v for k, v in b.items() if k != "results"}, diffs)
            key = SORT_KEYS.get(params.get("sort", "timestamp"))
            rows_diff(params, a["results"], b["results"], key, "results", diffs)
        record("/api/search", params, diffs)

    for params in DASHBOARDS:
        ra, rb, diffs = compared("GET", "/api/dashboard", params=params)
        if not diffs:
            a, b = ra.json(), rb.json()
            check({k: v for k, v in a.items() if k != "recent_logs"},
                  {k: v for k, v in b.items() if k != "recent_logs"}, diffs)
            rows_diff({"size": len(a.get("recent_logs", []))}, a.get("recent_logs", []),
                      b.get("recent_logs", []), "timestamp", "recent_logs", diffs)
        record("/api/dashboard", params, diffs)

    for params in RESULTS:
        ra, rb, diffs = compared("GET", "/api/results", params=params)
        if not diffs:
            check(ra.json(), rb.json(), diffs)
        record("/api/results", params, diffs)

    for params in EXPORTS:
        ra, rb, diffs = compared("GET", "/api/export/csv", params=params)
        if not diffs and ra.status_code != 200:
            check(ra.json(), rb.json(), diffs)
        elif not diffs:
            ta = list(csv.reader(io.StringIO(ra.text, newline="")))
            tb = list(csv.reader(io.StringIO(rb.text, newline="")))
            if ta[:1] != tb[:1]:
                diffs.add("header", ta[:1], tb[:1])
            # Rows in the same order of timestamps (the first column), ties as multisets.
            ka, kb = [r[0] for r in ta[1:]], [r[0] for r in tb[1:]]
            if ka != kb:
                diffs.add("timestamps", len(ka), len(kb))
            elif Counter(map(tuple, ta[1:])) != Counter(map(tuple, tb[1:])):
                diffs.add("rows", "", "")
        record("/api/export/csv", params, diffs)

    ra, rb = both("GET", "/api/files")
    diffs = compare.Diffs()
    fa, fb = ra.json(), rb.json()
    check(fa, fb, diffs)
    record("/api/files", {}, diffs)
    for f in (fa.get("files", fa) if isinstance(fa, dict) else fa)[:3]:
        name = f.get("filename") or f.get("name") if isinstance(f, dict) else None
        if name:
            ra, rb = both("GET", f"/api/files/{name}")
            diffs = compare.Diffs()
            check(ra.json(), rb.json(), diffs)
            record("/api/files/<name>", {"name": name}, diffs)

    lines = [f"{'endpoint':<22}{'requests':>9}{'equal':>7}{'different':>11}"]
    for ep, c in counts.items():
        lines.append(f"{ep:<22}{sum(c.values()):>9}{c['equal']:>7}{c['different']:>11}")
    n = sum(sum(c.values()) for c in counts.values())
    lines.append(f"total: {n} API requests, "
                 f"different {sum(c['different'] for c in counts.values())}")
    REPORT.append(("parity: API (embedded server vs Elasticsearch-backed server)", lines))
    print("\n".join(lines))
    detail = []
    for ep, params, ds in failures[:30]:
        detail.append(f"- {ep} {params}")
        for d in ds.items[:4]:
            detail.append(f"    {d.path}: embedded {d.shown_a} | cluster {d.shown_b}")
    assert not failures, f"{len(failures)} API answers differ:\n" + "\n".join(detail)
