"""The status endpoints report the live state of the store and the cache."""
import os
import socket
import subprocess
import threading
import time

import pytest
import requests

from conftest import EXTERNAL, ROOT, drop_elasticsearch_data, es_url as conftest_es_url, free_port


def test_status_lists_collections_and_cache_size(start_server):
    s = start_server()
    requests.post(s.url + "/api/products", json={"name": "A", "price": 1})
    requests.post(s.url + "/api/orders", json={"customer": "A", "total": 1, "date": "2025-01-01"})
    requests.post(s.url + "/api/cache", json={"key": "a", "value": 1})
    body = requests.get(s.url + "/api/services-status").json()
    assert body["mongodb"]["status"] == "connected"
    assert set(body["mongodb"]["collections"]) >= {"products", "orders"}
    assert body["redis"]["dbsize"] == 1
    expected = ("mongodb", "redis") if EXTERNAL else ("embedded", "embedded")
    assert (body["mongodb"]["backend"], body["redis"]["backend"]) == expected


def test_embedded_store_survives_restart(start_server, tmp_path):
    if EXTERNAL:
        pytest.skip("the external store's persistence is the server's own")
    data = tmp_path / "data"
    s = start_server(COMPTOIR_DATA_DIR=data)
    requests.post(s.url + "/api/products", json={"id": "keep", "name": "A", "price": 1})
    assert s.stop() == 0
    s2 = start_server(COMPTOIR_DATA_DIR=data)
    assert requests.get(s2.url + "/api/products/keep").json()["name"] == "A"


def services(*args):
    return subprocess.run([str(ROOT / "scripts" / "services"), *args], capture_output=True,
                          text=True, timeout=300)


def wait_until(predicate, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(not EXTERNAL, reason="needs real Redis and FerretDB (scripts/run-tests)")
def test_redis_down_and_back(start_server):
    s = start_server()
    api = s.url + "/api/cache"
    assert requests.post(api, json={"key": "a", "value": 1}).status_code == 201
    assert services("stop", "redis").returncode == 0
    try:
        r = requests.post(api, json={"key": "b", "value": 2})
        assert r.status_code == 503
        assert r.json()["status"] == 503
        assert requests.get(api + "/stats").status_code == 503
        status = requests.get(s.url + "/api/services-status").json()
        assert status["redis"]["status"] == "disconnected"
        assert requests.get(s.url + "/").json()["services"]["redis"] == "disconnected"
        # Everything else keeps working.
        assert requests.post(s.url + "/api/products",
                             json={"name": "A", "price": 1}).status_code == 201
        assert requests.get(s.url + "/health").status_code == 200
    finally:
        assert services("start", "redis").returncode == 0
    assert wait_until(lambda: requests.post(api, json={"key": "c", "value": 3}).status_code == 201)
    assert requests.get(s.url + "/").json()["services"]["redis"] == "connected"


@pytest.mark.skipif(not EXTERNAL, reason="needs real Redis and FerretDB (scripts/run-tests)")
def test_mongo_down_and_back(start_server):
    s = start_server()
    api = s.url + "/api/products"
    assert requests.post(api, json={"id": "m1", "name": "A", "price": 1}).status_code == 201
    assert services("stop", "mongo").returncode == 0
    try:
        r = requests.get(api)
        assert r.status_code == 503
        assert r.json()["status"] == 503
        status = requests.get(s.url + "/api/services-status").json()
        assert status["mongodb"]["status"] == "disconnected"
        assert requests.post(s.url + "/api/cache",
                             json={"key": "still", "value": "works"}).status_code == 201
    finally:
        assert services("start", "mongo").returncode == 0
    assert wait_until(lambda: requests.get(api + "/m1").status_code == 200, timeout=30)
    assert requests.get(s.url + "/").json()["services"]["mongodb"] == "connected"


class TcpRelay:
    """Forwards connections on a loopback port to another address: a search cluster
    that "comes back" when the relay starts, without touching the real one."""

    def __init__(self, port, target):
        self.target = target
        self.stopped = threading.Event()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(16)
        self.listener.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self):
        self.stopped.set()
        self.listener.close()


def test_search_cluster_down_and_back(start_server):
    """ELASTICSEARCH_HOST unreachable: the server starts, says `disconnected`, answers 503
    JSON where it needs the cluster and keeps the rest working; once the cluster answers,
    it works again without a restart (that part needs COMPTOIR_TEST_ES_URL)."""
    port = free_port()
    prefix = f"comptoir-test-{os.urandom(6).hex()}-"
    s = start_server(ELASTICSEARCH_HOST=f"http://127.0.0.1:{port}",
                     COMPTOIR_ES_INDEX_PREFIX=prefix)
    assert requests.get(s.url + "/").json()["services"]["elasticsearch"] == "disconnected"
    status = requests.get(s.url + "/api/services-status").json()["elasticsearch"]
    assert (status["status"], status["backend"], status["indices"]) == \
        ("disconnected", "elasticsearch", [])
    assert status["error"]
    logs = ("timestamp,level,service,message\n"
            "2025-12-23T10:30:00Z,ERROR,payment-service,Payment failed\n")
    for r in (requests.post(s.url + "/api/upload",
                            files={"file": ("down.csv", logs.encode(), "text/csv")}),
              requests.post(s.url + "/api/search", json={"query": "payment"})):
        assert r.status_code == 503, r.text
        assert r.json()["status"] == 503
    assert requests.post(s.url + "/api/products", json={"name": "A", "price": 1}).status_code == 201
    assert requests.get(s.url + "/health").status_code == 200

    es_url = conftest_es_url()
    if not es_url:
        return
    host, es_port = es_url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    relay = TcpRelay(port, (host, int(es_port)))
    try:
        assert wait_until(lambda: requests.post(
            s.url + "/api/upload",
            files={"file": ("back.csv", logs.encode(), "text/csv")}).status_code == 200)
        found = requests.post(s.url + "/api/search", json={"query": "payment"})
        assert found.status_code == 200, found.text
        assert found.json()["total"] == 1
        status = requests.get(s.url + "/api/services-status").json()["elasticsearch"]
        assert status["status"] == "connected"
        assert status["indices"] == ["ecommerce-logs-2025.12.23"]
    finally:
        relay.stop()
        drop_elasticsearch_data({"ELASTICSEARCH_HOST": es_url, "COMPTOIR_ES_INDEX_PREFIX": prefix})
