"""The Semantic Scholar client against a local server answering in the Graph API's recorded format."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date

import pytest

from paperradio.errors import SourceError
from paperradio.sources import semantic_scholar
from paperradio.sources.scholar import MAX_WAIT, AuthorMetrics
from paperradio.sources.semantic_scholar import SemanticScholar
from paperradio.store import Store
from tests.arxiv_server import CONTACT, ArxivServer, Reply
from tests.scholar_server import SemanticScholarApi, fixture, json_reply

TODAY = date(2026, 4, 20)
KEY = "s2-secret-key-456"
BATCH = "/paper/batch"


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        s.route(BATCH, SemanticScholarApi())
        yield s


Index = Callable[..., SemanticScholar]


@pytest.fixture
def index(store: Store) -> Iterator[Index]:
    """Make Semantic Scholar clients for a server (on its fake clock); closed after the test."""
    with ExitStack() as opened:
        def make(server: ArxivServer, *, api_key: str = "", retries: int = 2) -> SemanticScholar:
            client = opened.enter_context(semantic_scholar.polite_client(
                CONTACT, api_key=api_key, retries=retries, clock=server.time.clock, sleep=server.time.sleep,
                wall_clock=server.time.wall))
            return SemanticScholar(client, store, server.url, today=TODAY)

        yield make


def test_one_batch_request_gives_every_paper_s_authors_with_metrics(server: ArxivServer, index: Index) -> None:
    found = index(server).paper_authors(["2604.01234", "2604.05678v1", "2604.09999"])
    assert set(found) == {"2604.01234", "2604.05678"}  # null in the answer: unknown paper, left out
    lecun = found["2604.01234"][3]
    assert lecun == AuthorMetrics("Yann LeCun", 132, 322713, 860, "New York University", "Semantic Scholar")
    assert lecun.evidence() == "h-index 132, 323k citations, 860 works, New York University (Semantic Scholar)"
    [seen] = server.seen
    assert (seen.method, seen.path) == ("POST", BATCH)
    assert seen.query["fields"] == semantic_scholar.FIELDS
    assert "authors.hIndex" in seen.query["fields"] and "authors.affiliations" in seen.query["fields"]
    assert json.loads(seen.body) == {"ids": ["ARXIV:2604.01234", "ARXIV:2604.05678", "ARXIV:2604.09999"]}
    assert "x-api-key" not in seen.headers


def test_missing_fields_nulls_and_odd_unicode_are_read_defensively(server: ArxivServer, index: Index) -> None:
    found = index(server).paper_authors(["2604.01234", "2604.05678"])
    sato = found["2604.01234"][1]
    assert (sato.h_index, sato.citations, sato.works, sato.affiliation) == (None, 50, 4, None)
    zhang, unresolved, fischer = found["2604.05678"]
    assert zhang.h_index == 2 and zhang.affiliation is None
    assert unresolved == AuthorMetrics("Unresolved Coauthor", None, None, None, None, "Semantic Scholar")
    assert fischer == AuthorMetrics("Léna Fischer", 17, None, 40, "Technical University of Munich",
                                    "Semantic Scholar")


def test_a_second_run_is_answered_from_the_store(server: ArxivServer, store: Store, index: Index) -> None:
    ids = ["2604.01234", "2604.05678", "2604.09999"]
    first = index(server).paper_authors(ids)
    again = index(server).paper_authors([*ids, "2604.01234v3"])
    assert again == first and len(server.seen) == 1
    assert store.cache_get("s2-paper", "2604.01234")["paperId"] == "8f1c2b0a9d3e4f5a6b7c8d9e0f1a2b3c4d5e6f70"
    # a new paper costs one request for that paper alone
    index(server).paper_authors([*ids, "2604.07777"])
    assert json.loads(server.seen[-1].body) == {"ids": ["ARXIV:2604.07777"]}


def test_papers_go_five_hundred_to_a_request(server: ArxivServer, index: Index) -> None:
    ids = [f"2605.{n:05d}" for n in range(semantic_scholar.BATCH + 2)]
    index(server).paper_authors(ids)
    assert [len(json.loads(s.body)["ids"]) for s in server.seen] == [semantic_scholar.BATCH, 2]


def test_without_a_key_requests_are_three_seconds_apart_with_one_a_second(server: ArxivServer,
                                                                           index: Index) -> None:
    index(server).paper_authors(["2605.00001"])
    index(server).paper_authors(["2605.00002"])  # a new client: the spacing is per client
    slow = index(server)
    slow.paper_authors(["2605.00003"])
    slow.paper_authors(["2605.00004"])
    keyed = index(server, api_key=KEY)
    keyed.paper_authors(["2605.00005"])
    keyed.paper_authors(["2605.00006"])
    assert server.time.sleeps == [semantic_scholar.INTERVAL_WITHOUT_KEY, semantic_scholar.INTERVAL_WITH_KEY]


def test_429_with_retry_after_then_success(server: ArxivServer, index: Index) -> None:
    server.script(BATCH, json_reply({"message": "Too Many Requests. Please wait and try again"}, 429,
                                    {"Retry-After": "30"}))
    found = index(server).paper_authors(["2604.01234"])
    assert found["2604.01234"][3].h_index == 132
    assert server.time.sleeps == [30.0] and len(server.seen) == 2


def test_a_server_error_is_retried_then_succeeds(server: ArxivServer, index: Index) -> None:
    server.script(BATCH, json_reply({"message": "Internal server error"}, 500))
    found = index(server).paper_authors(["2604.01234"])
    assert found["2604.01234"][0].name == "Mira Novak"
    assert len(server.seen) == 2 and server.seen[1].body == server.seen[0].body  # the same batch again


def test_malformed_json_is_a_clear_error(server: ArxivServer, store: Store, index: Index) -> None:
    server.script(BATCH, Reply(body=b'[{"paperId": "8f1c", "authors": [', content_type="application/json"))
    with pytest.raises(SourceError, match=r"^Semantic Scholar: http://127\.0\.0\.1:\d+/paper/batch\?fields=.* "
                                          r"answered malformed JSON"):
        index(server).paper_authors(["2604.01234"])
    assert store.cache_get("s2-paper", "2604.01234") is None


def test_an_answer_that_is_not_one_entry_per_id_is_a_clear_error(server: ArxivServer, index: Index) -> None:
    server.script(BATCH, json_reply({"data": []}))
    with pytest.raises(SourceError, match="answered dict instead of a list of 2 papers"):
        index(server).paper_authors(["2604.01234", "2604.05678"])


def test_a_paper_in_the_wrong_place_is_not_attributed(server: ArxivServer, index: Index) -> None:
    server.script(BATCH, json_reply([fixture("semantic_scholar/batch.json")[1]]))
    with pytest.raises(SourceError, match=r"asked for arXiv:2604\.01234, got arXiv:2604\.05678 in its place"):
        index(server).paper_authors(["2604.01234"])


def test_a_client_error_quotes_the_api_message(server: ArxivServer, index: Index) -> None:
    server.script(BATCH, json_reply(fixture("semantic_scholar/error_400.json"), 400))
    with pytest.raises(SourceError, match=r"answered HTTP 400: Unrecognized or unsupported fields: \[authors\.hIndx\]"):
        index(server).paper_authors(["2604.01234"])


def test_the_api_key_goes_in_the_header_and_never_in_logs_or_errors(server: ArxivServer, index: Index,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    index(server, api_key=KEY).paper_authors(["2604.01234"])
    assert server.seen[0].headers["x-api-key"] == KEY
    assert KEY not in server.seen[0].path and KEY not in str(server.seen[0].query)
    server.script(BATCH, Reply(403, f"Forbidden: key {KEY} is not valid".encode(), content_type="text/plain"))
    with pytest.raises(SourceError) as caught:
        index(server, api_key=KEY).paper_authors(["2604.00001"])
    assert "key *** is not valid" in str(caught.value)
    assert KEY not in caplog.text


def test_a_long_retry_after_is_capped_so_ranking_does_not_hang(server: ArxivServer, index: Index) -> None:
    server.script(BATCH, json_reply({"message": "Too Many Requests"}, 429, {"Retry-After": "86400"}))
    index(server).paper_authors(["2604.01234"])
    assert server.time.sleeps == [MAX_WAIT]
