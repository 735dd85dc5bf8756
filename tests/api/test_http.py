"""HTTP behaviour every endpoint shares: errors as JSON, CORS, limits, timeouts,
keep-alive and pipelining, request ids, graceful shutdown, access log."""
import json
import signal
import socket
import time

import pytest
import requests


def assert_json_error(r, status):
    assert r.status_code == status
    body = r.json()
    assert body["status"] == status
    assert body["error"]
    assert body["request_id"] == r.headers["X-Request-Id"]


# --- routing errors ---------------------------------------------------------

def test_unknown_path_is_json_404(server):
    assert_json_error(requests.get(server.url + "/api/does-not-exist"), 404)


def test_wrong_method_is_json_405_with_allow(server):
    r = requests.delete(server.url + "/health")
    assert_json_error(r, 405)
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS"


# --- CORS --------------------------------------------------------------------

def test_cors_preflight(server):
    r = requests.options(server.url + "/api/services-status", headers={
        "Origin": "https://dashboard.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type, Authorization",
    })
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in r.headers["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "POST", "PUT", "DELETE", "OPTIONS"}
    assert r.headers["Access-Control-Allow-Headers"] == "content-type, authorization"
    assert r.content == b""


def test_cors_on_api_responses_only(server):
    origin = {"Origin": "https://dashboard.example"}
    assert requests.get(server.url + "/api/services-status",
                        headers=origin).headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in requests.get(server.url + "/health",
                                                             headers=origin).headers


def test_cors_listed_origins(start_server):
    s = start_server(COMPTOIR_CORS_ORIGINS="https://a.example,https://b.example")
    ok = requests.get(s.url + "/api/services-status", headers={"Origin": "https://b.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert ok.headers["Vary"] == "Origin"
    no = requests.get(s.url + "/api/services-status", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in no.headers
    pre = requests.options(s.url + "/api/services-status", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 204
    assert "Access-Control-Allow-Methods" not in pre.headers


# --- request ids ---------------------------------------------------------------

def test_request_id_is_kept_when_sane_and_replaced_otherwise(server):
    r = requests.get(server.url + "/health", headers={"X-Request-Id": "trace-42.a_b"})
    assert r.headers["X-Request-Id"] == "trace-42.a_b"
    r = requests.get(server.url + "/health", headers={"X-Request-Id": "bad id; drop table"})
    assert r.headers["X-Request-Id"] != "bad id; drop table"
    assert len(r.headers["X-Request-Id"]) == 16
    ids = {requests.get(server.url + "/health").headers["X-Request-Id"] for _ in range(50)}
    assert len(ids) == 50


# --- limits --------------------------------------------------------------------

def test_body_over_limit_is_413_before_the_body_is_read(start_server):
    s = start_server(MAX_CONTENT_LENGTH=1000)
    from conftest import RawConnection
    c = RawConnection(s.port)
    # Announce 50 MB but send none of it: the answer must come from the head alone.
    c.send("POST /api/services-status HTTP/1.1\r\nHost: t\r\nContent-Length: 50000000\r\n\r\n")
    status, headers, body = c.read_response(timeout=5)
    assert status == 413
    assert json.loads(body)["status"] == 413
    assert headers["connection"] == "close"
    c.close()


def test_body_over_limit_with_client_sending_it_all(start_server):
    s = start_server(MAX_CONTENT_LENGTH=1000)
    r = requests.post(s.url + "/api/services-status", data=b"x" * 200_000)
    assert_json_error(r, 413)


def test_chunked_body_over_limit_is_413(start_server):
    s = start_server(MAX_CONTENT_LENGTH=1000)

    def chunks():
        for _ in range(10):
            yield b"y" * 500

    r = requests.post(s.url + "/api/services-status", data=chunks())
    assert r.status_code == 413


def test_body_within_limit_reaches_the_router(start_server):
    s = start_server(MAX_CONTENT_LENGTH=1000)
    r = requests.post(s.url + "/api/services-status", data=b"x" * 1000)
    assert_json_error(r, 405)


def test_oversized_header_is_431(server):
    r = requests.get(server.url + "/health", headers={"X-Big": "a" * 20000})
    assert_json_error(r, 431)


@pytest.mark.parametrize("request_line", [
    b"GARBAGE\r\n\r\n",
    b"GET /health HTTP/9.9\r\nHost: t\r\n\r\n",
    b"GET /he alth HTTP/1.1\r\nHost: t\r\n\r\n",
    b"GET /health HTTP/1.1\r\nBad Header\r\n\r\n",
    b"\x00\x01\x02\x03\r\n\r\n",
    b"POST /health HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
])
def test_malformed_requests_get_400(raw, request_line):
    c = raw()
    c.send(request_line)
    status, headers, body = c.read_response()
    assert status == 400
    assert json.loads(body)["status"] == 400
    assert c.closed_by_peer(5)


def test_connection_cap_answers_503(start_server):
    s = start_server(COMPTOIR_MAX_CONNECTIONS=2)
    from conftest import RawConnection
    held = [RawConnection(s.port), RawConnection(s.port)]
    for c in held:  # make sure both are accepted and counted
        c.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        assert c.read_response()[0] == 200
    extra = RawConnection(s.port)
    status, headers, body = extra.read_response()
    assert status == 503
    assert json.loads(body)["status"] == 503
    for c in held + [extra]:
        c.close()
    time.sleep(0.2)
    assert requests.get(s.url + "/health").status_code == 200


# --- timeouts --------------------------------------------------------------------

def test_slow_client_is_timed_out(start_server):
    s = start_server(COMPTOIR_READ_TIMEOUT=1)
    from conftest import RawConnection
    c = RawConnection(s.port)
    c.send("GET /health HTTP/1.1\r\nHost: t\r\n")  # never finishes the head
    started = time.time()
    assert c.closed_by_peer(5)
    assert time.time() - started < 3
    # The server is still fine for everyone else.
    assert requests.get(s.url + "/health").status_code == 200


def test_slow_body_is_timed_out(start_server):
    s = start_server(COMPTOIR_READ_TIMEOUT=1)
    from conftest import RawConnection
    c = RawConnection(s.port)
    c.send("POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc")
    assert c.closed_by_peer(5)


def test_idle_keep_alive_connection_is_closed(start_server):
    s = start_server(COMPTOIR_IDLE_TIMEOUT=1)
    from conftest import RawConnection
    c = RawConnection(s.port)
    c.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
    assert c.read_response()[0] == 200
    started = time.time()
    assert c.closed_by_peer(5)
    assert 0.5 < time.time() - started < 3


# --- keep-alive and pipelining ------------------------------------------------------

def test_keep_alive_reuses_the_connection(raw):
    c = raw()
    for _ in range(5):
        c.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        status, headers, _ = c.read_response()
        assert status == 200
        assert headers.get("connection", "keep-alive") != "close"


def test_pipelined_requests_are_answered_in_order(raw):
    c = raw()
    c.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n"
           "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"
           "DELETE /health HTTP/1.1\r\nHost: t\r\n\r\n"
           "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    assert [c.read_response()[0] for _ in range(4)] == [200, 404, 405, 200]
    assert c.closed_by_peer(5)


def test_http10_closes_after_the_response(raw):
    c = raw()
    c.send("GET /health HTTP/1.0\r\n\r\n")
    assert c.read_response()[0] == 200
    assert c.closed_by_peer(5)


# --- shutdown --------------------------------------------------------------------

def test_graceful_shutdown_finishes_the_request_in_flight(start_server):
    s = start_server(COMPTOIR_SHUTDOWN_TIMEOUT=10)
    from conftest import RawConnection
    idle = RawConnection(s.port)
    idle.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
    assert idle.read_response()[0] == 200
    busy = RawConnection(s.port)
    busy.send("GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nab")
    time.sleep(0.2)
    s.proc.send_signal(signal.SIGTERM)
    # The idle keep-alive connection is closed at once...
    assert idle.closed_by_peer(3)
    # ...new connections are refused...
    time.sleep(0.2)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", s.port), timeout=2).recv(1)
    # ...and the request in flight still gets its full answer.
    assert s.proc.poll() is None
    busy.send("cde")
    status, headers, body = busy.read_response()
    assert status == 200
    assert headers["connection"] == "close"
    assert json.loads(body)["status"] == "healthy"
    assert s.proc.wait(timeout=10) == 0
    assert "shutting down" in s.log()


def test_shutdown_wait_is_bounded(start_server):
    s = start_server(COMPTOIR_SHUTDOWN_TIMEOUT=1, COMPTOIR_READ_TIMEOUT=30)
    from conftest import RawConnection
    stuck = RawConnection(s.port)
    stuck.send("GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nab")
    time.sleep(0.2)
    started = time.time()
    s.proc.send_signal(signal.SIGINT)
    assert s.proc.wait(timeout=10) == 0
    assert time.time() - started < 4
    stuck.close()


# --- access log ----------------------------------------------------------------------

def test_access_log_line_per_request(start_server):
    s = start_server()
    r = requests.get(s.url + "/health?x=1", headers={"X-Request-Id": "log-check-1"})
    assert r.status_code == 200
    s.stop()
    lines = [l for l in s.log().splitlines() if "log-check-1" in l]
    assert len(lines) == 1
    assert "GET /health?x=1 200" in lines[0]
    assert "us id=log-check-1" in lines[0]


def test_access_log_as_json(start_server):
    s = start_server(args=("--log-format", "json"))
    requests.get(s.url + "/nope", headers={"X-Request-Id": "log-check-2"})
    s.stop()
    records = [json.loads(l) for l in s.log().splitlines() if l.strip()]
    access = [r for r in records if r.get("request_id") == "log-check-2"]
    assert len(access) == 1
    a = access[0]
    assert (a["type"], a["method"], a["path"], a["status"]) == ("access", "GET", "/nope", 404)
    assert a["bytes"] > 0 and a["duration_us"] >= 0
    assert any(r.get("msg", "").startswith("listening on") for r in records)
