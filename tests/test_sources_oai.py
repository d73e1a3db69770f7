"""The OAI-PMH harvester against a real HTTP server on 127.0.0.1, checked in the store with plain SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from paperradio.errors import SourceError
from paperradio.sources._http import PoliteClient, Politeness
from paperradio.sources.arxiv_oai import HarvestReport, OAIError, harvest, harvest_key, parse_page
from paperradio.store import Store
from tests.oai_server import (
    FIXTURES,
    FakeTime,
    Reply,
    arxiv_record,
    chain,
    chain_pages,
    error_page,
    fixture,
    list_records,
    ok,
    raw_record,
    serving,
)

SINCE, UNTIL = date(2024, 1, 15), date(2024, 1, 19)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def client(fake_time: FakeTime) -> Iterator[PoliteClient]:
    politeness = Politeness(retries=3, backoff=5.0)
    with PoliteClient("tests@example.org", politeness, clock=fake_time.clock, sleep=fake_time.sleep) as polite:
        yield polite


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{db}") as opened:
        yield opened


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def run(store: Store, client: PoliteClient, url: str, *, metadata_prefix: str = "arXivRaw", set_spec: str = "cs",
        since: date = SINCE, until: date = UNTIL, progress: Callable[[int], object] | None = None,
        dry_run: bool = False, restart: bool = False) -> HarvestReport:
    return harvest(store, client, url, metadata_prefix, set_spec, since, until, progress, dry_run, restart=restart)


def three_pages() -> list[bytes]:
    ids = [f"2401.{n:05d}" for n in range(1, 31)]
    return chain_pages([[raw_record(i) for i in ids[k : k + 10]] for k in (0, 10, 20)])


# -- parsing ------------------------------------------------------------------------------------------


def test_arxivraw_versions_submission_time_and_authors() -> None:
    page = parse_page((FIXTURES / "arxivraw_versions.xml").read_bytes())
    papers = {p.arxiv_id: p for p in page.papers}
    assert sorted(papers) == ["2401.00001", "2401.00002", "2401.00004"]
    three = papers["2401.00001"]
    assert three.version == 3
    assert three.submitted == datetime(2024, 1, 8, 20, 0, tzinfo=UTC)
    assert three.announced == date(2024, 1, 10)  # 15:00 New York time: after the 14:00 deadline
    assert three.title == "Three Versions of One Idea"
    assert three.abstract == "We describe an idea three times."
    assert [a.name for a in three.authors] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert (three.comments, three.journal_ref) == ("Accepted to ACL 2024", "Proc. ACL 2024")
    assert three.doi == "10.1000/xyz123"
    assert three.categories == ("cs.CL", "cs.LG")
    assert [(a.name, a.affiliation) for a in papers["2401.00002"].authors] == [
        ("Ada Lovelace", "University of London, UK"), ("Alan Turing", None), ("Grace Hopper", "Yale")]
    assert papers["2401.00002"].announced == date(2024, 1, 16)  # a Saturday submission: Monday's batch
    templated = papers["2401.00004"]
    assert (templated.version, templated.announced) == (2, date(2024, 1, 10))
    assert {s.identifier: s.reason for s in page.skipped} == {
        "2401.00003": "deleted from arXiv (OAI header status=deleted)",
        "2401.00005": "2401.00005: no <version> elements, so neither version nor announcement date is known",
    }
    assert page.token is None and page.complete_size == 5


def test_arxiv_format_dates_and_version_rule() -> None:
    page = parse_page(list_records([
        arxiv_record("2401.00010", created="2024-01-12", authors=[("Hopper", "Grace"), ("Turing", "Alan M.")]),
        arxiv_record("2401.00011", created="2024-01-13", updated="2024-01-16"),
    ]))
    first, second = page.papers
    assert (first.version, first.submitted, first.announced) == (1, None, date(2024, 1, 15))
    assert [a.name for a in first.authors] == ["Grace Hopper", "Alan M. Turing"]
    assert (second.version, second.announced) == (2, date(2024, 1, 16))  # replaced: version 2 at least


def test_a_record_with_a_bad_date_is_skipped_not_fatal() -> None:
    page = parse_page(list_records([raw_record("2401.00020", dates=["yesterday"]), raw_record("2401.00021")]))
    assert [p.arxiv_id for p in page.papers] == ["2401.00021"]
    assert page.skipped[0].reason == "2401.00020: v1 date 'yesterday' is not an RFC 2822 date"


# -- harvesting ---------------------------------------------------------------------------------------


def test_three_page_chain_is_stored_once_and_not_fetched_again(store: Store, client: PoliteClient, db: Path,
                                                               fake_time: FakeTime) -> None:
    seen: list[int] = []
    with serving(chain(three_pages())) as server:
        report = run(store, client, server.url, progress=seen.append)
        again = run(store, client, server.url)
    assert (report.pages, report.fetched, report.new, report.updated, report.skipped) == (3, 30, 30, 0, [])
    assert seen == [10, 10, 10]
    assert again.already_done and len(server.requests) == 3
    assert server.requests[0] == {"verb": "ListRecords", "metadataPrefix": "arXivRaw", "set": "cs",
                                  "from": "2024-01-15", "until": "2024-01-19"}
    assert server.requests[1:] == [{"verb": "ListRecords", "resumptionToken": "tok1"},
                                   {"verb": "ListRecords", "resumptionToken": "tok2"}]
    assert rows(db, "select count(*), count(distinct arxiv_id), min(version), max(version) from papers") == [
        (30, 30, 1, 1)]
    assert rows(db, "select count(*) from paper_authors") == [(60,)]
    key = harvest_key("arXivRaw", "cs", SINCE, UNTIL)
    assert rows(db, "select source, lines_done, completed, cursor from ingest_runs") == [(key, 30, 1, None)]
    assert fake_time.sleeps == [3.0, 3.0]  # arXiv's interval between the three requests, no more


def test_no_records_match_is_an_empty_complete_harvest(store: Store, client: PoliteClient, db: Path) -> None:
    with serving(fixture("no_records_match.xml")) as server:
        report = run(store, client, server.url)
    assert (report.pages, report.fetched, report.new) == (1, 0, 0)
    assert rows(db, "select lines_done, completed from ingest_runs") == [(0, 1)]


def test_bad_argument_raises_with_arxivs_message(store: Store, client: PoliteClient, db: Path) -> None:
    with serving(fixture("bad_argument.xml")) as server, pytest.raises(OAIError) as caught:
        run(store, client, server.url, set_spec="nonsense")
    assert str(caught.value) == ('arXiv OAI-PMH error badArgument: Illegal set value "nonsense"; check the set '
                                 "(e.g. cs or physics:hep-th) and the dates (YYYY-MM-DD, from <= until)")
    assert len(server.requests) == 1  # an OAI error is an answer, not a hiccup: no retry
    assert rows(db, "select count(*) from ingest_runs") == [(0,)]


def test_an_oai_error_sent_with_an_http_error_status_keeps_arxivs_message(store: Store, client: PoliteClient) -> None:
    body = (FIXTURES / "bad_argument.xml").read_bytes()
    with serving(lambda _params: (400, {}, body)) as server, pytest.raises(SourceError) as caught:
        run(store, client, server.url)
    assert str(caught.value).endswith('answered HTTP 400: arXiv OAI-PMH error badArgument: Illegal set value '
                                      '"nonsense"; check the set (e.g. cs or physics:hep-th) and the dates '
                                      "(YYYY-MM-DD, from <= until)")


def test_bad_resumption_token_keeps_what_was_stored_and_restart_recovers(store: Store, client: PoliteClient,
                                                                         db: Path) -> None:
    pages = three_pages()
    expired = error_page("badResumptionToken", "The value of the resumptionToken argument is invalid or expired.")

    def respond(params: dict[str, str]) -> Reply:
        return ok(expired) if params.get("resumptionToken") == "tok2" else chain(pages)(params)

    with serving(respond) as server, pytest.raises(SourceError, match=r"badResumptionToken: The value .* expired\.; "
                                                                      r".*--restart"):
        run(store, client, server.url)
    assert rows(db, "select count(*) from papers") == [(20,)]
    assert rows(db, "select lines_done, completed, cursor from ingest_runs") == [(20, 0, "tok2")]
    with serving(chain(pages)) as server:
        report = run(store, client, server.url, restart=True)
    assert (report.fetched, report.new, report.resumed) == (30, 10, False)
    assert rows(db, "select count(*), count(distinct arxiv_id) from papers") == [(30, 30)]
    assert rows(db, "select lines_done, completed, cursor from ingest_runs") == [(30, 1, None)]


def test_503_with_retry_after_is_waited_out(store: Store, client: PoliteClient, db: Path,
                                            fake_time: FakeTime) -> None:
    with serving(chain(three_pages())) as server:
        server.script.append((503, {"Retry-After": "7"}, b"busy"))
        report = run(store, client, server.url)
    assert report.new == 30 and len(server.requests) == 4
    assert 7.0 in fake_time.sleeps
    assert server.requests[0] == server.requests[1]  # the same first page asked again
    assert rows(db, "select count(*) from papers") == [(30,)]


def test_truncated_and_empty_pages_are_retried(store: Store, client: PoliteClient, db: Path) -> None:
    pages = three_pages()
    calls: dict[str, int] = {}

    def respond(params: dict[str, str]) -> Reply:
        token = params.get("resumptionToken", "")
        calls[token] = calls.get(token, 0) + 1
        if token == "tok1" and calls[token] == 1:
            return ok(pages[1][: len(pages[1]) // 2])  # cut mid-record
        if token == "tok2" and calls[token] == 1:
            return ok(list_records([], token="tok2", cursor=20, size=30))  # empty, yet "more to come"
        return chain(pages)(params)

    with serving(respond) as server:
        report = run(store, client, server.url)
    assert calls == {"": 1, "tok1": 2, "tok2": 2}
    assert (report.pages, report.new) == (3, 30)
    assert rows(db, "select count(*), count(distinct arxiv_id) from papers") == [(30, 30)]


def test_a_page_that_stays_truncated_fails_and_the_harvest_resumes_later(store: Store, client: PoliteClient,
                                                                         db: Path) -> None:
    pages = three_pages()
    broken = {"on": True}

    def respond(params: dict[str, str]) -> Reply:
        if broken["on"] and params.get("resumptionToken") == "tok2":
            return ok(pages[2][:-40])
        return chain(pages)(params)

    with serving(respond) as server:
        with pytest.raises(SourceError, match=r"kept answering the response is not complete XML .* try again later"):
            run(store, client, server.url)
        assert len(server.requests) == 2 + 4  # first two pages, then the third one four times
        assert rows(db, "select lines_done, completed, cursor from ingest_runs") == [(20, 0, "tok2")]
        broken["on"] = False
        report = run(store, client, server.url)
    assert report.resumed and (report.pages, report.new) == (1, 10)
    assert server.requests[-1] == {"verb": "ListRecords", "resumptionToken": "tok2"}
    assert rows(db, "select count(*), count(distinct arxiv_id) from papers") == [(30, 30)]
    assert rows(db, "select lines_done, completed, cursor from ingest_runs") == [(30, 1, None)]


def test_deleted_and_broken_records_are_recorded_as_skipped(store: Store, client: PoliteClient, db: Path) -> None:
    with serving(fixture("arxivraw_versions.xml")) as server:
        report = run(store, client, server.url)
    assert (report.fetched, report.new, len(report.skipped)) == (3, 3, 2)
    assert rows(db, "select item, reason from skipped order by item") == [
        ("2401.00003", "deleted from arXiv (OAI header status=deleted)"),
        ("2401.00005", "2401.00005: no <version> elements, so neither version nor announcement date is known"),
    ]
    assert rows(db, "select arxiv_id, version, announced, submitted from papers order by arxiv_id") == [
        ("2401.00001", 3, "2024-01-10", "2024-01-08 20:00:00.000000"),
        ("2401.00002", 1, "2024-01-16", "2024-01-13 08:00:00.000000"),
        ("2401.00004", 2, "2024-01-10", "2024-01-09 12:00:00.000000"),
    ]
    assert rows(db, "select name, affiliation from paper_authors where arxiv_id = '2401.00002' order by position") == [
        ("Ada Lovelace", "University of London, UK"), ("Alan Turing", None), ("Grace Hopper", "Yale")]


def test_a_replacement_updates_the_stored_paper_in_place(store: Store, client: PoliteClient, db: Path) -> None:
    v1 = ["Mon, 8 Jan 2024 10:00:00 GMT"]
    v2 = [*v1, "Tue, 16 Jan 2024 10:00:00 GMT"]
    first = list_records([raw_record("2401.00007", v1, title="Old title"), raw_record("2401.00008", v1)])
    later = list_records([raw_record("2401.00007", v2, title="New title", authors="Ada Lovelace"),
                          raw_record("2401.00008", v1)])
    with serving(lambda _p: ok(first)) as server:
        run(store, client, server.url, since=date(2024, 1, 8), until=date(2024, 1, 12))
    with serving(lambda _p: ok(later)) as server:
        report = run(store, client, server.url)
    assert (report.fetched, report.new, report.updated, report.unchanged) == (2, 0, 1, 1)
    assert rows(db, "select arxiv_id, version, title, announced from papers order by arxiv_id") == [
        ("2401.00007", 2, "New title", "2024-01-09"), ("2401.00008", 1, "Paper 2401.00008", "2024-01-09")]
    assert rows(db, "select arxiv_id, count(*) from paper_authors group by arxiv_id order by arxiv_id") == [
        ("2401.00007", 1), ("2401.00008", 2)]


def test_dry_run_counts_what_a_real_run_stores_but_writes_nothing(store: Store, client: PoliteClient,
                                                                  db: Path) -> None:
    v2 = ["Mon, 8 Jan 2024 10:00:00 GMT", "Tue, 16 Jan 2024 10:00:00 GMT"]
    pages = chain_pages([[raw_record("2401.00001"), raw_record("2401.00002")],
                         [raw_record("2401.00003"), raw_record("2401.00001", v2)],
                         [raw_record("2401.00004")]])
    with serving(lambda _p: ok(list_records([raw_record("2401.00004"), raw_record("2401.00002", v2)]))) as server:
        run(store, client, server.url, since=date(2024, 1, 1), until=date(2024, 1, 2))
    with serving(chain(pages)) as server:
        dry = run(store, client, server.url, dry_run=True)
        assert (dry.pages, dry.fetched, dry.new, dry.updated, dry.dry_run) == (3, 5, 2, 1, True)
        assert dry.summary() == "fetched 5 in 3 pages, would be new 2, would be updated 1, unchanged 2, skipped 0"
        assert rows(db, "select arxiv_id, version from papers order by arxiv_id") == [("2401.00002", 2),
                                                                                      ("2401.00004", 1)]
        assert rows(db, "select count(*) from ingest_runs") == [(1,)]  # only the first, real harvest
        real = run(store, client, server.url)
    assert (real.fetched, real.new, real.updated) == (dry.fetched, dry.new, dry.updated)


def test_oai_dc_is_refused_before_any_request(store: Store, client: PoliteClient) -> None:
    with serving(fixture("no_records_match.xml")) as server:
        with pytest.raises(SourceError, match="metadata format 'oai_dc' is not supported: harvest with arXiv or"):
            run(store, client, server.url, metadata_prefix="oai_dc")
        assert server.requests == []


def test_a_repeated_token_stops_instead_of_looping(store: Store, client: PoliteClient) -> None:
    looping = list_records([raw_record("2401.00009")], token="tok1", cursor=0, size=99)
    with serving(lambda _p: ok(looping)) as server, pytest.raises(SourceError, match="again, which would loop"):
        run(store, client, server.url)
    assert len(server.requests) == 2


def test_inverted_range_is_refused(store: Store, client: PoliteClient) -> None:
    with pytest.raises(SourceError, match="starts 2024-01-19 after it ends 2024-01-15; swap the dates"):
        run(store, client, "http://127.0.0.1:9/oai", since=UNTIL, until=SINCE)


def test_arxivs_url_encoded_tokens_go_back_exactly_as_received(store: Store, client: PoliteClient) -> None:
    token = "metadataPrefix%3DarXivRaw%26set%3Dcs%26skip%3D1"  # what oaipmh.arxiv.org hands out
    first = list_records([raw_record("2401.00011")], token=token)
    last = list_records([raw_record("2401.00012")], token=None, cursor=1, size=2)

    def respond(params: dict[str, str]) -> Reply:
        if "resumptionToken" not in params:
            return ok(first)
        return ok(last if params["resumptionToken"] == token else error_page("badResumptionToken", "mangled"))

    with serving(respond) as server:
        report = run(store, client, server.url)
    assert (report.pages, report.new) == (2, 2)
