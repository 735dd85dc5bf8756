"""POST /api/search/save and GET /api/search/history."""
import pytest
import requests


@pytest.fixture
def srv(start_server):
    return start_server()


def test_specification_example(srv):
    body = {"query": "error", "level": "ERROR", "service": "payment-service",
            "timestamp": "2025-12-23T10:30:00"}
    r = requests.post(srv.url + "/api/search/save", json=body)
    assert r.status_code == 201
    saved = r.json()
    assert {k: saved[k] for k in body} == body
    assert len(saved["id"]) == 16 and saved["saved_at"].endswith("Z")
    history = requests.get(srv.url + "/api/search/history").json()
    assert history["count"] == 1
    assert history["searches"] == [saved]


def test_newest_first_with_limit(srv):
    for i in range(15):
        assert requests.post(srv.url + "/api/search/save", json={"query": f"q{i}"}).status_code == 201
    history = requests.get(srv.url + "/api/search/history").json()
    assert history["count"] == 15
    assert [s["query"] for s in history["searches"]] == [f"q{i}" for i in range(14, 4, -1)]
    three = requests.get(srv.url + "/api/search/history", params={"limit": 3}).json()
    assert [s["query"] for s in three["searches"]] == ["q14", "q13", "q12"]
    assert all(s["timestamp"] == s["saved_at"] for s in three["searches"])


@pytest.mark.parametrize("body,field", [
    ({}, "query"), ({"query": 5}, "query"), ({"query": "x" * 1001}, "query"),
    ({"query": "a", "level": 3}, "level"), ({"query": "a", "timestamp": "yesterday"}, "timestamp"),
])
def test_invalid_saves(srv, body, field):
    r = requests.post(srv.url + "/api/search/save", json=body)
    assert r.status_code == 400
    assert field in r.json()["fields"]


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_invalid_limit(srv, limit):
    r = requests.get(srv.url + "/api/search/history", params={"limit": limit})
    assert r.status_code == 400 and "limit" in r.json()["fields"]


def test_unknown_fields_are_not_stored(srv):
    saved = requests.post(srv.url + "/api/search/save",
                          json={"query": "a", "$where": "1", "_id": "x"}).json()
    assert "$where" not in saved and "_id" not in saved
