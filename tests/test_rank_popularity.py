"""Community popularity in the ranking: Hugging Face Daily Papers upvotes, cached, optional, never stalling."""

from __future__ import annotations

import dataclasses
import json
import logging
import math
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from paperradio import rank
from paperradio.config import Settings, load_settings
from paperradio.errors import ConfigError
from paperradio.models import Author, Paper
from paperradio.rank.enrich import week_popularity
from paperradio.rank.explain import explain
from paperradio.sources.huggingface import read_day
from paperradio.store import Store
from tests.arxiv_server import ArxivServer, Reply, Seen
from tests.samples import make_paper
from tests.scholar_server import FIXTURES, json_reply
from tests.test_cli import snapshot
from tests.test_rank_enrich import dead_url, run

MONDAY = date(2026, 4, 13)


def paper(arxiv_id: str, i: int) -> Paper:
    return dataclasses.replace(make_paper(i), arxiv_id=arxiv_id, authors=(Author("Mira Novak"), Author("Kenji Sato")))


def daily_papers(seen: Seen) -> Reply:
    """``/api/daily_papers?date=...``: the fixture list of that day, an empty list for any other."""
    found = FIXTURES / "huggingface" / f"daily_papers_{seen.query['date']}.json"
    return json_reply(json.loads(found.read_text(encoding="utf-8")) if found.exists() else [])


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        s.route("/api/daily_papers", daily_papers)
        yield s


def popular(tmp_path: Path, url: str) -> Settings:
    return load_settings(overrides={"home": str(tmp_path)}).replace(popularity_sources=("huggingface",),
                                                                    huggingface_url=url)


def upvotes(server: ArxivServer, settings: Settings, store: Store, today: date) -> dict[str, int]:
    timing: dict[str, Any] = {"clock": server.time.clock, "sleep": server.time.sleep, "wall_clock": server.time.wall}
    return week_popularity(settings, store, MONDAY, today=today, **timing)


def test_a_day_list_gives_ids_and_upvotes_and_skips_what_it_cannot_read() -> None:
    body = json.loads((FIXTURES / "huggingface" / "daily_papers_2026-04-13.json").read_text(encoding="utf-8"))
    assert read_day(body) == {"2604.01234": 87, "2604.05678": 12}
    assert read_day([{"paper": {"id": "2604.00001v3", "upvotes": 4}}, {"paper": {"id": "2604.00001", "upvotes": 9}},
                     {"paper": {"id": "2604.00002", "upvotes": -1}}, {"paper": ["not", "a", "paper"]}]) \
        == {"2604.00001": 9}
    assert read_day({"error": "not a list"}) == {}


def test_the_week_and_the_monday_after_are_asked_once_each_and_the_best_count_wins(
        server: ArxivServer, store: Store, tmp_path: Path) -> None:
    settings = popular(tmp_path, server.url)
    found = upvotes(server, settings, store, today=MONDAY + timedelta(days=30))
    assert found == {"2604.01234": 87, "2604.05678": 30, "2604.08888": 5}
    asked = [s.query["date"] for s in server.seen]
    assert asked == [(MONDAY + timedelta(days=n)).isoformat() for n in range(8)]
    assert all(s.query["limit"] == "100" for s in server.seen)
    starts = [s.at for s in server.seen]
    assert all(b - a >= 1.0 for a, b in pairwise(starts))  # one second apart
    assert upvotes(server, settings, store, today=MONDAY + timedelta(days=31)) == found
    assert len(server.seen) == 8  # settled days come from the store


def test_recent_days_are_asked_again_as_upvotes_keep_coming(server: ArxivServer, store: Store,
                                                            tmp_path: Path) -> None:
    settings = popular(tmp_path, server.url)
    upvotes(server, settings, store, today=MONDAY + timedelta(days=1))
    assert [s.query["date"] for s in server.seen] == ["2026-04-13", "2026-04-14"]  # no list for future days
    upvotes(server, settings, store, today=MONDAY + timedelta(days=1))
    assert len(server.seen) == 2  # asked today already
    upvotes(server, settings, store, today=MONDAY + timedelta(days=2))
    assert [s.query["date"] for s in server.seen[2:]] == ["2026-04-13", "2026-04-14", "2026-04-15"]


def test_a_dead_service_is_one_warning_and_cached_days_still_count(server: ArxivServer, store: Store, tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    upvotes(server, popular(tmp_path, server.url), store, today=MONDAY + timedelta(days=1))
    caplog.set_level(logging.WARNING)
    url = dead_url()
    found = week_popularity(popular(tmp_path, url), store, MONDAY, today=MONDAY + timedelta(days=3))
    assert found == {"2604.01234": 87, "2604.05678": 30, "2604.08888": 5}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"Hugging Face: cannot reach {url}/api/daily_papers")
    assert warnings[0].endswith("ranking goes on with only its answers cached in the store")


def test_an_answer_that_is_not_a_list_of_papers_is_reported(server: ArxivServer, store: Store, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    server.route("/api/daily_papers", lambda seen: json_reply({"error": "Invalid date"}))
    caplog.set_level(logging.WARNING)
    assert upvotes(server, popular(tmp_path, server.url), store, today=MONDAY + timedelta(days=9)) == {}
    assert len(server.seen) == 1  # given up for the rest of the run
    assert "answered JSON that is not a list of papers" in caplog.text
    server.route("/api/daily_papers", lambda seen: Reply(400, b'{"error": "Invalid date"}',
                                                         content_type="application/json"))
    caplog.clear()
    assert upvotes(server, popular(tmp_path, server.url), store, today=MONDAY + timedelta(days=9)) == {}
    assert "Invalid date" in caplog.text


def test_an_unknown_source_is_a_clear_config_error(store: Store, tmp_path: Path) -> None:
    settings = popular(tmp_path, "http://127.0.0.1:9").replace(popularity_sources=("reddit",))
    with pytest.raises(ConfigError, match=r"^setting popularity_sources: unknown source\(s\) reddit; "
                                          r"known: huggingface$"):
        week_popularity(settings, store, MONDAY)


def test_off_by_default_and_upvotes_enter_the_score(store: Store, tmp_path: Path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path)})
    assert week_popularity(settings, store, MONDAY) == {}
    week = [paper("2604.01234", 0), paper("2604.05678", 1)]
    plain = {c.paper.arxiv_id: c for c in rank.candidates(week, [], settings, MONDAY)}
    voted = {c.paper.arxiv_id: c for c in rank.candidates(week, [], settings, MONDAY, popularity={"2604.01234": 87})}
    assert plain["2604.01234"].raw["upvotes"] == 0.0
    assert voted["2604.01234"].raw["upvotes"] == pytest.approx(math.log(88))
    assert voted["2604.01234"].features["upvotes"] == pytest.approx(2.0 * math.log(88), abs=1e-6)
    assert voted["2604.01234"].score == pytest.approx(plain["2604.01234"].score + 2.0 * math.log(88), abs=1e-5)
    assert voted["2604.05678"].score == plain["2604.05678"].score
    found = explain("2604.01234", week, [], settings, MONDAY, popularity={"2604.01234": 87})
    assert any(line.name == "upvotes" and line.contribution > 8 for line in found.features)


def test_rank_with_popularity_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("ingest", "--source", str(snapshot(tmp_path)))[0] == 0
    code, out, _ = run("--json", "rank", "--week", "2026-W16")
    assert code == 0
    chosen = out
    with ArxivServer() as live:
        ids = [p["arxiv_id"] for p in json.loads(out)]
        last = ids[-1]
        live.route("/api/daily_papers", lambda seen: json_reply(
            [{"paper": {"id": last, "upvotes": 500}, "title": "the least of the picks"}]
            if seen.query["date"] == "2026-04-14" else []))
        monkeypatch.setenv("PAPERRADIO_POPULARITY_SOURCES", "huggingface")
        monkeypatch.setenv("PAPERRADIO_HUGGINGFACE_URL", live.url)
        code, out, err = run("--json", "rank", "--week", "2026-W16")
        assert code == 0, err
        assert out != chosen
        assert json.loads(out)[0]["arxiv_id"] == last  # 500 upvotes: now the first pick
        code, out, err = run("--json", "explain", last, "--week", "2026-W16")
        assert code == 0, err
        assert next(f for f in json.loads(out)["features"] if f["name"] == "upvotes")["value"] == \
            pytest.approx(math.log(501))
