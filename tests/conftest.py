from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's PAPERRADIO_* settings; each gets its own home folder."""
    for key in list(os.environ):
        if key.startswith("PAPERRADIO_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PAPERRADIO_HOME", str(tmp_path / "home"))


@pytest.fixture
def shared_data() -> Path:
    """The shared real data folder; tests that need it skip cleanly without it."""
    if not (SHARED_DATA / "corpus" / "arxiv_cs_listings.jsonl.gz").exists():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA
