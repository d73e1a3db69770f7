"""Journal feeds (Nature, Science, bioRxiv, ...) as candidates for the featured section.

Setting ``journal_feeds`` lists feeds as URLs or ``name=URL``. A feed may be in any of the formats journals
serve: RSS 1.0 (RDF, with ``dc:`` and ``prism:`` elements: Nature, Science and bioRxiv), RSS 2.0, or Atom.
Each item with a DOI and a date becomes a Paper:

- ``arxiv_id`` "doi:<doi in lower case>" (DOIs ignore case, so the same paper in two feeds is one id),
  ``doi`` the DOI as the feed writes it, so ``Paper.url`` is its doi.org link;
- ``source`` "journal:<name>", ``journal_ref`` the journal's name (``prism:publicationName`` or the
  feed's title);
- ``announced`` the item's date (its UTC day), ``submitted`` its date-time when it has one;
- no categories: rank files journal papers by their vocabulary, for the featured section only.

Titles and abstracts lose their HTML (feeds carry ``<i>``, ``<sub>`` and ``<p>``) and Nature's lead line
("Nature, Published online: ...; doi:..."). Items without a title, DOI or date are skipped with the
reason. Feeds are fetched through the polite client, one per host, ``journal_interval`` seconds apart.
"""

from __future__ import annotations

import email.utils
import html
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import SourceError
from ..models import JOURNAL_SOURCE, Author, Paper
from ..store import Store
from ._http import PoliteClient, Politeness
from ._text import clean_text

log = logging.getLogger(__name__)

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS1_NS = "http://purl.org/rss/1.0/"
ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
PRISM_NS_PREFIX = "http://prismstandard.org/namespaces/"
"""PRISM comes as basic/1.2, basic/2.0 and 2.1; all name the same elements."""

_PREFIXES = {RSS1_NS: "", ATOM_NS: "", DC_NS: "dc:", CONTENT_NS: "content:", RDF_NS: "rdf:"}
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s?#\"<>&]+)")
_BLOCK_TAG = re.compile(r"</?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|table|tr|td)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
# The citation line feeds put before the abstract: Nature's "Nature, Published online: 15 April 2026;
# doi:10.1038/...", Science's (Atypon's) "Science, Volume 392, Issue 6791, Page 312-318, April 2026."
_CITATION_LEAD = re.compile(r"^(?:[^;]{0,120}\bPublished online:[^;]*;\s*doi:\s*\S+"
                            r"|[^.;]{0,80}, Volume \d+, Issue \w+, Pages? [^,]*, \w+ \d{4}\.)\s*")
_FEED_TITLE_SUFFIX = re.compile(r"\s*[:|]\s*(?:(?:new|latest|recent|current)\b.*|table of contents)$", re.I)
JOURNAL_MIN_INTERVAL = 1.0
"""Journal hosts ask for no fixed spacing; one request a second per host is polite for a daily fetch."""

_SUPERSCRIPT = re.compile(r"<sup\b[^>]*>", re.I)
_NAME_LIKE = re.compile(r"^[^\W\d_][\w.'\- ]*\s[\w.'\-]+$")
_INITIALS = re.compile(r"^(?:(?:[^\W\d_][a-z]?\.[\s-]?)+|[A-Z]{1,3})$")  # "J.", "E. M.", "Ch.", "JR"


@dataclass(frozen=True)
class JournalFeed:
    name: str
    url: str

    @property
    def source(self) -> str:
        return f"{JOURNAL_SOURCE}{self.name}"


def journal_feeds(entries: Iterable[str]) -> list[JournalFeed]:
    """The feeds of setting ``journal_feeds``: "name=URL", or a URL named after its host (nature, biorxiv)."""
    feeds: list[JournalFeed] = []
    for entry in entries:
        name, equals, url = entry.partition("=")
        if not equals or "://" in name:
            name, url = "", entry
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourceError(f"journal feed {entry!r}: expected a URL or name=URL, e.g. "
                              "nature=https://www.nature.com/nature.rss")
        if not name.strip():
            labels = [p for p in parts.hostname.split(".") if p not in ("www", "connect", "feeds", "rss")]
            name = labels[0] if labels else parts.hostname
        name = re.sub(r"[^a-z0-9_-]+", "-", name.strip().lower()).strip("-")[:24]
        if any(f.name == name for f in feeds):
            raise SourceError(f"two journal feeds are named {name!r}; name them apart with name=URL")
        feeds.append(JournalFeed(name, url))
    return feeds


def journal_client(settings: Settings) -> PoliteClient:
    """A polite client for one journal host, with the configured contact, interval and retries."""
    politeness = Politeness(interval=settings.journal_interval, retries=settings.http_retries,
                            min_interval=JOURNAL_MIN_INTERVAL, service="a journal host")
    return PoliteClient(settings.contact_email, politeness)


@dataclass(frozen=True)
class JournalPage:
    """One fetched feed: its papers and the items that could not become papers."""

    journal: str
    papers: list[Paper]
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _key(tag: str) -> str:
    """"{namespace}local" as a short key: "title", "dc:creator", "prism:doi"; unknown namespaces "?:local"."""
    if not tag.startswith("{"):
        return tag
    namespace, _, local = tag[1:].partition("}")
    if namespace.startswith(PRISM_NS_PREFIX):
        return f"prism:{local}"
    return f"{_PREFIXES.get(namespace, '?:')}{local}"


def _fields(element: ET.Element) -> dict[str, list[ET.Element]]:
    found: dict[str, list[ET.Element]] = {}
    for child in element:
        found.setdefault(_key(child.tag), []).append(child)
    return found


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())


def _first(fields: dict[str, list[ET.Element]], *keys: str) -> str:
    """The first non-empty text among ``keys``, in that order of preference."""
    for key in keys:
        for element in fields.get(key, ()):
            text = _text(element).strip()
            if text:
                return text
    return ""


def html_text(text: str) -> str:
    """Plain text of feed HTML: tags dropped (block tags leave a space), entities decoded, spaces collapsed."""
    if "<" in text:  # 10<sup>8</sup> -> 10^8: keep a power a power
        text = _TAG.sub("", _BLOCK_TAG.sub(" ", _SUPERSCRIPT.sub("^", text)))
    if "&" in text:
        text = html.unescape(text)
    return clean_text(text)


def _when(text: str) -> tuple[date, datetime | None] | None:
    """(UTC day, moment) of an ISO 8601 or RFC 822 date; the moment is None for a bare date."""
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text), None
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.date(), moment


def _doi(fields: dict[str, list[ET.Element]], links: Sequence[str]) -> str:
    explicit = _first(fields, "prism:doi")
    if explicit:
        return explicit.removeprefix("doi:").strip()
    for text in [*(_text(e) for e in fields.get("dc:identifier", ())), *links]:
        match = _DOI.search(text)
        if match:
            doi = match[1].rstrip(".,;")
            # bioRxiv and medRxiv links end the DOI with the version ("...592123v2"); the DOI has none.
            return re.sub(r"v\d+$", "", doi) if doi.startswith("10.1101/") else doi
    return ""


def _authors(fields: dict[str, list[ET.Element]]) -> tuple[Author, ...]:
    # dc:creator when there is one: RSS 2.0's <author> is often the editor's address
    names = [_text(e) for e in fields.get("dc:creator", ())] or [
        _first(_fields(a), "name") or _text(a) for a in fields.get("author", ())]
    if len(names) == 1:  # one element listing everyone: "A. One, B. Two and C. Three" or "A; B; C"
        parts = re.split(r"\s*;\s*", names[0]) if ";" in names[0] else re.split(r"\s*,\s*|\s+and\s+", names[0])
        parts = [p.strip() for p in parts if p.strip()]
        if len(parts) > 1 and len(parts) % 2 == 0 and all(_INITIALS.match(p) for p in parts[1::2]):
            names = [f"{initials} {surname}" for surname, initials in zip(parts[::2], parts[1::2], strict=True)]
        elif len(parts) > 1 and all(_NAME_LIKE.match(p) for p in parts):
            names = parts
    # RSS 2.0's <author> is "email (Name)"
    cleaned = (html_text(re.sub(r"^\S+@\S+\s*\((.*)\)$", r"\1", n.strip())) for n in names)
    return tuple(Author(n) for n in dict.fromkeys(cleaned) if n)


def _item(element: ET.Element, position: int, journal: str, source: str) -> Paper | tuple[str, str]:
    fields = _fields(element)
    links = [_text(e).strip() for e in fields.get("link", ()) if _text(e).strip()]
    links += [e.get("href", "") for e in fields.get("link", ()) if e.get("href")]
    links += [element.get(f"{{{RDF_NS}}}about", ""), _first(fields, "guid", "id", "prism:url")]
    label = next((link for link in links if link), f"item {position + 1}")
    title = html_text(_first(fields, "title", "dc:title"))
    if not title:
        return label, "item has no title"
    doi = _doi(fields, [link for link in links if link])
    if not doi:
        return label, "item has no DOI (needed for a stable id and link)"
    raw_date = _first(fields, "dc:date", "prism:publicationDate", "pubDate", "published", "updated",
                      "prism:coverDate")
    when = _when(raw_date) if raw_date else None
    if when is None:
        reason = f"unreadable date {raw_date[:40]!r}" if raw_date else "item has no date"
        return f"doi:{doi}", reason
    abstract = html_text(_first(fields, "content:encoded", "description", "summary", "content", "dc:description"))
    abstract = _CITATION_LEAD.sub("", abstract)
    return Paper(
        arxiv_id=f"doi:{doi.lower()}",
        title=title,
        abstract=abstract,
        authors=_authors(fields),
        categories=(),
        announced=when[0],
        submitted=when[1],
        journal_ref=html_text(_first(fields, "prism:publicationName")) or journal,
        doi=doi,
        source=source,
    )


def parse_feed(xml: bytes, feed: JournalFeed) -> JournalPage:
    """Read one feed (RSS 1.0, RSS 2.0 or Atom). Raises SourceError for XML that is not a feed."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise SourceError(f"journal feed {feed.name} ({feed.url}) is not readable XML: {exc}") from None
    if root.tag == f"{{{RDF_NS}}}RDF":
        channel = root.find(f"{{{RSS1_NS}}}channel")
        items = root.findall(f"{{{RSS1_NS}}}item")
    elif root.tag == "rss":
        channel = root.find("channel")
        items = channel.findall("item") if channel is not None else []
    elif root.tag == f"{{{ATOM_NS}}}feed":
        channel, items = root, root.findall(f"{{{ATOM_NS}}}entry")
    else:
        raise SourceError(f"journal feed {feed.name} ({feed.url}) is not RSS or Atom (root element <{root.tag}>)")
    head = _fields(channel) if channel is not None else {}
    journal = _FEED_TITLE_SUFFIX.sub("", html_text(_first(head, "prism:publicationName", "title", "dc:title")))
    journal = journal or feed.name
    papers: list[Paper] = []
    skipped: list[tuple[str, str]] = []
    for position, element in enumerate(items):
        result = _item(element, position, journal, feed.source)
        if isinstance(result, Paper):
            papers.append(result)
        else:
            skipped.append(result)
    return JournalPage(journal, papers, skipped)


@dataclass
class JournalReport:
    feed: JournalFeed
    fetched: int = 0
    new: int = 0
    updated: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        prefix = "dry run, nothing stored: " if self.dry_run else ""
        return (f"{prefix}journal {self.feed.name}: fetched {self.fetched}, new {self.new}, "
                f"updated {self.updated}, skipped {len(self.skipped)}")


def ingest_journals(
    store: Store,
    feeds: Sequence[JournalFeed],
    new_client: Callable[[], PoliteClient],
    *,
    dry_run: bool = False,
) -> list[JournalReport]:
    """Fetch every feed and store its papers under source "journal:<name>" (nothing twice on a re-run).

    Feeds on one host share one client (``new_client()``), so its interval spaces the requests to that
    host; different hosts do not wait for each other.
    """
    by_host: dict[str, list[JournalFeed]] = {}
    for feed in feeds:
        by_host.setdefault(urlsplit(feed.url).netloc, []).append(feed)
    reports: list[JournalReport] = []
    for host_feeds in by_host.values():
        with new_client() as client:
            for feed in host_feeds:
                page = parse_feed(client.get(feed.url).content, feed)
                report = JournalReport(feed, fetched=len(page.papers) + len(page.skipped),
                                       skipped=page.skipped, dry_run=dry_run)
                for item, reason in page.skipped:
                    log.warning("journal %s: skipped %s: %s", feed.name, item, reason)
                if not dry_run:
                    report.new, report.updated = store.add_papers(
                        page.papers, source=feed.source, lines_done=report.fetched, skips=page.skipped,
                        completed=True)
                reports.append(report)
    return reports
