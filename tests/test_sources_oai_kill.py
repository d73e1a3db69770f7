"""A harvest SIGKILLed at random points resumes to exactly what an uninterrupted harvest stores."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from paperradio.sources._http import PoliteClient
from paperradio.sources.arxiv_oai import harvest
from paperradio.store import Store
from tests.oai_server import FakeTime, Reply, chain, deleted_record, list_records, raw_record, serving

PAGES, PER_PAGE = 40, 200
SINCE, UNTIL = date(2024, 2, 1), date(2024, 2, 29)

# The harvest as a separate process: a real Store and PoliteClient, with a clock that jumps instead of
# waiting out arXiv's 3 seconds.
CHILD = """
import sys
from datetime import date
from paperradio.sources._http import PoliteClient
from paperradio.sources.arxiv_oai import harvest
from paperradio.store import Store

class Clock:
    now = 0.0
    def time(self):
        return self.now
    def sleep(self, seconds):
        self.now += seconds

clock = Clock()
with Store(sys.argv[1]) as store, PoliteClient("tests@example.org", clock=clock.time, sleep=clock.sleep) as client:
    harvest(store, client, sys.argv[2], "arXivRaw", "cs", date(2024, 2, 1), date(2024, 2, 29))
"""


def record(page: int, slot: int) -> str:
    n = page * PER_PAGE + slot
    if slot % 50 == 49:
        return deleted_record(f"2402.{n:05d}")
    if slot == 7 and page >= 20:  # a replacement of a paper harvested 20 pages earlier
        old = (page - 20) * PER_PAGE + slot
        return raw_record(f"2402.{old:05d}", ["Thu, 1 Feb 2024 10:00:00 GMT", "Mon, 12 Feb 2024 10:00:00 GMT"],
                          title=f"Revised paper {old}")
    day = 1 + n % 28
    return raw_record(f"2402.{n:05d}", [f"{day} Feb 2024 {n % 24:02d}:15:00 GMT"],
                      authors=" and ".join(f"Author {n}-{k}" for k in range(1 + n % 4)))


@cache
def pages() -> list[bytes]:
    out = []
    for page in range(PAGES):
        token = f"tok{page + 1}" if page + 1 < PAGES else None
        out.append(list_records([record(page, s) for s in range(PER_PAGE)], token, page * PER_PAGE, PAGES * PER_PAGE))
    return out


def respond(params: dict[str, str]) -> Reply:
    return chain(pages())(params)


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:  # tables not migrated yet
        return []


def progress(db: Path) -> tuple[int, int]:
    found = query(db, "select lines_done, completed from ingest_runs")
    return (int(found[0][0]), int(found[0][1])) if found else (0, 0)


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    return {
        "papers": query(db, "select * from papers order by arxiv_id"),
        "authors": query(db, "select * from paper_authors order by arxiv_id, position"),
        "skipped": query(db, "select * from skipped order by item"),
        "runs": query(db, "select source, lines_done, completed, cursor from ingest_runs"),
    }


def test_killed_harvest_resumes_to_exactly_the_uninterrupted_result(tmp_path: Path) -> None:
    pages()
    db = tmp_path / "killed.sqlite"
    rng = random.Random(20240201)
    interrupted: list[tuple[int, int]] = []
    with serving(respond, delay=0.01) as server:
        command = [sys.executable, "-c", CHILD, f"sqlite:///{db}", server.url]
        for _ in range(3):
            before = progress(db)[0]
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 20
            while progress(db)[0] <= before and child.poll() is None and time.time() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.08))  # then kill wherever it is: fetching, parsing, committing
            child.kill()
            child.wait()
            interrupted.append(progress(db))
        finished = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert finished.returncode == 0, finished.stderr[-2000:]
        fresh_starts = sum(1 for r in server.requests if "metadataPrefix" in r)

        reference = tmp_path / "reference.sqlite"
        fake = FakeTime()
        with Store(f"sqlite:///{reference}") as store, \
                PoliteClient("tests@example.org", clock=fake.clock, sleep=fake.sleep) as client:
            report = harvest(store, client, server.url, "arXivRaw", "cs", SINCE, UNTIL)

    assert any(0 < done < PAGES * PER_PAGE and not completed for done, completed in interrupted), interrupted
    assert fresh_starts == 1  # every restart continued from the stored resumption token
    killed, uninterrupted = snapshot(db), snapshot(reference)
    assert killed == uninterrupted
    deleted = PAGES * (PER_PAGE // 50)
    replaced = PAGES - 20
    assert report.fetched == PAGES * PER_PAGE - deleted
    assert (report.new, report.updated) == (PAGES * PER_PAGE - deleted - replaced, replaced)
    assert query(db, "select count(*), count(distinct arxiv_id) from papers") == [(7820, 7820)]
    assert query(db, "select version, count(*) from papers group by version") == [(1, 7800), (2, 20)]
    assert query(db, "select count(*) from skipped") == [(deleted,)]
    assert query(db, "select lines_done, completed, cursor from ingest_runs") == [(PAGES * PER_PAGE, 1, None)]
