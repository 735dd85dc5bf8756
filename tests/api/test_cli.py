"""The comptoir command line: version, config printing, precedence, invalid
settings stopping start-up with a one-line message."""
import os
import subprocess

from conftest import BIN, clean_environment, ServerProcess


def run(args, env=None, cwd=None):
    full = clean_environment()
    full.update(env or {})
    return subprocess.run([BIN, *args], env=full, cwd=cwd, capture_output=True, text=True,
                          timeout=30)


def config_values(output):
    values = {}
    for line in output.splitlines():
        name, _, rest = line.partition("=")
        value, _, source = rest.partition("  # ")
        values[name] = (value, source.split(":")[0])
    return values


def test_version():
    r = run(["--version"])
    assert r.returncode == 0
    assert r.stdout.startswith("comptoir ")


def test_config_masks_secrets(tmp_path):
    r = run(["config"], {"MONGODB_URI": "mongodb://admin:admin123@db:27017/ecommerce",
                         "REDIS_PASSWORD": "hunter2"}, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "admin123" not in r.stdout and "hunter2" not in r.stdout
    values = config_values(r.stdout)
    assert values["MONGODB_URI"] == ("mongodb://admin:****@db:27017/ecommerce", "environment")
    assert values["REDIS_PASSWORD"] == ("****", "environment")
    assert values["COMPTOIR_PORT"] == ("8000", "default")


def test_precedence_flags_env_dotenv(tmp_path):
    (tmp_path / ".env").write_text("COMPTOIR_PORT=1111\nREDIS_PORT=7000  # comment\n"
                                   "COMPTOIR_HOST=10.1.1.1\n")
    values = config_values(run(["config", "--port", "3333"], {"COMPTOIR_HOST": "127.0.0.2"},
                               cwd=tmp_path).stdout)
    assert values["COMPTOIR_PORT"] == ("3333", "flag")
    assert values["COMPTOIR_HOST"] == ("127.0.0.2", "environment")
    assert values["REDIS_PORT"] == ("7000", ".env")


def test_invalid_setting_stops_startup_naming_the_variable(tmp_path):
    r = run(["serve"], {"COMPTOIR_PORT": "eighty"}, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1
    assert "COMPTOIR_PORT" in r.stderr
    r = run(["serve"], {"MAX_CONTENT_LENGTH": "16MB"}, cwd=tmp_path)
    assert r.returncode == 2 and "MAX_CONTENT_LENGTH" in r.stderr


def test_malformed_dotenv_stops_startup(tmp_path):
    (tmp_path / ".env").write_text("COMPTOIR_PORT=8000\nthis is not a setting\n")
    r = run(["serve"], cwd=tmp_path)
    assert r.returncode == 2
    assert ".env line 2" in r.stderr


def test_port_in_use_is_reported(start_server, tmp_path):
    s = start_server()
    r = run(["serve"], {"COMPTOIR_HOST": "127.0.0.1", "COMPTOIR_PORT": str(s.port),
                        "COMPTOIR_DATA_DIR": str(tmp_path / "d")}, cwd=tmp_path)
    assert r.returncode == 1
    assert "cannot listen" in r.stderr


def test_unknown_flag_is_an_error():
    r = run(["serve", "--no-such-flag"])
    assert r.returncode != 0


def test_readme_documents_every_setting(tmp_path):
    from conftest import ROOT
    readme = (ROOT / "README.md").read_text()
    names = config_values(run(["config"], cwd=tmp_path).stdout)
    assert names
    for name in names:
        assert f"`{name}`" in readme, f"{name} is missing from the README's table"


def test_second_process_on_the_same_data_dir_is_refused(start_server, tmp_path):
    s = start_server(COMPTOIR_DATA_DIR=tmp_path / "shared")
    r = run(["serve"], {"COMPTOIR_HOST": "127.0.0.1", "COMPTOIR_PORT": "0",
                        "COMPTOIR_DATA_DIR": str(tmp_path / "shared")}, cwd=tmp_path)
    assert r.returncode == 1
    assert "in use by another comptoir process" in r.stderr
    r = run(["ingest", str(tmp_path)], {"COMPTOIR_DATA_DIR": str(tmp_path / "shared")},
            cwd=tmp_path)
    assert r.returncode == 1


def test_ingest_command(tmp_path):
    logs = tmp_path / "in" / "logs.csv"
    logs.parent.mkdir()
    logs.write_text("timestamp,level,service,message\n2025-12-23T10:30:00,ERROR,pay,failed\n")
    (tmp_path / "in" / "nested").mkdir()
    (tmp_path / "in" / "nested" / "events.ndjson").write_text(
        '{"event":"login","user":"u1","page":"/","timestamp":"2025-12-23T10:00:00Z"}\n')
    (tmp_path / "in" / "skip.bin").write_bytes(b"\x00\x01")
    (tmp_path / "bad.csv").write_bytes(b"level,message\nERROR,\xff\n")
    env = {"COMPTOIR_DATA_DIR": str(tmp_path / "data")}
    r = run(["ingest", str(tmp_path / "in")], env, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 files, 2 documents indexed, 0 rejected, 0 refused" in r.stdout
    r = run(["ingest", str(tmp_path / "in"), str(tmp_path / "bad.csv"), str(tmp_path / "missing")],
            env, cwd=tmp_path)
    assert r.returncode == 1
    assert "duplicate" in r.stdout
    assert "1 refused" not in r.stdout and "2 refused" in r.stdout


def test_sample_command_loads_a_living_dataset(tmp_path, start_server):
    from conftest import (ELASTICSEARCH, EXTERNAL, elasticsearch_environment,
                          external_backend_environment)
    env = {"COMPTOIR_DATA_DIR": str(tmp_path / "data")}
    if EXTERNAL:  # the command and the server must share the same backends
        env.update(external_backend_environment())
    if ELASTICSEARCH:
        env.update(elasticsearch_environment(env["COMPTOIR_DATA_DIR"]))
        # A month of daily indices: refresh=wait_for would wait up to 1 s for each.
        env["COMPTOIR_ES_REFRESH"] = "true"
    r = run(["sample", "--logs", "2000", "--sales", "500", "--products", "20", "--orders", "30"],
            env, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2000 documents indexed, 0 rejected" in r.stdout
    assert "500 documents indexed, 0 rejected" in r.stdout
    assert "20 products and 30 orders added" in r.stdout
    import requests
    s = start_server(**env)
    assert requests.get(s.url + "/api/products").json()["count"] == 20
    assert requests.get(s.url + "/api/orders").json()["count"] == 30
    files = requests.get(s.url + "/api/files").json()
    assert files["count"] == 2
    indices = requests.get(s.url + "/api/services-status").json()["elasticsearch"]["indices"]
    assert "ecommerce-sales" in indices
    assert any(i.startswith("ecommerce-logs-") for i in indices)
