"""arXiv's daily announcements as RSS (rss.arxiv.org/rss/<categories joined by +>).

One feed is one announcement day: the channel's ``pubDate`` names it, and each item is one listing line,
``arxiv:announce_type`` saying whether the paper is new, a cross-list, or a replacement. The description
starts "arXiv:2609.26811v1 Announce Type: new" and then "Abstract: ...". Authors come as ``dc:creator``
(comma-separated); the feed carries no affiliations, comments or journal references, so live ingestion
completes new papers from the API (see live.py).

arXiv sometimes answers an empty but valid feed on a weekday. The fetch retries that through the polite
client and then fails loudly: an empty weekday feed is never taken as "no papers". On weekends and arXiv
holidays an empty feed is the normal answer.
"""

from __future__ import annotations

import email.utils
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import httpx

from ..errors import SourceError
from ..models import Announcement, Author, Paper
from ._http import PoliteClient
from ._text import clean_text
from .schedule import EASTERN, is_announcement_day

log = logging.getLogger(__name__)

ARXIV_NS = "{http://arxiv.org/schemas/atom}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"
KINDS = ("new", "cross", "replace", "replace-cross")

_DESCRIPTION = re.compile(
    r"^\s*arXiv:(?P<id>\S+?)v(?P<version>\d+)\s+Announce Type:\s*(?P<kind>[\w-]+)\s*(?:Abstract:\s*)?",
)
_GUID = re.compile(r"(?:oai:arXiv\.org:|/abs/)(?P<id>\S+?)v(?P<version>\d+)\s*$")
_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})$")


class RssItem(NamedTuple):
    """One listing line. ``paper.announced`` is the feed's day, true only for kind "new"; for
    cross-lists and replacements the paper was first announced earlier (live.py takes that day from the
    store or the API)."""

    paper: Paper
    announcement: Announcement


@dataclass(frozen=True)
class RssPage:
    """One day's announcements for the feed's categories."""

    day: date
    categories: tuple[str, ...]
    """The listings the feed covers, from its link (rss/cs.LG+stat.ML)."""
    items: list[RssItem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(item, reason) for every item that could not be read."""


def _text(element: ET.Element | None) -> str:
    return clean_text(element.text) if element is not None else ""


def _day(channel: ET.Element) -> date:
    """The announcement day: the channel's pubDate (or lastBuildDate) in arXiv's own timezone."""
    for tag in ("pubDate", "lastBuildDate"):
        value = _text(channel.find(tag))
        if not value:
            continue
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            raise SourceError(f"arXiv RSS feed has an unreadable <{tag}> {value!r}") from None
        return moment.astimezone(EASTERN).date() if moment.tzinfo else moment.date()
    raise SourceError("arXiv RSS feed has no <pubDate>: cannot tell which announcement day it is")


def _feed_categories(channel: ET.Element) -> tuple[str, ...]:
    link = _text(channel.find("link"))
    _, _, tail = link.rpartition("/rss/")
    return tuple(c for c in tail.split("+") if c) if tail else ()


def _authors(item: ET.Element) -> tuple[Author, ...]:
    names: list[str] = []
    for creator in item.iterfind(f"{DC_NS}creator"):
        for part in _text(creator).split(","):
            name = part.strip()
            if name.startswith("and "):
                name = name[4:].strip()
            if name:
                names.append(name)
    return tuple(Author(n) for n in names)


def listing_category(kind: str, categories: Sequence[str], listings: Sequence[str]) -> str | None:
    """The listing an item was announced in: for a cross-list, the feed category it was cross-listed to
    (in the paper's categories, not its primary); otherwise the primary, or the first feed category it has."""
    if not categories:
        return None
    primary = categories[0]
    if kind in ("cross", "replace-cross"):
        return next((c for c in listings if c in categories[1:]), None)
    if primary in listings or not listings:
        return primary
    return next((c for c in listings if c in categories), primary)


def _item(element: ET.Element, position: int, day: date, listings: Sequence[str]) -> RssItem | tuple[str, str]:
    description = element.findtext("description") or ""
    match = _DESCRIPTION.match(description)
    found = match or _GUID.search(_text(element.find("guid"))) or _GUID.search(_text(element.find("link")))
    if found is None:
        return (f"item {position}", "no arXiv id in its description, guid or link")
    arxiv_id, version = found["id"], int(found["version"])
    if not _ID.match(arxiv_id):
        return (f"item {position}", f"malformed arXiv id {arxiv_id!r}")
    kind = _text(element.find(f"{ARXIV_NS}announce_type")) or (match["kind"] if match else "")
    if kind not in KINDS:
        return (arxiv_id, f"unknown announce type {kind!r}")
    abstract = " ".join(description[match.end():].split()) if match else " ".join(description.split())
    categories = tuple(dict.fromkeys(_text(c) for c in element.iterfind("category") if c.text))
    title = _text(element.find("title"))
    if not title:
        return (arxiv_id, "item has no title")
    category = listing_category(kind, categories, listings)
    if category is None:
        return (arxiv_id, f"{kind} of {arxiv_id} matches none of the feed's categories "
                          f"{'+'.join(listings)} outside its primary (categories: {' '.join(categories) or 'none'})")
    doi = _text(element.find(f"{ARXIV_NS}DOI")) or _text(element.find(f"{ARXIV_NS}doi")) or None
    journal_ref = _text(element.find(f"{ARXIV_NS}journal_reference")) or None
    paper = Paper(arxiv_id=arxiv_id, title=title, abstract=abstract, authors=_authors(element),
                  categories=categories, announced=day, version=version, journal_ref=journal_ref, doi=doi)
    return RssItem(paper, Announcement(arxiv_id, day, kind, category, version))


def parse_rss(xml: bytes, categories: Sequence[str] = ()) -> RssPage:
    """Read one announcement feed. ``categories`` overrides the listings named in the feed's link.

    Raises SourceError for a malformed or truncated body; single unreadable items are skipped with a reason.
    """
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise SourceError(f"cannot parse the arXiv RSS feed ({len(xml)} bytes, truncated or malformed): "
                          f"{exc}") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise SourceError(f"not an RSS feed: root element <{root.tag}> has no <channel>")
    day = _day(channel)
    listings = tuple(categories) or _feed_categories(channel)
    page = RssPage(day=day, categories=listings)
    for position, element in enumerate(channel.iterfind("item"), start=1):
        item = _item(element, position, day, listings)
        if isinstance(item, RssItem):
            page.items.append(item)
        else:
            log.warning("RSS %s skipped: %s", item[0], item[1])
            page.skipped.append(item)
    return page


class _Feeds:
    """The ``accept`` check for feeds: keep the parsed page; reject unreadable feeds and empty weekday ones."""

    def __init__(self, client: PoliteClient, categories: Sequence[str]) -> None:
        self.client, self.categories = client, categories
        self.page: RssPage | None = None
        self.problem = ""
        self.rejected_request = -1

    def __call__(self, response: httpx.Response) -> bool:
        feed = "+".join(self.categories)
        try:
            page = parse_rss(response.content, self.categories)
        except SourceError as exc:
            self.problem = f"a bad feed for {feed} ({exc})"
        else:
            if page.items or page.skipped or not is_announcement_day(page.day):
                self.page = page
                return True
            self.problem = f"an empty announcement for {feed} on {page.day} (an announcement day)"
        log.warning("arXiv RSS: %s", self.problem)
        self.rejected_request = self.client.requests
        return False


def fetch_announcements(client: PoliteClient, categories: Sequence[str], base_url: str) -> RssPage:
    """Fetch today's announcements of ``categories`` from ``base_url`` (e.g. https://rss.arxiv.org/rss/)."""
    if not categories:
        raise SourceError("no arXiv categories configured; set `categories`, e.g. [\"cs.CL\", \"cs.LG\"]")
    url = f"{base_url.rstrip('/')}/{'+'.join(categories)}"
    check = _Feeds(client, categories)
    try:
        client.get(url, accept=check)
    except SourceError as exc:
        if check.rejected_request == client.requests:  # the last attempt, too, was refused by the check
            raise SourceError(f"arXiv returned {check.problem} after {client.politeness.retries + 1} attempts; "
                              "try again later") from exc
        raise
    assert check.page is not None
    page = check.page
    log.info("arXiv RSS %s for %s: %d items, %d skipped", "+".join(categories), page.day, len(page.items),
             len(page.skipped))
    return page
