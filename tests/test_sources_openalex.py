"""The OpenAlex client against a local server answering in OpenAlex's recorded format."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date, timedelta

import pytest

from paperradio.errors import SourceError
from paperradio.sources import openalex
from paperradio.sources.openalex import OpenAlex
from paperradio.sources.scholar import MISSING_RECHECK_DAYS, AuthorMetrics
from paperradio.store import Store
from tests.arxiv_server import CONTACT, ArxivServer, Reply
from tests.scholar_server import OpenAlexApi, fixture, json_reply

TODAY = date(2026, 4, 20)
KEY = "oa-secret-key-123"


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        api = OpenAlexApi()
        s.route("/works", api)
        s.route("/authors", api)
        yield s


Index = Callable[..., OpenAlex]


@pytest.fixture
def index(store: Store) -> Iterator[Index]:
    """Make OpenAlex clients for a server (on its fake clock); they are closed after the test."""
    with ExitStack() as opened:
        def make(server: ArxivServer, *, api_key: str = "", today: date = TODAY, retries: int = 2) -> OpenAlex:
            client = opened.enter_context(openalex.polite_client(
                CONTACT, api_key=api_key, retries=retries, clock=server.time.clock, sleep=server.time.sleep,
                wall_clock=server.time.wall))
            return OpenAlex(client, store, server.url, mailto=CONTACT, api_key=api_key, today=today)

        yield make


def test_authors_of_papers_come_in_byline_order_with_their_metrics(server: ArxivServer, index: Index) -> None:
    found = index(server).paper_authors(["2604.01234", "2604.05678v2", "2604.09999"])
    assert set(found) == {"2604.01234", "2604.05678"}  # versions dropped; the unknown paper is left out
    lecun = found["2604.01234"][3]
    assert lecun == AuthorMetrics("Yann LeCun", 140, 351892, 905, "New York University", "OpenAlex")
    assert lecun.evidence() == "h-index 140, 352k citations, 905 works, New York University (OpenAlex)"
    alvarez = found["2604.01234"][2]
    assert (alvarez.name, alvarez.affiliation) == ("Jose M. Alvarez", "NVIDIA (United States)")  # as printed
    # one query for the works, one for the authors they name, both in the polite pool
    assert server.paths() == ["/works", "/authors"]
    works, authors = server.seen
    assert works.query["filter"] == "doi:10.48550/arxiv.2604.01234|10.48550/arxiv.2604.05678|10.48550/arxiv.2604.09999"
    assert works.query["select"] == "id,doi,authorships" and works.query["mailto"] == CONTACT
    assert authors.query["filter"] == "openalex:A5001000001|A5001000002|A5001000003|A5001000004|A5001000005|A5001000006"


def test_missing_fields_nulls_and_odd_unicode_are_read_defensively(server: ArxivServer, index: Index) -> None:
    found = index(server).paper_authors(["2604.01234", "2604.05678"])
    sato = found["2604.01234"][1]
    assert (sato.h_index, sato.citations, sato.works, sato.affiliation) == (None, 57, None, None)
    assert sato.evidence() == "57 citations (OpenAlex)"
    zhang, unresolved, fischer = found["2604.05678"]
    assert zhang == AuthorMetrics("Zhang Wei", None, None, None, None, "OpenAlex")  # id in no authors answer
    assert unresolved.name == "Unresolved Coauthor" and unresolved.h_index is None
    # decomposed accent composed, no-break space as a space; "many" works and -1 citations are not numbers
    assert fischer == AuthorMetrics("Léna Fischer", 17, None, None, "Technical University of Munich", "OpenAlex")


def test_a_second_run_is_answered_from_the_store(server: ArxivServer, store: Store, index: Index) -> None:
    ids = ["2604.01234", "2604.05678", "2604.09999"]
    first = index(server).paper_authors(ids)
    asked = len(server.seen)
    again = index(server).paper_authors(ids)
    assert again == first
    assert len(server.seen) == asked  # not one request more, not even for the unknown paper
    assert store.cache_get("openalex-author", "A5001000004")["summary_stats"]["h_index"] == 140


def test_an_unknown_paper_is_asked_again_after_some_days(server: ArxivServer, index: Index) -> None:
    index(server).paper_authors(["2604.09999"])
    index(server, today=TODAY + timedelta(days=MISSING_RECHECK_DAYS - 1)).paper_authors(["2604.09999"])
    assert server.paths() == ["/works"]
    index(server, today=TODAY + timedelta(days=MISSING_RECHECK_DAYS)).paper_authors(["2604.09999"])
    assert server.paths() == ["/works", "/works"]


def test_ids_go_fifty_to_a_query_and_pages_are_followed(server: ArxivServer, index: Index) -> None:
    ids = [f"2605.{n:05d}" for n in range(openalex.BATCH + 1)]
    index(server).paper_authors(ids)
    assert [len(s.query["filter"].split("|")) for s in server.seen] == [openalex.BATCH, 1]

    # a server with smaller pages than asked for: the client reads on while meta.count says more remain
    with ArxivServer() as paged:
        small_pages = OpenAlexApi(page_size=1)
        paged.route("/works", small_pages)
        paged.route("/authors", small_pages)
        found = index(paged).paper_authors(["2604.01234"])
    assert [s.query.get("page") for s in paged.seen if s.path == "/works"] == ["1"]  # one work: one page
    assert [s.query.get("page") for s in paged.seen if s.path == "/authors"] == ["1", "2", "3", "4"]
    assert [a.h_index for a in found["2604.01234"]] == [9, None, 45, 140]


def test_429_with_retry_after_then_success(server: ArxivServer, index: Index) -> None:
    server.script("/works", json_reply({"error": "Rate limit exceeded"}, 429, {"Retry-After": "9"}))
    found = index(server).paper_authors(["2604.01234"])
    assert found["2604.01234"][3].h_index == 140
    assert server.time.sleeps[0] == 9.0
    assert server.paths() == ["/works", "/works", "/authors"]


def test_a_server_error_is_retried_then_succeeds(server: ArxivServer, index: Index) -> None:
    server.script("/authors", Reply(500, b"Internal Server Error", content_type="text/html"))
    found = index(server).paper_authors(["2604.01234"])
    assert found["2604.01234"][0].h_index == 9
    assert server.paths() == ["/works", "/authors", "/authors"]


def test_requests_are_spaced_by_the_openalex_interval(server: ArxivServer, index: Index) -> None:
    index(server).paper_authors(["2604.01234", "2604.05678"])
    assert [b.at - a.at for a, b in zip(server.seen, server.seen[1:], strict=False)] == [openalex.INTERVAL]


def test_malformed_json_is_a_clear_error(server: ArxivServer, store: Store, index: Index) -> None:
    server.script("/works", Reply(body=b'{"meta": {"count": 1}, "results": [', content_type="application/json"))
    with pytest.raises(SourceError, match=r"^OpenAlex: http://127\.0\.0\.1:\d+/works\?.* answered malformed JSON"):
        index(server).paper_authors(["2604.01234"])
    assert store.cache_get("openalex-work", "2604.01234") is None  # nothing cached from a bad answer


def test_json_without_results_is_a_clear_error(server: ArxivServer, index: Index) -> None:
    server.script("/works", json_reply({"meta": {"count": 0}}))
    with pytest.raises(SourceError, match="answered JSON without results"):
        index(server).paper_authors(["2604.01234"])


def test_a_client_error_quotes_openalex_message(server: ArxivServer, index: Index) -> None:
    server.script("/works", json_reply(fixture("openalex/error_400.json"), 400))
    with pytest.raises(SourceError, match="answered HTTP 400: doi is not a valid filter for authors"):
        index(server).paper_authors(["2604.01234"])
    assert server.paths() == ["/works"]


def test_the_api_key_is_sent_but_never_logged_or_raised(server: ArxivServer, index: Index,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    index(server, api_key=KEY).paper_authors(["2604.01234"])
    assert all(s.query["api_key"] == KEY for s in server.seen)
    server.script("/works", Reply(403, b"forbidden", content_type="text/plain"))
    with pytest.raises(SourceError) as caught:
        index(server, api_key=KEY).paper_authors(["2604.00001"])
    assert "api_key=***" in str(caught.value) and KEY not in str(caught.value)
    assert "api_key=***" in caplog.text and KEY not in caplog.text
