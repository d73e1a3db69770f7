from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from paperradio.errors import StoreError
from paperradio.models import Announcement, Segment
from paperradio.store import Store
from tests.samples import WEEK, make_paper, sample_issue


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same tests over a real SQLite file and a real PostgreSQL server (a fresh database each)."""
    if request.param == "sqlite":
        opened = Store(f"sqlite:///{tmp_path / 'db' / 'paperradio.db'}")
    else:
        opened = Store(request.getfixturevalue("postgres_database"))
    yield opened
    opened.close()


def rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_migrations_create_the_schema(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"papers", "paper_authors", "picks", "issues", "writeups", "audio", "skipped", "cache",
            "alembic_version"} <= tables
    assert rows(store, "select version_num from alembic_version") == [("0003",)]
    Store(store.url).close()  # opening again migrates nothing and fails nothing


def test_papers_round_trip_and_versions(store: Store) -> None:
    paper = make_paper(1)
    assert store.add_papers([paper, paper], source="t", lines_done=2) == (1, 0)
    assert store.add_papers([paper], source="t", lines_done=3) == (0, 0)
    newer = dataclasses.replace(paper, version=2, title="Revised title", authors=paper.authors[:2])
    assert store.add_papers([newer], source="t", lines_done=4) == (0, 1)
    older = dataclasses.replace(paper, version=1, title="Stale")
    assert store.add_papers([older], source="t", lines_done=5) == (0, 0)
    [loaded] = store.papers_announced(paper.announced, paper.announced)
    assert loaded == newer
    assert rows(store, "select count(*) from paper_authors") == [(2,)]
    assert store.ingest_progress("t") == (5, False)


def test_skips_are_recorded_once(store: Store) -> None:
    store.add_papers([], source="s", lines_done=3, skips=[("2", "not valid JSON")])
    store.add_papers([], source="s", lines_done=3, skips=[("2", "not valid JSON")], completed=True)
    assert store.skipped("s") == [("2", "not valid JSON")]
    assert store.ingest_progress("s") == (3, True)


def test_issue_state_accumulates_across_stages(store: Store) -> None:
    issue = sample_issue()
    store.add_papers([p.paper for p in issue.picks], source="t", lines_done=1)
    bare = [dataclasses.replace(p, writeup=None) for p in issue.picks]
    store.save_picks(WEEK, bare, pool_size=1654)
    loaded = store.load_issue(WEEK)
    assert loaded is not None and loaded.pool_size == 1654
    assert [p.paper.arxiv_id for p in loaded.picks] == [p.paper.arxiv_id for p in issue.picks]
    assert all(p.writeup is None for p in loaded.picks)
    store.save_writeups(issue.picks)
    with_audio = dataclasses.replace(issue, picks=tuple(
        dataclasses.replace(p, audio={"en": Segment(f"en/{p.paper.arxiv_id}.mp3", 3.5, "joe", "text")})
        for p in issue.picks
    ))
    store.save_audio(with_audio)
    again = store.load_issue(WEEK)
    assert again is not None
    assert [p.writeup for p in again.picks] == [p.writeup for p in issue.picks]
    assert again.picks[0].audio["en"].seconds == 3.5
    store.save_picks(WEEK, bare, pool_size=1654)  # re-ranking keeps write-ups and audio
    assert store.load_issue(WEEK) == again
    assert store.weeks() == [WEEK]
    assert store.load_issue(dataclasses.replace(WEEK, number=17)) is None


def test_papers_in_a_date_range(store: Store) -> None:
    papers = [make_paper(i) for i in range(10)]
    store.add_papers(papers, source="t", lines_done=10)
    monday = store.papers_announced(date(2026, 4, 13), date(2026, 4, 13))
    assert {p.arxiv_id for p in monday} == {p.arxiv_id for p in papers if p.announced == date(2026, 4, 13)}
    slots = list(store.authorships(date(2026, 4, 13), date(2026, 4, 17)))
    assert len(slots) == 40 and {s.author_count for s in slots} == {4}


def test_unopenable_store_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(f"sqlite:///{blocker / 'sub' / 'db.sqlite'}")
    with pytest.raises(StoreError, match="cannot open the store") as error:
        Store("postgresql+nosuchdriver://user:secret@127.0.0.1/db")
    assert "secret" not in str(error.value)


def test_announcements_and_cursor_commit_with_the_batch(store: Store) -> None:
    paper = make_paper(1)
    day = paper.announced
    listed = [Announcement(paper.arxiv_id, day, "new", "cs.CL"), Announcement(paper.arxiv_id, day, "cross", "cs.LG")]
    store.add_papers([paper], source="oai", lines_done=1, cursor="token-1", announcements=listed)
    store.add_papers([paper], source="oai", lines_done=2, cursor="token-2", announcements=listed)
    assert store.ingest_cursor("oai") == "token-2"
    assert store.announcements(day, day) == listed
    assert store.ingest_cursor("never") is None


def test_cache_round_trip_and_replace(store: Store) -> None:
    assert store.cache_get("llm-writeup", "2604.00001") is None
    store.cache_put("llm-writeup", "2604.00001", {"summary": ["a", "b"], "n": 1})
    store.cache_put("other", "2604.00001", [1])
    assert store.cache_get("llm-writeup", "2604.00001") == {"summary": ["a", "b"], "n": 1}
    store.cache_put("llm-writeup", "2604.00001", {"n": 2})
    assert store.cache_get("llm-writeup", "2604.00001") == {"n": 2}
    assert store.cache_get("other", "2604.00001") == [1]
