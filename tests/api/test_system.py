"""System endpoints, called exactly as the specification's curl examples do."""
import datetime

import requests


def parse_timestamp(value):
    assert value.endswith("Z"), value
    return datetime.datetime.fromisoformat(value[:-1]).replace(tzinfo=datetime.timezone.utc)


def assert_recent(value):
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - parse_timestamp(value)).total_seconds()) < 60


def test_root_reports_status_and_services(server):
    r = requests.get(server.url + "/")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert set(body) == {"message", "status", "timestamp", "services"}
    assert body["status"] == "running"
    assert_recent(body["timestamp"])
    assert set(body["services"]) == {"mongodb", "redis", "elasticsearch"}
    for state in body["services"].values():
        assert state in ("connected", "disconnected")


def test_health(server):
    r = requests.get(server.url + "/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "healthy"
    assert_recent(body["timestamp"])
    assert len(r.headers["X-Request-Id"]) == 16


def test_services_status_shape(server):
    r = requests.get(server.url + "/api/services-status")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"mongodb", "redis", "elasticsearch"}
    assert body["mongodb"]["status"] == "connected"
    assert isinstance(body["mongodb"]["collections"], list)
    assert isinstance(body["redis"]["dbsize"], int)
    assert isinstance(body["elasticsearch"]["indices"], list)
    from conftest import ELASTICSEARCH, EXTERNAL
    expected = ("mongodb", "redis") if EXTERNAL else ("embedded", "embedded")
    assert (body["mongodb"]["backend"], body["redis"]["backend"]) == expected
    assert body["elasticsearch"]["backend"] == ("elasticsearch" if ELASTICSEARCH else "embedded")


def test_head_answers_headers_without_body(server):
    get = requests.get(server.url + "/health")
    head = requests.head(server.url + "/health")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
