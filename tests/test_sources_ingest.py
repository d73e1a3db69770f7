from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from paperradio.sources import ingest_snapshot
from paperradio.store import Store
from tests.test_sources_snapshot import record, write_lines


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_rerun_imports_nothing_twice(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "s.jsonl", [json.dumps(record(i)) for i in range(50)] + ["oops"])
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    first = ingest_snapshot(path, store)
    assert (first.read, first.new, len(first.skipped)) == (50, 50, 1)
    second = ingest_snapshot(path, store)
    assert second.already_done and second.new == 0
    assert store.count_papers() == 50
    assert count(tmp_path / "db.sqlite", "select count(*) from skipped") == 1


def test_a_changed_file_is_imported_again_without_duplicates(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "s.jsonl", [json.dumps(record(i)) for i in range(10)])
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    ingest_snapshot(path, store)
    replaced = record(3, versions=[{"version": "v1", "created": "Mon, 13 Apr 2026 15:00:00 GMT"},
                                   {"version": "v2", "created": "Tue, 14 Apr 2026 15:00:00 GMT"}])
    write_lines(path, [json.dumps(record(i)) for i in range(12)] + [json.dumps(replaced)])
    os.utime(path, (time.time() + 5, time.time() + 5))
    report = ingest_snapshot(path, store)
    assert (report.new, report.updated, report.unchanged) == (2, 1, 10)
    assert store.count_papers() == 12


def test_killed_ingest_resumes_to_exactly_the_uninterrupted_result(tmp_path: Path) -> None:
    n = 40_000
    lines = [json.dumps(record(i)) for i in range(n)]
    lines[1234] = "{broken"
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=1))
    env = {**os.environ, "PAPERRADIO_HOME": str(tmp_path / "home")}
    db = tmp_path / "home" / "paperradio.db"
    command = [sys.executable, "-m", "paperradio", "--silent", "ingest", "--source", str(path)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if count(db, "select coalesce(max(lines_done), 0) from ingest_runs") > 0:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = count(db, "select count(*) from papers")
    assert 0 < partial < n - 1, "the kill must land mid-way"
    subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert count(db, "select count(*) from papers") == n - 1
    assert count(db, "select count(distinct arxiv_id) from papers") == n - 1
    assert count(db, "select count(*) from paper_authors") == 3 * (n - 1)
    assert count(db, "select count(*) from skipped") == 1
    assert count(db, "select completed from ingest_runs") == 1
