"""The status endpoints report the live state of the store and the cache."""
import os
import subprocess
import time

import pytest
import requests

from conftest import EXTERNAL, ROOT


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
