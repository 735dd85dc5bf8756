"""Engine-level parity: every `_search` request of requests_gen (fixed ones naming
each query and aggregation type, and seeded random ones) is sent to the embedded
engine (`comptoir search-json`) and to the cluster (raw HTTP), and the answers are
compared with compare.py. A difference that docs/compat.md explains is counted as
"known" with its section; any other fails the test. The table (family × equal /
known / different) is printed at the end of the run."""
import json
import os
from collections import defaultdict

import compare
import known
import requests_gen
from conftest import REPORT

N_RANDOM = int(os.environ.get("COMPTOIR_PARITY_RANDOM", "160"))


def run_all(emb, clu, reqs):
    answers = {}
    for side in (emb, clu):
        for kind in ("logs", "sales"):
            chosen = [r for r in reqs if r["index"] == kind]
            bodies = [side.resolve(kind, r["body"]) for r in chosen]
            for r, a in zip(chosen, side.search(kind, bodies)):
                answers.setdefault(id(r), {})[side.name] = a
    return answers


def table(rows):
    width = max(len(f) for f in rows) + 2
    lines = [f"{'family':<{width}}{'requests':>9}{'equal':>7}{'known':>7}{'different':>11}"]
    for family in sorted(rows):
        c = rows[family]
        n = sum(c.values())
        lines.append(f"{family:<{width}}{n:>9}{c['equal']:>7}{c['known']:>7}{c['different']:>11}")
    return lines


def test_engine_parity(loaded, seed):
    emb, clu, _ = loaded
    reqs = requests_gen.all_requests(seed, N_RANDOM)
    answers = run_all(emb, clu, reqs)
    by_family = defaultdict(lambda: defaultdict(int))
    by_tag = defaultdict(lambda: defaultdict(int))
    status_count = defaultdict(int)
    failures, known_seen = [], defaultdict(int)
    for r in reqs:
        a, b = answers[id(r)]["embedded"], answers[id(r)]["cluster"]
        diffs = compare.compare_responses(r["body"], a, b)
        unexplained = []
        for d in diffs.items:
            ref = known.explain(r, d, a, b)
            if ref:
                known_seen[ref] += 1
            else:
                unexplained.append(d)
        status = "different" if unexplained else ("known" if diffs else "equal")
        status_count[status] += 1
        by_family[r["family"]][status] += 1
        for t in r["tags"]:
            by_tag[t][status] += 1
        if unexplained:
            failures.append((r, unexplained))
    lines = table(by_family)
    lines += ["", "by feature used (a request counts once for each query/agg type it uses):"]
    lines += table(by_tag)
    lines += ["", f"total: {len(reqs)} requests, " + ", ".join(
        f"{k} {status_count[k]}" for k in ("equal", "known", "different"))]
    if known_seen:
        lines += ["known differences seen (docs/compat.md): " + ", ".join(
            f"{k} ×{v}" for k, v in sorted(known_seen.items()))]
    REPORT.append(("parity: engine (embedded vs cluster, same _search bodies)", lines))
    print("\n".join(lines))
    detail = []
    for r, ds in failures[:40]:
        detail.append(f"- {r['family']} on {r['index']}: {json.dumps(r['body'])[:400]}")
        for d in ds[:4]:
            detail.append(f"    {d.path}: embedded {d.shown_a} | cluster {d.shown_b}")
    assert not failures, f"{len(failures)} requests answered differently:\n" + "\n".join(detail)
