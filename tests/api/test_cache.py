"""GET/DELETE /api/cache/<key>, POST /api/cache and GET /api/cache/stats."""
import re
import time

import pytest
import requests


@pytest.fixture
def api(start_server):
    return start_server().url + "/api/cache"


def put(api, key, value, ttl=None):
    body = {"key": key, "value": value}
    if ttl is not None:
        body["ttl"] = ttl
    r = requests.post(api, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_specification_example(api):
    r = requests.post(api, json={"key": "user:123", "value": "John Doe", "ttl": 3600})
    assert r.status_code == 201
    assert r.json() == {"message": "Cache entry created", "key": "user:123",
                        "value": "John Doe", "ttl": 3600}
    r = requests.get(api + "/user:123")
    assert r.status_code == 200
    body = r.json()
    assert body["key"] == "user:123" and body["value"] == "John Doe"
    assert 3598 <= body["ttl"] <= 3600


def test_no_ttl_is_minus_one_and_overwrite_drops_ttl(api):
    put(api, "k", 1, ttl=100)
    put(api, "k", 2)
    assert requests.get(api + "/k").json() == {"key": "k", "value": 2, "ttl": -1}


@pytest.mark.parametrize("value", ["text", 42, -7, 3.25, 1e300, True, False, None,
                                   [1, "two", None], {"nested": {"a": [1, 2]}, "é": "東京"}, ""])
def test_values_round_trip_with_their_type(api, value):
    put(api, "v", value)
    assert requests.get(api + "/v").json()["value"] == value


def test_expiry(api):
    put(api, "short", "x", ttl=1)
    assert requests.get(api + "/short").status_code == 200
    time.sleep(2.2)
    r = requests.get(api + "/short")
    assert r.status_code == 404
    assert r.json()["status"] == 404


def test_delete(api):
    put(api, "d", 1)
    r = requests.delete(api + "/d")
    assert r.status_code == 200
    assert r.json() == {"message": "Cache entry deleted", "key": "d"}
    assert requests.get(api + "/d").status_code == 404
    assert requests.delete(api + "/d").status_code == 404


def test_keys_with_reserved_url_characters(api):
    for key in ["a/b", "a b", "100%", "ключ", "x?y#z"]:
        put(api, key, key)
        quoted = requests.utils.quote(key, safe="")
        assert requests.get(f"{api}/{quoted}").json()["value"] == key


@pytest.mark.parametrize("body,field", [
    ({"value": 1}, "key"),
    ({"key": "", "value": 1}, "key"),
    ({"key": 5, "value": 1}, "key"),
    ({"key": "k" * 513, "value": 1}, "key"),
    ({"key": "a\u0001b", "value": 1}, "key"),
    ({"key": "stats", "value": 1}, "key"),
    ({"key": "k"}, "value"),
    ({"key": "k", "value": "x" * (1 << 20)}, "value"),
    ({"key": "k", "value": 1, "ttl": 0}, "ttl"),
    ({"key": "k", "value": 1, "ttl": -5}, "ttl"),
    ({"key": "k", "value": 1, "ttl": 2592001}, "ttl"),
    ({"key": "k", "value": 1, "ttl": "60"}, "ttl"),
    ({"key": "k", "value": 1, "ttl": 1.5}, "ttl"),
    ({"key": "k", "value": 1, "ttl": True}, "ttl"),
    ({"key": "k", "value": 1, "ttl": 2 ** 64}, "ttl"),
])
def test_invalid_entries_are_400(api, body, field):
    r = requests.post(api, json=body)
    assert r.status_code == 400, r.text
    assert field in r.json()["fields"]


def test_limits_are_inclusive(api):
    put(api, "k" * 512, "x" * ((1 << 20) - 2), ttl=2592000)  # JSON text is exactly 1 MiB
    assert requests.get(api + "/" + "k" * 512).json()["ttl"] == 2592000


def test_key_too_long_in_url(api):
    assert requests.get(api + "/" + "k" * 513).status_code == 400


@pytest.mark.parametrize("data", [b"", b"not json", b"[]", b"{\"key\": \"\xff\", \"value\": 1}"])
def test_malformed_bodies(api, data):
    assert requests.post(api, data=data).status_code == 400


def test_stats(api):
    before = requests.get(api + "/stats").json()
    assert set(before) >= {"dbsize", "used_memory", "connected_clients", "hits", "misses",
                           "evictions", "backend"}
    assert re.fullmatch(r"\d+(\.\d+)?[BKMGT]", before["used_memory"])
    put(api, "s1", 1)
    put(api, "s2", 2)
    requests.get(api + "/s1")
    requests.get(api + "/missing")
    after = requests.get(api + "/stats").json()
    assert after["dbsize"] == before["dbsize"] + 2
    assert after["hits"] > before["hits"]
    assert after["misses"] > before["misses"]
    assert after["backend"] in ("embedded", "redis")


def test_memory_cache_evicts_least_recently_used(start_server):
    from conftest import EXTERNAL
    if EXTERNAL:
        pytest.skip("eviction is Redis's own (maxmemory-policy) with REDIS_HOST set")
    s = start_server(COMPTOIR_CACHE_MAX_BYTES=4096)
    api = s.url + "/api/cache"
    for i in range(40):
        put(api, f"k{i}", "x" * 200)
        requests.get(api + "/k0")  # keep k0 hot
    stats = requests.get(api + "/stats").json()
    assert stats["backend"] == "embedded"
    assert stats["evictions"] > 0
    assert requests.get(api + "/k0").status_code == 200
    assert requests.get(api + "/k1").status_code == 404
