"""Online author metrics in the ranking: byline matching, credit evidence, the CLI switch, dead servers."""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from paperradio import rank
from paperradio.cli import cli
from paperradio.config import Settings, load_settings
from paperradio.errors import ConfigError
from paperradio.models import Author, Paper
from paperradio.rank.authors import History, author_scores, credit
from paperradio.rank.enrich import author_metrics, match_authors, same_person, week_metrics
from paperradio.sources import openalex, semantic_scholar
from paperradio.sources.scholar import AuthorIndex, AuthorMetrics
from paperradio.store import Store
from tests.arxiv_server import CONTACT, ArxivServer, Reply, Seen
from tests.samples import make_paper
from tests.scholar_server import OpenAlexApi, SemanticScholarApi, json_reply
from tests.test_cli import snapshot

WEEK_START = date(2026, 4, 13)
TODAY = date(2026, 4, 20)


def paper(arxiv_id: str, names: list[str], i: int = 0) -> Paper:
    return dataclasses.replace(make_paper(i), arxiv_id=arxiv_id, authors=tuple(Author(n) for n in names))


NOVAK = paper("2604.01234", ["Mira Novak", "Kenji Sato", "José M. Álvarez Jr.", "Yann LeCun"], 0)
ZHANG = paper("2604.05678", ["Wei Zhang", "Unresolved Coauthor", "Léna Fischer"], 1)
UNKNOWN = paper("2604.09999", ["Nobody Known", "Someone Else"], 2)
WEEK = [NOVAK, ZHANG, UNKNOWN]


def dead_url() -> str:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        api = OpenAlexApi()
        s.route("/works", api)
        s.route("/authors", api)
        s.route("/paper/batch", SemanticScholarApi())
        yield s


Indexes = Callable[..., list[AuthorIndex]]


@pytest.fixture
def indexes(store: Store) -> Iterator[Indexes]:
    """Both indexes on a server's fake clock, in the order named; clients closed after the test."""
    with ExitStack() as opened:
        def make(server: ArxivServer, *names: str) -> list[AuthorIndex]:
            timing = {"clock": server.time.clock, "sleep": server.time.sleep, "wall_clock": server.time.wall}
            made: list[AuthorIndex] = []
            for name in names:
                if name == "openalex":
                    client = opened.enter_context(openalex.polite_client(CONTACT, retries=1, **timing))
                    made.append(openalex.OpenAlex(client, store, server.url, mailto=CONTACT, today=TODAY))
                else:
                    client = opened.enter_context(semantic_scholar.polite_client(CONTACT, retries=1, **timing))
                    made.append(semantic_scholar.SemanticScholar(client, store, server.url, today=TODAY))
            return made

        yield make


def metrics(name: str, h_index: int | None = None) -> AuthorMetrics:
    return AuthorMetrics(name, h_index, None, None, None, "OpenAlex")


def test_names_that_can_be_one_person() -> None:
    assert same_person("alvarez jose", "alvarez jose")
    assert same_person("zhang wei", "wei zhang")  # family name first
    assert same_person("alvarez jose", "alvarez j")  # an initial
    assert not same_person("alvarez jose", "alvarez maria")
    assert not same_person("alvarez jose", "")
    assert not same_person("lecun", "lecun yann") and same_person("lecun", "lecun")


def test_authors_match_by_position_then_by_a_unique_name_elsewhere() -> None:
    listed = (metrics("Kenji Sato", 3), metrics("Mira Novak", 9), metrics("J. M. Alvarez", 45),
              metrics("Yann LeCun", 140), metrics("Extra Person", 99))
    matched = match_authors(NOVAK, listed)
    # positions 2 and 3 agree; Novak and Sato are swapped in the index and found elsewhere
    assert {k: m.h_index for k, m in matched.items()} == {
        "novak mira": 9, "sato kenji": 3, "alvarez jose": 45, "lecun yann": 140}


def test_a_name_twice_on_the_paper_or_matching_nothing_gets_no_metrics() -> None:
    twice = paper("2604.00001", ["Wei Zhang", "Wei Zhang", "Ada Lovelace"])
    listed = (metrics("Wei Zhang", 80), metrics("Wei Zhang", 3), metrics("Grace Hopper", 50))
    assert match_authors(twice, listed) == {}
    # two compatible names elsewhere: ambiguous, so none is taken
    ambiguous = paper("2604.00002", ["A. Smith", "Bo Li"])
    assert match_authors(ambiguous, (metrics("Bo Li", 5), metrics("Anna Smith", 7), metrics("Alan Smith", 9))) \
        == {"li bo": metrics("Bo Li", 5)}


def test_both_indexes_first_named_wins_and_fills_gaps(server: ArxivServer, indexes: Indexes) -> None:
    found = author_metrics(WEEK, indexes(server, "openalex", "semantic_scholar"))
    assert set(found) == {NOVAK.arxiv_id, ZHANG.arxiv_id}
    assert found[NOVAK.arxiv_id]["lecun yann"].evidence() == \
        "h-index 140, 352k citations, 905 works, New York University (OpenAlex)"
    # OpenAlex knows Wei Zhang only as "Zhang Wei" without metrics: Semantic Scholar's h-index fills in
    assert found[ZHANG.arxiv_id]["zhang wei"] == AuthorMetrics("Wei Zhang", 2, 11, 3, None, "Semantic Scholar")
    assert found[ZHANG.arxiv_id]["fischer lena"].source == "OpenAlex"
    reverse = author_metrics(WEEK, indexes(server, "semantic_scholar", "openalex"))
    assert reverse[NOVAK.arxiv_id]["lecun yann"].h_index == 132


def test_credit_quotes_the_metrics_as_evidence(server: ArxivServer, indexes: Indexes) -> None:
    online = author_metrics(WEEK, indexes(server, "openalex"))
    history = History([], until=WEEK_START)
    offline = credit(NOVAK, author_scores(NOVAK, history), threshold=3.0)
    assert offline.names == ()
    given = credit(NOVAK, author_scores(NOVAK, history, online[NOVAK.arxiv_id]), threshold=3.0)
    assert given.names == ("Yann LeCun",)
    assert given.evidence == ("Yann LeCun (last author): h-index 140, 352k citations, 905 works, "
                              "New York University (OpenAlex)")
    assert given.line == "(from Yann LeCun)"


def test_online_metrics_enter_the_score(server: ArxivServer, indexes: Indexes) -> None:
    settings = load_settings()
    online = author_metrics(WEEK, indexes(server, "openalex"))
    before = {c.paper.arxiv_id: c for c in rank.candidates(WEEK, [], settings, WEEK_START)}
    after = {c.paper.arxiv_id: c for c in rank.candidates(WEEK, [], settings, WEEK_START, online=online)}
    assert after[NOVAK.arxiv_id].raw["track_record"] > before[NOVAK.arxiv_id].raw["track_record"]
    assert after[NOVAK.arxiv_id].score > before[NOVAK.arxiv_id].score
    assert after[UNKNOWN.arxiv_id].score == before[UNKNOWN.arxiv_id].score  # no metrics, no change


def enrich_settings(tmp_path: Path, **changes: Any) -> Settings:
    return load_settings(overrides={"home": str(tmp_path)}).replace(**changes)


def test_a_dead_server_is_one_warning_per_index_and_ranking_goes_on(store: Store, tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    url = dead_url()
    settings = enrich_settings(tmp_path, author_sources=("openalex", "semantic_scholar"), openalex_url=url,
                               semantic_scholar_url=url)
    assert week_metrics(WEEK, [], settings, WEEK_START, store) == {}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert warnings[0].startswith(f"OpenAlex: cannot reach {url}/works: ConnectError")
    assert warnings[1].startswith(f"Semantic Scholar: cannot reach {url}/paper/batch: ConnectError")
    assert all(w.endswith("ranking goes on with only its answers cached in the store") for w in warnings)
    assert rank.run(WEEK, [], settings, WEEK_START, online={})


def test_answers_cached_before_still_count_when_the_server_is_gone(server: ArxivServer, store: Store,
                                                                   indexes: Indexes, tmp_path: Path) -> None:
    author_metrics(WEEK, indexes(server, "openalex"))  # fills the cache
    url = dead_url()
    settings = enrich_settings(tmp_path, author_sources=("openalex",), openalex_url=url)
    found = week_metrics([*WEEK, paper("2604.04444", ["New Person"])], [], settings, WEEK_START, store)
    assert found[NOVAK.arxiv_id]["lecun yann"].h_index == 140


def test_only_the_best_papers_are_looked_up_and_only_once(store: Store, tmp_path: Path) -> None:
    with ArxivServer() as live:
        live.route("/paper/batch", SemanticScholarApi())
        settings = enrich_settings(tmp_path, author_sources=("semantic_scholar",), enrich_top=2,
                                   semantic_scholar_url=live.url, semantic_scholar_api_key="k")
        found = week_metrics(WEEK, [], settings, WEEK_START, store)
        best = sorted(rank.candidates(WEEK, [], settings, WEEK_START), key=lambda c: (-c.score, c.paper.arxiv_id))
        assert json.loads(live.seen[0].body)["ids"] == [f"ARXIV:{c.paper.arxiv_id}" for c in best[:2]]
        assert set(found) <= {c.paper.arxiv_id for c in best[:2]}
        week_metrics(WEEK, [], settings, WEEK_START, store)
        assert len(live.seen) == 1  # the second ranking is answered from the store


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--silent", *args])
    return result.exit_code, result.stdout, result.stderr


def hopper_batch(seen: Seen) -> Reply:
    """Every paper of the CLI snapshot is by Ada Lovelace, Alan Turing and Grace Hopper; give Hopper an h-index."""
    ids = json.loads(seen.body)["ids"]
    return json_reply([{"paperId": f"p{i}", "externalIds": {"ArXiv": i.removeprefix("ARXIV:")}, "authors": [
        {"authorId": "1", "name": "Ada Lovelace", "hIndex": 1},
        {"authorId": "2", "name": "Alan Turing", "hIndex": None},
        {"authorId": "3", "name": "Grace Hopper", "hIndex": 60, "citationCount": 15000,
         "affiliations": ["Yale University"]},
    ]} for i in ids])


def test_rank_enrich_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    assert run("ingest", "--source", str(snapshot(tmp_path)))[0] == 0
    code, out, _ = run("--json", "rank", "--week", "2026-W16")
    assert code == 0 and not any("Grace Hopper" in p["credit"] for p in json.loads(out))  # off by default
    with ArxivServer() as live:
        live.route("/paper/batch", hopper_batch)
        monkeypatch.setenv("PAPERRADIO_AUTHOR_SOURCES", "semantic_scholar")
        monkeypatch.setenv("PAPERRADIO_SEMANTIC_SCHOLAR_URL", live.url)
        monkeypatch.setenv("PAPERRADIO_SEMANTIC_SCHOLAR_API_KEY", "cli-secret")
        code, out, err = run("--json", "rank", "--week", "2026-W16")
        assert code == 0, err
        assert {p["credit"] for p in json.loads(out)} == {"(from Grace Hopper Jr)"}
        assert live.seen[0].headers["x-api-key"] == "cli-secret" and "cli-secret" not in err
        code, out, _ = run("--json", "rank", "--week", "2026-W16", "--no-enrich")
        assert code == 0 and not any("Grace Hopper" in p["credit"] for p in json.loads(out))
        assert len(live.seen) == 1  # the second enriched ranking came from the store
    # offline, with --enrich naming no index: both are tried, OpenAlex fails at once, and Semantic Scholar's
    # answers all come from the store
    dead = dead_url()
    monkeypatch.setenv("PAPERRADIO_SEMANTIC_SCHOLAR_URL", dead)
    monkeypatch.setenv("PAPERRADIO_OPENALEX_URL", dead)
    monkeypatch.delenv("PAPERRADIO_AUTHOR_SOURCES")
    caplog.set_level(logging.WARNING)
    code, out, err = run("--json", "rank", "--week", "2026-W16", "--enrich")
    assert code == 0, err
    assert {p["credit"] for p in json.loads(out)} == {"(from Grace Hopper Jr)"}
    assert [r.getMessage().split(":")[0] for r in caplog.records if r.levelno == logging.WARNING] == ["OpenAlex"]
    assert f"cannot reach {dead}/works" in caplog.text and "cli-secret" not in caplog.text


def test_an_unknown_index_is_a_clear_config_error(store: Store, tmp_path: Path) -> None:
    settings = enrich_settings(tmp_path, author_sources=("openalex", "google_scholar"))
    with pytest.raises(ConfigError, match=r"^setting author_sources: unknown index\(es\) google_scholar; "
                                          r"known: openalex, semantic_scholar$"):
        week_metrics(WEEK, [], settings, WEEK_START, store)


def test_explain_shows_the_online_evidence(server: ArxivServer, indexes: Indexes) -> None:
    from paperradio.rank.explain import explain

    online = author_metrics(WEEK, indexes(server, "openalex"))
    found = explain(NOVAK.arxiv_id, WEEK, [], load_settings(), WEEK_START, online=online)
    assert found.credit == "(from Yann LeCun)"
    assert "h-index 140, 352k citations" in found.text()
