from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperradio.store import Store

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's PAPERRADIO_* settings; each gets its own home folder."""
    for key in list(os.environ):
        if key.startswith("PAPERRADIO_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PAPERRADIO_HOME", str(tmp_path / "home"))
    # Key figures download PDFs from arXiv; tests that want them serve the PDFs themselves.
    monkeypatch.setenv("PAPERRADIO_FIGURES", "false")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store in the test's folder."""
    with Store(f"sqlite:///{tmp_path / 'db.sqlite'}") as s:
        yield s


@pytest.fixture
def shared_data() -> Path:
    """The shared real data folder; tests that need it skip cleanly without it."""
    if not (SHARED_DATA / "corpus" / "arxiv_cs_listings.jsonl.gz").exists():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server of the tests' own, on a free loopback port; skips when not installed."""
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    pytest.importorskip("psycopg")
    # Not under pytest's tmp folder: the postgres user cannot enter root's private folders.
    data = Path(tempfile.mkdtemp(prefix="paperradio-pg-"))
    # PostgreSQL refuses to run as root: run it as the postgres user when we are root.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(data, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data / "db"), "-U", "paperradio",
                    "--auth=trust", "-E", "UTF8", "--locale=C"], check=True, capture_output=True)
    server = subprocess.Popen([*as_user, str(bindir / "postgres"), "-D", str(data / "db"), "-p", str(port),
                               "-h", "127.0.0.1", "-k", str(data), "-F"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    pytest.fail("PostgreSQL did not start")
                time.sleep(0.1)
        time.sleep(0.3)
        yield f"postgresql+psycopg://paperradio@127.0.0.1:{port}/postgres"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def postgres_database(postgres_url: str) -> str:
    """URL of a fresh, empty database on the tests' PostgreSQL server."""
    from sqlalchemy import create_engine, text

    name = f"t{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"
