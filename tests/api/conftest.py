"""Starts the real comptoir binary for the API tests.

Each server runs on a free loopback port with its own temporary data directory
and working directory (so no stray .env is read). `server` is one shared server
with default settings; `start_server(**env)` starts extra ones with other
settings and stops them at the end of the test.
"""
import hashlib
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.path.abspath(os.environ.get("COMPTOIR_BIN", str(ROOT / "build" / "comptoir")))
SANITIZED = os.environ.get("COMPTOIR_SANITIZED") == "1"
START_TIMEOUT = 60 if SANITIZED else 15

# Settings that must not leak from the caller's environment into test servers.
_CONFIG_PREFIXES = ("COMPTOIR_",)
_CONFIG_NAMES = {"MONGODB_URI", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_DB",
                 "ELASTICSEARCH_HOST", "UPLOAD_FOLDER", "MAX_CONTENT_LENGTH"}


EXTERNAL = os.environ.get("COMPTOIR_TEST_BACKENDS") == "external"
# The search backend on the cluster of COMPTOIR_TEST_ES_URL (scripts/services start es);
# the store and the cache stay embedded. COMPTOIR_TEST_ES_URL may list several nodes,
# comma-separated (`scripts/services urls es3`): servers get them all as
# ELASTICSEARCH_HOST. COMPTOIR_TEST_ES_SHARDS and COMPTOIR_TEST_ES_REPLICAS, when set,
# become the servers' COMPTOIR_ES_SHARDS and COMPTOIR_ES_REPLICAS.
ELASTICSEARCH = os.environ.get("COMPTOIR_TEST_BACKENDS") == "elasticsearch"


def es_urls():
    """The test cluster's node URLs (COMPTOIR_TEST_ES_URL, comma-separated), or []."""
    return [u.strip() for u in os.environ.get("COMPTOIR_TEST_ES_URL", "").split(",") if u.strip()]


def es_url():
    """The first node of the test cluster, for direct requests; None without a cluster."""
    urls = es_urls()
    return urls[0] if urls else None


_next_redis_db = [1]


def redis_command(url, *args):
    """Sends one command to Redis (RESP over a socket) and returns the raw reply."""
    host, port = url.removeprefix("redis://").rstrip("/").rsplit(":", 1)
    payload = f"*{len(args)}\r\n" + "".join(f"${len(str(a))}\r\n{a}\r\n" for a in args)
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(payload.encode())
        return s.recv(65536)


def external_backend_environment():
    """MONGODB_URI and REDIS_* for a new server: its own Mongo database and its own,
    emptied, Redis database, so servers never see each other's data."""
    mongo = os.environ["COMPTOIR_TEST_MONGODB_URI"]
    redis_url = os.environ["COMPTOIR_TEST_REDIS_URL"]
    base = mongo.split("://", 1)[1].split("/", 1)[0]
    db = _next_redis_db[0]
    _next_redis_db[0] = db % 15 + 1
    host, port = redis_url.removeprefix("redis://").rstrip("/").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(f"*2\r\n$6\r\nSELECT\r\n${len(str(db))}\r\n{db}\r\n"
                  "*1\r\n$7\r\nFLUSHDB\r\n".encode())
        time.sleep(0.05)
        s.recv(1024)
    return {
        "MONGODB_URI": f"mongodb://{base}/comptoir_test_{os.urandom(6).hex()}",
        "REDIS_HOST": host,
        "REDIS_PORT": port,
        "REDIS_DB": str(db),
    }


def elasticsearch_environment(data_dir):
    """ELASTICSEARCH_HOST and an index prefix derived from the data directory: servers
    never see each other's indices, and a server restarted on the same data directory
    finds its own again, as with the embedded engine."""
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:12]
    env = {"ELASTICSEARCH_HOST": ",".join(es_urls()),
           "COMPTOIR_ES_INDEX_PREFIX": f"comptoir-test-{digest}-"}
    for name in ("SHARDS", "REPLICAS"):
        value = os.environ.get(f"COMPTOIR_TEST_ES_{name}")
        if value:
            env[f"COMPTOIR_ES_{name}"] = value
    return env


def drop_elasticsearch_data(env):
    """Deletes the indices and templates of a test server's index prefix."""
    url = env["ELASTICSEARCH_HOST"].split(",")[0].strip()
    prefix = env["COMPTOIR_ES_INDEX_PREFIX"]
    for path in (f"/{prefix}*", f"/_index_template/{prefix}*"):
        try:
            requests.delete(url + path, timeout=30)
        except requests.RequestException:
            pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environment():
    return {k: v for k, v in os.environ.items()
            if k not in _CONFIG_NAMES and not k.startswith(_CONFIG_PREFIXES)}


class ServerProcess:
    def __init__(self, env=None, args=()):
        self.dir = tempfile.TemporaryDirectory(prefix="comptoir-test-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = pathlib.Path(self.dir.name) / "server.log"
        full_env = clean_environment()
        full_env.update({
            "COMPTOIR_HOST": "127.0.0.1",
            "COMPTOIR_PORT": str(self.port),
            "COMPTOIR_DATA_DIR": str(pathlib.Path(self.dir.name) / "data"),
            "COMPTOIR_THREADS": "2",
        })
        if EXTERNAL:
            full_env.update(external_backend_environment())
        full_env.update({k: str(v) for k, v in (env or {}).items()})
        if ELASTICSEARCH and "ELASTICSEARCH_HOST" not in (env or {}):
            full_env.update(elasticsearch_environment(full_env["COMPTOIR_DATA_DIR"]))
        self.env = full_env
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([BIN, "serve", *args], env=full_env, cwd=self.dir.name,
                                     stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self):
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"comptoir exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"comptoir did not answer within {START_TIMEOUT}s:\n{self.log()}")

    def log(self):
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return s

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode

    def cleanup(self):
        self.stop()
        if "COMPTOIR_ES_INDEX_PREFIX" in self.env:
            drop_elasticsearch_data(self.env)
        self.dir.cleanup()


@pytest.fixture(scope="session")
def server():
    s = ServerProcess()
    yield s
    code = s.stop()
    s.cleanup()
    assert code == 0, f"server exited with {code}"


@pytest.fixture
def start_server():
    started = []

    def start(args=(), **env):
        s = ServerProcess(env, args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.cleanup()


class RawConnection:
    """A plain socket for what `requests` cannot do: pipelining, partial or
    malformed requests, slow clients."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed; unread: {self.buf!r}")
        self.buf += chunk

    def read_response(self, timeout=10):
        """Returns (status, headers with lower-case names, body bytes)."""
        self.sock.settimeout(timeout)
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self.buf) < length:
            self._fill()
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body

    def closed_by_peer(self, timeout):
        """True when the server closes the connection within `timeout` seconds."""
        self.sock.settimeout(timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buf += chunk
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True

    def close(self):
        self.sock.close()


@pytest.fixture
def raw(server):
    conns = []

    def open_connection(target=None, timeout=10):
        c = RawConnection((target or server).port, timeout)
        conns.append(c)
        return c

    yield open_connection
    for c in conns:
        c.close()
