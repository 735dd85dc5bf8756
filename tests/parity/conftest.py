"""Fixtures of the parity suite: the test cluster (a failure under CI=true, else a
skip), the seeded data indexed on both sides, and the table printed at the end.

COMPTOIR_PARITY_SEED picks the seed of the generated documents and random requests
(default 20240301, so CI runs are repeatable; "random" draws one). It is printed."""
import os
import random
import sys
import tempfile
import pathlib

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import datagen  # noqa: E402
import harness  # noqa: E402

REPORT = []  # (title, lines) printed in the terminal summary


def _seed():
    text = os.environ.get("COMPTOIR_PARITY_SEED", "20240301")
    return random.SystemRandom().randrange(1 << 31) if text == "random" else int(text)


def need_cluster():
    url, why = harness.cluster_url()
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"the search cluster could not be started under CI: {why}")
    pytest.skip(f"no search cluster (scripts/services start es failed): {why}")


@pytest.fixture(scope="session")
def seed():
    s = _seed()
    REPORT.append(("parity seed", [f"COMPTOIR_PARITY_SEED={s}"]))
    print(f"\nparity: seed {s} (COMPTOIR_PARITY_SEED={s} to repeat)")
    return s


@pytest.fixture(scope="session")
def es_url():
    return need_cluster()


@pytest.fixture(scope="session")
def loaded(seed, es_url):
    """Both sides with the same files indexed: (embedded Side, cluster Side, files)."""
    tmp = tempfile.TemporaryDirectory(prefix="comptoir-parity-")
    root = pathlib.Path(tmp.name)
    files = datagen.generate(root, seed) + harness.real_files()
    emb = harness.Side("embedded", root / "embedded")
    clu = harness.Side("cluster", root / "cluster", es_url)
    try:
        procs = [(side, side.ingest(files)) for side in (emb, clu)]
        for side, p in procs:
            out, err = p.communicate(timeout=600)
            assert p.returncode == 0, f"ingest on {side.name} failed:\n{out}\n{err}"
        emb.load_ids()
        clu.load_ids()
        yield emb, clu, files
    finally:
        clu.drop()
        tmp.cleanup()


def pytest_terminal_summary(terminalreporter):
    for title, lines in REPORT:
        terminalreporter.section(title)
        for line in lines:
            terminalreporter.write_line(line)
