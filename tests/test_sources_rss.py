"""arXiv's daily RSS announcements: parsing, listing kinds, and fetching over a real local server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from paperradio.errors import SourceError
from paperradio.models import Announcement, Author
from paperradio.sources.arxiv_rss import fetch_announcements, listing_category, parse_rss
from tests.arxiv_server import ArxivServer, Reply, fixture

CATS = ("cs.LG", "stat.ML")
FEED = "/rss/cs.LG+stat.ML"


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        yield s


def test_parse_reads_the_day_and_every_kind_of_listing() -> None:
    page = parse_rss(fixture("rss_2026-04-14.xml"))
    assert page.day == date(2026, 4, 14)
    assert page.categories == CATS
    day = page.day
    assert [i.announcement for i in page.items] == [
        Announcement("2604.10001", day, "new", "cs.LG", 1),
        Announcement("2604.10002", day, "new", "stat.ML", 1),
        Announcement("2604.10003", day, "new", "cs.LG", 1),
        Announcement("2604.10004", day, "cross", "cs.LG", 1),
        Announcement("2510.01234", day, "cross", "stat.ML", 2),
        Announcement("2603.05555", day, "replace", "cs.LG", 2),
        Announcement("2602.07777", day, "replace-cross", "cs.LG", 3),
    ]
    assert page.skipped == [("item 8", "no arXiv id in its description, guid or link")]


def test_parse_builds_papers_from_the_items() -> None:
    items = parse_rss(fixture("rss_2026-04-14.xml")).items
    first = items[0].paper
    assert first.title == "Sparse Mixture Routing Without Load-Balancing Losses"
    assert first.abstract.startswith("Mixture-of-experts models rely on auxiliary")
    assert "Announce Type" not in first.abstract
    assert first.authors == (Author("Maria Keller"), Author("Tomasz Nowak"), Author("Yuki Tanaka"))
    assert first.categories == ("cs.LG", "cs.CL")
    assert first.announced == date(2026, 4, 14)
    assert [a.name for a in items[2].paper.authors] == ["Lena Fischer", "Omar Haddad", "Priya Raman"]
    assert items[4].paper.doi == "10.1214/26-EJS0001"
    assert items[5].paper.version == 2


def test_the_listing_category_of_a_cross_list_is_the_feed_category_it_was_cross_listed_to() -> None:
    assert listing_category("cross", ("math.OC", "cs.LG"), CATS) == "cs.LG"
    assert listing_category("replace-cross", ("stat.ME", "cs.AI", "stat.ML"), CATS) == "stat.ML"
    assert listing_category("cross", ("cs.LG", "math.OC"), CATS) is None  # its primary is no cross-list
    assert listing_category("new", ("cs.LG", "stat.ML"), CATS) == "cs.LG"
    assert listing_category("replace", ("cs.CL", "cs.LG"), CATS) == "cs.LG"


def test_a_cross_list_matching_no_feed_category_is_skipped_with_a_reason() -> None:
    page = parse_rss(fixture("rss_2026-04-14.xml"), categories=("cs.LG",))
    assert ("2510.01234", "cross of 2510.01234 matches none of the feed's categories cs.LG outside its primary "
            "(categories: stat.ME stat.ML)") in page.skipped


@pytest.mark.parametrize(("body", "message"), [
    (fixture("rss_2026-04-14.xml")[:2500], r"cannot parse the arXiv RSS feed \(2500 bytes, truncated or malformed\)"),
    (b"<rss><channel><item></channel></rss>", r"mismatched tag: line 1, column 22"),
    (b"<html><body>Service Unavailable</body></html>", r"not an RSS feed: root element <html> has no <channel>"),
    (b"<rss><channel><title>x</title></channel></rss>", r"has no <pubDate>: cannot tell which announcement day"),
    (b"<rss><channel><pubDate>soon</pubDate></channel></rss>", r"unreadable <pubDate> 'soon'"),
])
def test_malformed_feeds_raise_a_clear_source_error(body: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_rss(body)


def test_fetch_asks_for_the_categories_joined_by_plus(server: ArxivServer) -> None:
    server.script(FEED, Reply(body=fixture("rss_2026-04-14.xml")))
    with server.client() as client:
        page = fetch_announcements(client, CATS, f"{server.url}/rss/")
    assert len(page.items) == 7
    assert server.paths() == [FEED]


def test_an_empty_weekday_feed_is_retried_then_reported(server: ArxivServer) -> None:
    server.script(FEED, Reply(body=fixture("rss_empty_2026-04-15.xml")))
    with server.client(backoff=5.0) as client, pytest.raises(SourceError) as caught:
        fetch_announcements(client, CATS, f"{server.url}/rss")
    assert str(caught.value) == ("arXiv returned an empty announcement for cs.LG+stat.ML on 2026-04-15 "
                                 "(an announcement day) after 5 attempts; try again later")
    assert len(server.seen) == 5
    assert server.time.sleeps == [5.0, 10.0, 20.0, 40.0]


def test_an_empty_weekday_feed_followed_by_the_real_one_is_read(server: ArxivServer) -> None:
    server.script(FEED, Reply(body=fixture("rss_empty_2026-04-15.xml")), Reply(body=fixture("rss_2026-04-15.xml")))
    with server.client() as client:
        page = fetch_announcements(client, CATS, f"{server.url}/rss/")
    assert [i.paper.arxiv_id for i in page.items] == ["2604.10001", "2604.11020"]
    assert len(server.seen) == 2


def test_an_empty_weekend_feed_is_no_papers(server: ArxivServer) -> None:
    server.script(FEED, Reply(body=fixture("rss_empty_2026-04-18.xml")))
    with server.client() as client:
        page = fetch_announcements(client, CATS, f"{server.url}/rss/")
    assert (page.day, page.items, page.skipped) == (date(2026, 4, 18), [], [])
    assert len(server.seen) == 1


def test_a_truncated_feed_is_retried(server: ArxivServer) -> None:
    body = fixture("rss_2026-04-14.xml")
    server.script(FEED, Reply(body=body[: len(body) // 2]), Reply(body=body, cut_at=1000), Reply(body=body))
    with server.client() as client:
        page = fetch_announcements(client, CATS, f"{server.url}/rss/")
    assert len(page.items) == 7
    assert len(server.seen) == 3


def test_a_malformed_feed_fails_after_the_retries_with_the_parse_error(server: ArxivServer) -> None:
    server.script(FEED, Reply(body=b"<rss><channel><item></channel></rss>"))
    with server.client(retries=1) as client, pytest.raises(SourceError) as caught:
        fetch_announcements(client, CATS, f"{server.url}/rss/")
    assert str(caught.value) == (
        "arXiv returned a bad feed for cs.LG+stat.ML (cannot parse the arXiv RSS feed (36 bytes, truncated or "
        "malformed): mismatched tag: line 1, column 22) after 2 attempts; try again later")


def test_429_with_retry_after_and_503_are_waited_out(server: ArxivServer) -> None:
    server.script(FEED, Reply(429, b"", {"Retry-After": "7"}), Reply(503, b""),
                  Reply(body=fixture("rss_2026-04-14.xml")))
    with server.client(backoff=5.0) as client:
        page = fetch_announcements(client, CATS, f"{server.url}/rss/")
    assert len(page.items) == 7
    assert server.time.sleeps == [7.0, 10.0]
    assert [s.at for s in server.seen] == [0.0, 7.0, 17.0]


def test_no_categories_is_a_configuration_hint(server: ArxivServer) -> None:
    with server.client() as client, pytest.raises(SourceError, match="no arXiv categories configured"):
        fetch_announcements(client, (), f"{server.url}/rss/")


def test_the_real_capture_parses(shared_data: Path) -> None:
    (path,) = sorted((shared_data / "wire" / "rss").glob("*.xml"))
    page = parse_rss(path.read_bytes())
    assert page.day == date(2026, 9, 24)
    assert page.categories == ("cs.LG", "cs.AI", "cs.CL", "stat.ML")
    assert page.skipped == []
    assert [(a.arxiv_id, a.kind, a.category, a.version) for _, a in page.items] == [
        ("2609.26811", "new", "cs.LG", 1),
        ("2609.26820", "new", "cs.LG", 1),
        ("2205.06398", "cross", "stat.ML", 2),
        ("2009.13987", "replace", "cs.LG", 3),
    ]
    cross = page.items[2].paper
    assert cross.doi == "10.1093/bioinformatics/btac431"
    assert [a.name for a in cross.authors] == ["Pritam Dey", "Zhengwu Zhang", "David B. Dunson"]
