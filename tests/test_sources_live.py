"""Live ingestion end to end: RSS + API over a real local server into a real SQLite store, checked with SQL."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from paperradio.config import load_settings
from paperradio.errors import SourceError
from paperradio.models import Author, Paper
from paperradio.sources.live import LiveReport, ingest_announcements, polite_client
from paperradio.store import Store
from tests.arxiv_server import ArxivApi, ArxivServer, Reply, fixture

CATS = ("cs.LG", "stat.ML")
FEED = "/rss/cs.LG+stat.ML"
API = "/api/query"
SOURCE = "arxiv-rss:cs.LG+stat.ML:2026-04-14"

STORED_V1 = Paper(
    arxiv_id="2603.05555",
    title="Token Merging for Long-Context Retrieval",
    abstract="Long-context retrievers spend most of their compute on redundant tokens.",
    authors=(Author("Wei Zhang"), Author("Sofia Rossi")),
    categories=("cs.LG", "cs.IR"),
    announced=date(2026, 3, 6),
    submitted=datetime(2026, 3, 5, 18, 30, tzinfo=UTC),
    version=1,
)


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        yield s


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "paperradio.db"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{db}") as s:
        s.add_papers([STORED_V1], source="seed", lines_done=1, completed=True)
        yield s


def sql(db: Path, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(query, args)]


def count(db: Path, table: str) -> int:
    return int(sql(db, f"select count(*) from {table}")[0][0])


def ingest(server: ArxivServer, store: Store, *, dry_run: bool = False, **politeness: Any) -> LiveReport:
    with server.client(**politeness) as client:
        return ingest_announcements(store, client, categories=CATS, rss_base_url=f"{server.url}/rss/",
                                    api_base_url=f"{server.url}{API}", dry_run=dry_run)


def serve_day_one(server: ArxivServer) -> None:
    server.script(FEED, Reply(body=fixture("rss_2026-04-14.xml")))
    server.route(API, ArxivApi("api_catalog.xml"))


def test_a_day_is_stored_with_exact_counts(server: ArxivServer, store: Store, db: Path) -> None:
    serve_day_one(server)
    report = ingest(server, store)
    assert (report.source, report.day) == (SOURCE, date(2026, 4, 14))
    assert (report.fetched, report.new, report.updated, report.cross_listed, report.backfilled) == (8, 3, 1, 2, 2)
    assert report.summary() == ("2026-04-14: fetched 8, new 3, updated 1, cross-listed 2, backfilled 2, "
                                "skipped 2")
    # one RSS request, then one API batch for every listed paper the store lacks or holds at an older version
    assert server.paths() == [FEED, API]
    assert server.seen[1].query["id_list"] == ("2604.10001,2604.10002,2604.10003,2604.10004,2510.01234,"
                                               "2603.05555,2602.07777")
    assert [s.at for s in server.seen] == [0.0, 3.0]

    assert sql(db, "select arxiv_id, version, announced, primary_category from papers order by arxiv_id") == [
        ("2510.01234", 2, "2025-10-02", "stat.ME"),
        ("2603.05555", 2, "2026-03-06", "cs.LG"),
        ("2604.10001", 1, "2026-04-14", "cs.LG"),
        ("2604.10002", 1, "2026-04-14", "stat.ML"),
        ("2604.10003", 1, "2026-04-14", "cs.LG"),
        ("2604.10004", 1, "2026-04-14", "math.OC"),
    ]
    assert sql(db, "select arxiv_id from papers group by arxiv_id having count(*) > 1") == []
    # the API completed what RSS lacks: affiliations, comments, journal ref, DOI
    assert sql(db, "select position, name, affiliation from paper_authors where arxiv_id = '2604.10001' "
                   "order by position") == [(0, "Maria Keller", "ETH Zurich"),
                                            (1, "Tomasz Nowak", "University of Warsaw; IDEAS NCBR"),
                                            (2, "Yuki Tanaka", None)]
    assert sql(db, "select comments from papers where arxiv_id = '2603.05555'") == [("Accepted to ICLR 2026",)]
    assert sql(db, "select journal_ref, doi from papers where arxiv_id = '2510.01234'") == [
        ("Electron. J. Statist. 20 (2026) 1-31", "10.1214/26-EJS0001")]
    # the API had no record of 2604.10003 yet: the feed's own metadata is stored
    assert sql(db, "select comments, categories from papers where arxiv_id = '2604.10003'") == [(None, "cs.LG")]
    assert count(db, "paper_authors where arxiv_id = '2604.10003'") == 3

    assert sql(db, "select arxiv_id, kind, category, version from announcements where day = '2026-04-14' "
                   "order by arxiv_id") == [
        ("2510.01234", "cross", "stat.ML", 2),
        ("2602.07777", "replace-cross", "cs.LG", 3),
        ("2603.05555", "replace", "cs.LG", 2),
        ("2604.10001", "new", "cs.LG", 1),
        ("2604.10002", "new", "stat.ML", 1),
        ("2604.10003", "new", "cs.LG", 1),
        ("2604.10004", "cross", "cs.LG", 1),
    ]
    assert sql(db, "select item, reason from skipped where source = ? order by item", SOURCE) == [
        ("2602.07777", "the arXiv API has no record of 2602.07777: its replace-cross announcement is kept, but the "
                       "paper is not stored (its first announcement day is unknown)"),
        ("item 8", "no arXiv id in its description, guid or link"),
    ]
    assert store.skipped(SOURCE) == sorted(report.skipped)  # every dropped item is on record with its reason
    assert sql(db, "select lines_done, completed from ingest_runs where source = ?", SOURCE) == [(8, 1)]


def test_running_the_same_day_again_changes_nothing(server: ArxivServer, store: Store, db: Path) -> None:
    serve_day_one(server)
    ingest(server, store)
    before = {t: count(db, t) for t in ("papers", "paper_authors", "announcements", "skipped")}
    again = ingest(server, store)
    assert (again.new, again.updated, again.cross_listed, again.backfilled) == (0, 0, 0, 0)
    assert {t: count(db, t) for t in before} == before == {"papers": 6, "paper_authors": 14, "announcements": 7,
                                                           "skipped": 2}
    # only the paper the API still lacks is asked for again
    assert [s.query.get("id_list") for s in server.seen[2:]] == [None, "2602.07777"]


def test_a_dry_run_fetches_everything_and_stores_nothing(server: ArxivServer, store: Store, db: Path) -> None:
    serve_day_one(server)
    report = ingest(server, store, dry_run=True)
    assert report.dry_run
    assert (report.fetched, report.new, report.updated, report.cross_listed, report.backfilled) == (8, 3, 1, 2, 2)
    assert len(report.skipped) == 2
    assert report.summary().startswith("dry run, nothing stored: 2026-04-14: fetched 8")
    assert server.paths() == [FEED, API]
    assert sql(db, "select arxiv_id, version from papers") == [("2603.05555", 1)]
    assert (count(db, "announcements"), count(db, "skipped")) == (0, 0)
    assert sql(db, "select source from ingest_runs") == [("seed",)]


def test_a_replacement_of_a_stored_paper_updates_it_and_is_not_new(server: ArxivServer, store: Store,
                                                                     db: Path) -> None:
    serve_day_one(server)
    ingest(server, store)
    server.script(FEED, Reply(body=fixture("rss_2026-04-15.xml")))
    server.route(API, ArxivApi("api_2026-04-15.xml"))
    report = ingest(server, store)
    assert (report.fetched, report.new, report.updated, report.cross_listed, report.backfilled) == (2, 1, 1, 0, 0)
    assert sql(db, "select version, announced, comments from papers where arxiv_id = '2604.10001'") == [
        (2, "2026-04-14", "Accepted to ICML 2026; v2 adds 7B results; code at https://github.com/example/smr")]
    assert count(db, "paper_authors where arxiv_id = '2604.10001'") == 3
    assert sql(db, "select day, kind, version from announcements where arxiv_id = '2604.10001' order by day") == [
        ("2026-04-14", "new", 1), ("2026-04-15", "replace", 2)]
    assert sql(db, "select announced from papers where arxiv_id = '2604.11020'") == [("2026-04-15",)]
    assert count(db, "papers") == 7
    assert [a.kind for a in store.announcements(date(2026, 4, 15), date(2026, 4, 15))] == ["replace", "new"]


def test_rate_limits_and_server_errors_are_waited_out(server: ArxivServer, store: Store, db: Path) -> None:
    server.script(FEED, Reply(429, b"Rate exceeded.", {"Retry-After": "7"}), Reply(body=fixture("rss_2026-04-14.xml")))
    server.script(API, Reply(503, b"busy"), Reply(body=fixture("api_catalog.xml")[:1500]))
    server.route(API, ArxivApi("api_catalog.xml"))
    report = ingest(server, store, backoff=5.0)
    assert (report.new, report.updated) == (3, 1)
    assert server.paths() == [FEED, FEED, API, API, API]
    assert server.time.sleeps == [7.0, 3.0, 5.0, 10.0]
    times = [s.at for s in server.seen]
    assert times == [0.0, 7.0, 10.0, 15.0, 25.0]
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(times))
    assert count(db, "papers") == 6


def test_an_empty_weekday_announcement_fails_and_stores_nothing(server: ArxivServer, store: Store, db: Path) -> None:
    server.script(FEED, Reply(body=fixture("rss_empty_2026-04-15.xml")))
    with pytest.raises(SourceError, match=r"^arXiv returned an empty announcement for cs.LG\+stat.ML on 2026-04-15"):
        ingest(server, store, retries=2)
    assert server.paths() == [FEED] * 3
    assert (count(db, "papers"), count(db, "announcements"), count(db, "ingest_runs")) == (1, 0, 1)


def test_an_empty_weekend_announcement_is_recorded_as_done(server: ArxivServer, store: Store, db: Path) -> None:
    server.script(FEED, Reply(body=fixture("rss_empty_2026-04-18.xml")))
    report = ingest(server, store)
    assert (report.fetched, report.new, report.skipped) == (0, 0, [])
    assert server.paths() == [FEED]
    assert sql(db, "select lines_done, completed from ingest_runs where source = ?",
               "arxiv-rss:cs.LG+stat.ML:2026-04-18") == [(0, 1)]


def test_an_api_error_fails_the_run_and_stores_nothing(server: ArxivServer, store: Store, db: Path) -> None:
    server.script(FEED, Reply(body=fixture("rss_2026-04-14.xml")))
    server.script(API, Reply(400, fixture("api_error_400.xml")))
    with pytest.raises(SourceError, match=r"HTTP 400: incorrect id format for 2604\.1x$"):
        ingest(server, store)
    assert (count(db, "papers"), count(db, "announcements"), count(db, "skipped")) == (1, 0, 0)


def test_the_client_for_a_run_follows_the_settings(tmp_path: Path, server: ArxivServer) -> None:
    settings = load_settings(env={}, overrides={"home": tmp_path, "contact_email": "desk@example.org",
                                                "request_interval": 4.0, "http_retries": 2})
    with polite_client(settings) as client:
        assert (client.politeness.interval, client.politeness.retries) == (4.0, 2)
        server.script("/page", Reply(body=b"ok"))
        client.get(f"{server.url}/page")
    assert "mailto:desk@example.org" in server.seen[0].headers["user-agent"]
