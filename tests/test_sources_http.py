"""The polite client against a real local server: spacing, retries, Retry-After, one connection, manners."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from paperradio.errors import SourceError
from paperradio.sources._http import Politeness
from tests.arxiv_server import CONTACT, ArxivServer, Reply, Seen


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        yield s


def gaps(server: ArxivServer) -> list[float]:
    times = [s.at for s in server.seen]
    return [b - a for a, b in itertools.pairwise(times)]


def test_requests_start_at_least_three_seconds_apart_on_the_wire(server: ArxivServer) -> None:
    server.script("/page", Reply(body=b"ok"))
    with server.client() as client:
        for _ in range(4):
            assert client.get(f"{server.url}/page").text == "ok"
    assert len(server.seen) == 4
    assert gaps(server) == [3.0, 3.0, 3.0]
    assert server.time.sleeps == [3.0, 3.0, 3.0]


def test_a_longer_configured_interval_is_kept(server: ArxivServer) -> None:
    server.script("/page", Reply(body=b"ok"))
    with server.client(interval=4.5) as client:
        client.get(f"{server.url}/page")
        client.get(f"{server.url}/page")
    assert gaps(server) == [4.5]


def test_retry_after_seconds_is_honoured(server: ArxivServer) -> None:
    server.script("/page", Reply(429, b"slow down", {"Retry-After": "7"}), Reply(body=b"ok"))
    with server.client() as client:
        assert client.get(f"{server.url}/page").text == "ok"
    assert server.time.sleeps == [7.0]
    assert gaps(server) == [7.0]


def test_retry_after_as_an_http_date_is_honoured(server: ArxivServer) -> None:
    def busy_then_ok(seen: Seen) -> Reply:
        if len(server.seen) == 1:
            return Reply(503, b"busy", {"Retry-After": server.time.http_date(after=12)})
        return Reply(body=b"ok")

    server.route("/page", busy_then_ok)
    with server.client() as client:
        assert client.get(f"{server.url}/page").text == "ok"
    assert server.time.sleeps == [12.0]


def test_without_retry_after_the_backoff_doubles(server: ArxivServer) -> None:
    server.script("/page", Reply(503, b"busy"), Reply(502, b"bad gateway"), Reply(500, b"oops"), Reply(body=b"ok"))
    with server.client(backoff=5.0) as client:
        assert client.get(f"{server.url}/page").text == "ok"
    assert server.time.sleeps == [5.0, 10.0, 20.0]
    assert all(g >= 3.0 for g in gaps(server))


def test_a_retry_after_shorter_than_the_interval_still_keeps_three_seconds(server: ArxivServer) -> None:
    server.script("/page", Reply(429, b"", {"Retry-After": "1"}), Reply(body=b"ok"))
    with server.client() as client:
        client.get(f"{server.url}/page")
    assert gaps(server) == [3.0]
    assert server.time.sleeps == [1.0, 2.0]


def test_a_huge_retry_after_is_capped(server: ArxivServer) -> None:
    server.script("/page", Reply(429, b"", {"Retry-After": "86400"}), Reply(body=b"ok"))
    with server.client(max_wait=120.0) as client:
        client.get(f"{server.url}/page")
    assert server.time.sleeps == [120.0]


def test_gives_up_after_the_configured_retries_with_a_clear_message(server: ArxivServer) -> None:
    server.script("/page", Reply(503, b"busy"))
    with server.client(retries=2) as client, pytest.raises(SourceError) as caught:
        client.get(f"{server.url}/page")
    assert str(caught.value) == f"{server.url}/page: gave up after 3 attempts (HTTP 503)"
    assert len(server.seen) == 3


def test_a_client_error_is_not_retried(server: ArxivServer) -> None:
    with server.client() as client, pytest.raises(SourceError, match=r"answered HTTP 404: no such page"):
        client.get(f"{server.url}/missing")
    assert len(server.seen) == 1


def test_a_timeout_is_retried(server: ArxivServer) -> None:
    server.script("/slow", Reply(body=b"late", delay=0.6), Reply(body=b"ok"))
    with server.client(timeout=0.2, backoff=5.0) as client:
        assert client.get(f"{server.url}/slow").text == "ok"
    assert server.time.sleeps == [5.0]


def test_a_connection_dropped_mid_body_is_retried(server: ArxivServer) -> None:
    server.script("/page", Reply(body=b"x" * 1000, cut_at=100), Reply(body=b"whole"))
    with server.client() as client:
        assert client.get(f"{server.url}/page").text == "whole"
    assert len(server.seen) == 2


def test_an_unreachable_server_fails_at_once() -> None:
    with ArxivServer() as gone:
        url = gone.url
    with ArxivServer() as other, other.client() as client, pytest.raises(SourceError, match="cannot reach"):
        client.get(f"{url}/page")


def test_the_server_sees_a_user_agent_with_the_contact(server: ArxivServer) -> None:
    server.script("/page", Reply(body=b"ok"))
    with server.client() as client:
        client.get(f"{server.url}/page")
    agent = server.seen[0].headers["user-agent"]
    assert agent.startswith("paperradio/")
    assert f"mailto:{CONTACT}" in agent


def test_an_interval_below_three_seconds_is_rejected() -> None:
    with pytest.raises(SourceError, match=r"request interval 2.5 s is below arXiv's minimum of 3.0 s"):
        Politeness(interval=2.5)


def test_all_requests_share_one_connection(server: ArxivServer) -> None:
    server.script("/a", Reply(429, b"", {"Retry-After": "4"}), Reply(body=b"a"))
    server.script("/b", Reply(503, b""), Reply(body=b"b"))
    with server.client() as client:
        for path in ("/a", "/b", "/a", "/b"):
            client.get(f"{server.url}{path}")
    assert len(server.seen) == 6
    assert len({s.peer for s in server.seen}) == 1


def test_an_explained_error_quotes_the_server(server: ArxivServer) -> None:
    server.script("/api", Reply(400, b"<feed><summary>incorrect id format for abc</summary></feed>"))
    with server.client() as client, pytest.raises(SourceError) as caught:
        client.get(f"{server.url}/api", explain=lambda r: r.text.split("<summary>")[1].split("<")[0])
    assert str(caught.value) == f"{server.url}/api answered HTTP 400: incorrect id format for abc"


def test_a_rejected_response_is_retried_then_reported(server: ArxivServer) -> None:
    server.script("/feed", Reply(body=b""), Reply(body=b""), Reply(body=b"items"))
    with server.client() as client:
        assert client.get(f"{server.url}/feed", accept=lambda r: bool(r.content)).text == "items"
    assert len(server.seen) == 3
    server.script("/empty", Reply(body=b""))
    with server.client(retries=1) as client, pytest.raises(SourceError, match="empty or incomplete response"):
        client.get(f"{server.url}/empty", accept=lambda r: bool(r.content))


def test_another_service_sets_its_own_minimum_interval() -> None:
    assert Politeness(interval=1.0, min_interval=1.0, service="OpenAlex").interval == 1.0
    with pytest.raises(SourceError, match=r"request interval 0.5 s is below OpenAlex's minimum of 1.0 s"):
        Politeness(interval=0.5, min_interval=1.0, service="OpenAlex")
