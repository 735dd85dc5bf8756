"""The two sides of the parity suite. The same files are indexed twice with the real
`comptoir ingest`: into an embedded data directory, and with ELASTICSEARCH_HOST into
the test cluster under an index prefix of its own (the API suite's helpers choose and
drop it). Requests then go to the embedded engine through the hidden
`comptoir search-json` subcommand and to the cluster directly over HTTP, so the
cluster's answer is never seen through Comptoir's own parser."""
import importlib.util
import json
import os
import pathlib
import subprocess

import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(os.environ.get("COMPTOIR_SHARED_DATA", ROOT.parent / "shared" / "data"))

_spec = importlib.util.spec_from_file_location("comptoir_api_conftest",
                                               ROOT / "tests" / "api" / "conftest.py")
api = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api)

BIN = api.BIN
INDICES = {"logs": "ecommerce-logs-*", "sales": "ecommerce-sales"}
LENIENT = "ignore_unavailable=true&allow_no_indices=true"

# Real files indexed on both sides (with the generated ones). Loghub files whose lines
# spread over many days are left out: each day is an index on the cluster, and index
# creation is what costs most there.
REAL_FILES = ["loghub/Apache_2k.log", "loghub/HDFS_2k.log", "loghub/OpenSSH_2k.log",
              "loghub/Spark_2k.log", "ecommerce/online_retail_2010-12-01.csv",
              "jsonl_logs/nginxplus_json_logs_first100.jsonl"]


def real_files():
    return [DATA / f for f in REAL_FILES if (DATA / f).is_file()]


def cluster_url():
    """The test cluster's URL (COMPTOIR_TEST_ES_URL, else `scripts/services start es`),
    or None with the reason."""
    url = os.environ.get("COMPTOIR_TEST_ES_URL")
    if url:
        return url, ""
    r = subprocess.run([str(ROOT / "scripts" / "services"), "start", "es"], capture_output=True,
                       text=True)
    if r.returncode == 0 and r.stdout.strip():
        os.environ["COMPTOIR_TEST_ES_URL"] = r.stdout.strip()  # for the API suite's helpers
        return r.stdout.strip(), ""
    return None, r.stderr.strip()[-2000:]


class Side:
    """One backend: its data directory and the environment of every comptoir run on it."""

    def __init__(self, name, data_dir, es_url=None):
        self.name = name
        self.data_dir = pathlib.Path(data_dir)
        self.env = api.clean_environment()
        self.env.update({"COMPTOIR_DATA_DIR": str(self.data_dir), "COMPTOIR_TIMEZONE": "UTC"})
        self.prefix = ""
        self.es_url = es_url
        if es_url:
            es = api.elasticsearch_environment(self.data_dir)
            es["ELASTICSEARCH_HOST"] = es_url
            es["COMPTOIR_ES_REFRESH"] = "true"
            self.env.update(es)
            self.prefix = es["COMPTOIR_ES_INDEX_PREFIX"]
        self.ids = {}  # (kind, seq) -> _id

    def ingest(self, paths):
        """Starts `comptoir ingest`; returns the process (wait on it)."""
        return subprocess.Popen([BIN, "ingest", *map(str, paths)], env=self.env,
                                cwd=str(self.data_dir.parent), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def search(self, kind, bodies):
        """The `_search` responses to `bodies` on INDICES[kind], as dicts."""
        if not bodies:
            return []
        if self.es_url is None:
            lines = "".join(json.dumps(b) + "\n" for b in bodies)
            r = subprocess.run([BIN, "search-json", INDICES[kind]], input=lines, env=self.env,
                               capture_output=True, text=True, timeout=300)
            assert r.returncode == 0, r.stderr
            out = [json.loads(line) for line in r.stdout.splitlines()]
            assert len(out) == len(bodies), r.stderr
            return out
        out = []
        with requests.Session() as s:
            for b in bodies:
                r = s.post(f"{self.es_url}/{self.prefix}{INDICES[kind]}/_search?{LENIENT}",
                           json=b, timeout=60)
                answer = r.json()
                if r.status_code != 200:
                    answer = {"error": answer.get("error"), "status": r.status_code}
                else:
                    strip_prefix(answer, self.prefix)
                out.append(answer)
        return out

    def load_ids(self):
        """Maps the generated documents' `seq` to this backend's `_id`s."""
        for kind, file in (("logs", "gen_logs.ndjson"), ("sales", "gen_sales.ndjson")):
            body = {"query": {"term": {"source_file": file}}, "size": 10000,
                    "_source": ["seq"],
                    "sort": [{"seq": {"order": "asc", "unmapped_type": "long"}}]}
            (answer,) = self.search(kind, [body])
            for h in answer["hits"]["hits"]:
                self.ids[(kind, h["_source"]["seq"])] = h["_id"]

    def resolve(self, kind, body):
        """`body` with every "$SEQ:n" string replaced by this backend's id of that doc."""
        def walk(v):
            if isinstance(v, str) and v.startswith("$SEQ:"):
                return self.ids.get((kind, int(v[5:])), "missing-" + v[5:])
            if isinstance(v, list):
                return [walk(x) for x in v]
            if isinstance(v, dict):
                return {k: walk(x) for k, x in v.items()}
            return v
        return walk(body)

    def drop(self):
        if self.es_url:
            api.drop_elasticsearch_data({"ELASTICSEARCH_HOST": self.es_url,
                                         "COMPTOIR_ES_INDEX_PREFIX": self.prefix})


def strip_prefix(v, prefix):
    if not prefix:
        return
    if isinstance(v, dict):
        idx = v.get("_index")
        if isinstance(idx, str) and idx.startswith(prefix):
            v["_index"] = idx[len(prefix):]
        for x in v.values():
            strip_prefix(x, prefix)
    elif isinstance(v, list):
        for x in v:
            strip_prefix(x, prefix)
