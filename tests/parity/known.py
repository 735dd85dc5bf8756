"""Differences between the embedded engine and the cluster that docs/compat.md
explains, each recognised narrowly and named by its section there. explain() returns
that anchor for one difference, or None when the difference is not a known one (the
suite then fails)."""
import json

DOC = "docs/compat.md#"


def _error(answer):
    e = answer.get("error")
    return e if isinstance(e, dict) else {}


def _shard_failure(request, diff, emb, clu):
    """The embedded engine answers 400 where the cluster fails only some shards."""
    return (diff.path == "error" and _error(emb).get("type") == "query_shard_exception"
            and "error" not in clu and clu.get("_shards", {}).get("failed", 0) > 0)


def _sort_format(request, diff, emb, clu):
    reason = json.dumps(_error(clu))
    return diff.path == "error" and "[field_sort] unknown field [format]" in reason


def _legacy_interval(request, diff, emb, clu):
    return (diff.path == "error" and "unknown field [interval]" in _error(emb).get("reason", "")
            and "error" not in clu)


def _terms_shards(request, diff, emb, clu):
    """A terms aggregation over several indices: the cluster merges per-shard top lists
    (shard_size) and says so in doc_count_error_upper_bound; the embedded one is exact."""
    return request["index"] == "logs" and any(
        t == "terms" and isinstance(res, dict) and res.get("doc_count_error_upper_bound", 0) > 0
        for t, _, res in diff.chain)


def _cardinality(request, diff, emb, clu):
    if not diff.agg_types() or diff.agg_types()[-1] != "cardinality":
        return False
    a, b = diff.a, diff.b
    if not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return False
    return abs(a - b) <= 0.06 * max(abs(a), abs(b), 1)


def _percentiles(request, diff, emb, clu):
    return bool(diff.agg_types()) and diff.agg_types()[-1] == "percentiles" \
        and ".values" in diff.path


def _opensearch_filters(request, diff, emb, clu):
    """OpenSearch 2.19 under-counts the buckets of a filters/filter aggregation that has a
    metric sub-aggregation on a field unmapped in some of the indices."""
    if request["index"] != "logs" or not diff.path.endswith("doc_count"):
        return False
    return any(t in ("filters", "filter") and spec is not None for t, spec, _ in diff.chain) and \
        isinstance(diff.a, int) and isinstance(diff.b, int) and diff.a > diff.b


def _top_hits_unmapped_sort(request, diff, emb, clu):
    return "top_hits" in diff.agg_types() and diff.path.endswith(".sort") and \
        "null" in diff.shown_a and "9223372036854775807" in diff.shown_b


RULES = [
    (_shard_failure, "partial-shard-failures"),
    (_sort_format, "sort-format"),
    (_legacy_interval, "date-histogram-interval"),
    (_terms_shards, "terms-over-several-indices"),
    (_cardinality, "cardinality"),
    (_percentiles, "percentiles"),
    (_opensearch_filters, "opensearch-filters-sub-aggregation"),
    (_top_hits_unmapped_sort, "top-hits-unmapped-sort"),
]


def explain(request, diff, embedded, cluster):
    for rule, anchor in RULES:
        if rule(request, diff, embedded, cluster):
            return DOC + anchor
    return None
