"""The arXiv API (export.arxiv.org/api/query): full metadata of papers by id, and paged searches.

Answers are Atom feeds with ``arxiv:`` (comment, journal_ref, doi, affiliation, primary_category) and
``opensearch:`` (totalResults, startIndex, itemsPerPage) elements. arXiv reports a bad query as a feed
holding one error entry (with HTTP 400), and now and then answers an empty page although results remain:
such a page is retried through the polite client, never taken as the end of the results.

Parsing uses ElementTree's C parser and one pass over each entry's children; it is the hot loop when a
backfill reads tens of thousands of entries, so keep per-element work to a tag comparison and no regexes.
(Measured on 1,000 real entries: about 10x faster than feedparser, 1.4-1.6x faster than the lxml parser of
the ``arxiv`` package 4.x; ElementTree's tree building is most of the remaining time.)
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import httpx

from ..errors import SourceError
from ..models import Author, Paper
from ._http import PoliteClient
from ._text import clean_text
from .schedule import announcement_date

log = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"

_FEED = f"{{{ATOM_NS}}}feed"
_ENTRY = f"{{{ATOM_NS}}}entry"
_ID = f"{{{ATOM_NS}}}id"
_TITLE = f"{{{ATOM_NS}}}title"
_SUMMARY = f"{{{ATOM_NS}}}summary"
_PUBLISHED = f"{{{ATOM_NS}}}published"
_AUTHOR = f"{{{ATOM_NS}}}author"
_NAME = f"{{{ATOM_NS}}}name"
_CATEGORY = f"{{{ATOM_NS}}}category"
_AFFILIATION = f"{{{ARXIV_NS}}}affiliation"
_COMMENT = f"{{{ARXIV_NS}}}comment"
_JOURNAL_REF = f"{{{ARXIV_NS}}}journal_ref"
_DOI = f"{{{ARXIV_NS}}}doi"
_PRIMARY = f"{{{ARXIV_NS}}}primary_category"
_TOTAL = f"{{{OPENSEARCH_NS}}}totalResults"
_START = f"{{{OPENSEARCH_NS}}}startIndex"
_PER_PAGE = f"{{{OPENSEARCH_NS}}}itemsPerPage"

ERROR_ID_MARK = "/api/errors"
"""arXiv's error entries have ids like https://arxiv.org/api/errors#incorrect_id_format_for_abc."""


class QueryRejected(SourceError):
    """arXiv answered with an error entry: the query itself is wrong, so retrying cannot help."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"the arXiv API rejected the query: {detail}")
        self.detail = detail


@dataclass(frozen=True)
class AtomPage:
    """One page of API results."""

    papers: list[Paper]
    total_results: int
    """How many results the whole query has (``opensearch:totalResults``)."""
    start_index: int
    items_per_page: int
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(entry id or position, reason) of entries that could not be read."""


_listed: dict[str, date] = {}
"""Listing day by the UTC hour of submission, a cache for the parse loop."""


def _int(element: ET.Element | None, default: int) -> int:
    if element is None or not element.text:
        return default
    try:
        return int(element.text.strip())
    except ValueError:
        raise SourceError(f"arXiv API answer has a non-numeric <{element.tag.rpartition('}')[2]}>: "
                          f"{element.text.strip()[:40]!r}") from None


def parse_atom(xml: bytes) -> AtomPage:
    """Read an API answer. Raises SourceError for unparsable XML and for arXiv's error entries."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise SourceError(f"cannot parse the arXiv API answer ({len(xml)} bytes): {exc}") from None
    if root.tag != _FEED:
        raise SourceError(f"the arXiv API answer is not an Atom feed (root element <{root.tag}>)")
    papers: list[Paper] = []
    skipped: list[tuple[str, str]] = []
    append = papers.append
    for position, entry in enumerate(root.iterfind(_ENTRY)):
        arxiv_id = title = abstract = ""
        published = comments = journal_ref = doi = primary = None
        authors: list[Author] = []
        categories: list[str] = []
        for el in entry:
            tag = el.tag
            if tag == _AUTHOR:
                name = ""
                affiliations: list[str] = []
                for sub in el:
                    if sub.tag == _NAME:
                        name = sub.text.strip() if sub.text else ""
                    elif sub.tag == _AFFILIATION and sub.text:
                        affiliations.append(clean_text(sub.text))
                if name:
                    authors.append(Author(name, "; ".join(affiliations) if affiliations else None))
            elif tag == _CATEGORY:
                term = el.get("term")
                if term and term not in categories:
                    categories.append(term)
            elif tag == _ID:
                arxiv_id = (el.text or "").strip()
            elif tag == _TITLE:
                title = clean_text(el.text) if el.text else ""
            elif tag == _SUMMARY:
                abstract = clean_text(el.text) if el.text else ""
            elif tag == _PUBLISHED:
                published = el.text
            elif tag == _PRIMARY:
                primary = el.get("term")
            elif tag == _COMMENT:
                comments = clean_text(el.text) if el.text else None
            elif tag == _JOURNAL_REF:
                journal_ref = clean_text(el.text) if el.text else None
            elif tag == _DOI:
                doi = el.text.strip() if el.text else None
        if not arxiv_id:
            skipped.append((f"entry {position + 1}", "entry has no <id>"))
            continue
        if ERROR_ID_MARK in arxiv_id:
            raise QueryRejected(abstract or title or arxiv_id)
        cut = arxiv_id.find("/abs/")
        if cut >= 0:
            arxiv_id = arxiv_id[cut + 5 :]
        base, mark, number = arxiv_id.rpartition("v")
        if mark and number.isdigit() and base:
            arxiv_id, version = base, int(number)
        else:
            version = 1
        if not published:
            skipped.append((arxiv_id, "entry has no <published> date"))
            continue
        published = published.strip()
        try:
            submitted = datetime.fromisoformat(published)
        except ValueError:
            skipped.append((arxiv_id, f"unreadable <published> date {published[:40]!r}"))
            continue
        if submitted.tzinfo is None:
            submitted = submitted.replace(tzinfo=UTC)
        # The listing day depends only on the UTC hour (the 14:00 Eastern cutoff is on the hour in UTC too).
        hour = published[:13] if published[-1:] == "Z" else published
        announced = _listed.get(hour)
        if announced is None:
            if len(_listed) > 100_000:
                _listed.clear()
            announced = _listed[hour] = announcement_date(submitted)
        if primary:
            if categories and categories[0] != primary:
                if primary in categories:
                    categories.remove(primary)
                categories.insert(0, primary)
            elif not categories:
                categories.append(primary)
        append(Paper(
            arxiv_id=arxiv_id,
            title=title,
            abstract=abstract,
            authors=tuple(authors),
            categories=tuple(categories),
            announced=announced,
            submitted=submitted,
            version=version,
            comments=comments,
            journal_ref=journal_ref,
            doi=doi,
        ))
    return AtomPage(
        papers=papers,
        total_results=_int(root.find(_TOTAL), len(papers)),
        start_index=_int(root.find(_START), 0),
        items_per_page=_int(root.find(_PER_PAGE), len(papers)),
        skipped=skipped,
    )


def _error_message(response: httpx.Response) -> str | None:
    """arXiv's own words from an error answer (its error entry's summary), if it sent one."""
    try:
        parse_atom(response.content)
    except QueryRejected as exc:
        return exc.detail
    except SourceError:
        return None
    return None


class _Pages:
    """The ``accept`` check for API pages: parse once, keep the result, reject unreadable or empty pages.

    An empty page is suspect when ``totalResults`` says results remain at its start index.
    """

    def __init__(self, client: PoliteClient) -> None:
        self.client = client
        self.page: AtomPage | None = None
        self.problem = ""
        self.rejected_request = -1

    def __call__(self, response: httpx.Response) -> bool:
        try:
            page = parse_atom(response.content)
        except QueryRejected:
            raise
        except SourceError as exc:
            self.problem = str(exc)
        else:
            if page.papers or page.total_results <= page.start_index:
                self.page = page
                return True
            self.problem = (f"an empty page at start {page.start_index} although it reports "
                            f"{page.total_results} results")
        log.warning("arXiv API: %s", self.problem)
        self.rejected_request = self.client.requests
        return False


def _get_page(client: PoliteClient, base_url: str, params: dict[str, str]) -> AtomPage:
    check = _Pages(client)
    try:
        client.get(base_url, params=params, accept=check, explain=_error_message)
    except SourceError as exc:
        if check.rejected_request == client.requests:  # the last attempt, too, was a bad page
            raise SourceError(f"the arXiv API kept answering badly ({check.problem}); gave up after "
                              f"{client.politeness.retries + 1} attempts, try again later") from exc
        raise
    assert check.page is not None
    for item, reason in check.page.skipped:
        log.warning("arXiv API entry %s skipped: %s", item, reason)
    return check.page


def fetch_by_ids(client: PoliteClient, ids: Sequence[str], base_url: str, batch: int = 100) -> list[Paper]:
    """Full metadata of ``ids`` (latest versions unless an id names one), ``batch`` ids per request.

    Ids arXiv does not know are simply absent from the result.
    """
    if batch < 1:
        raise SourceError(f"batch size must be at least 1, not {batch}")
    papers: list[Paper] = []
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), batch):
        chunk = unique[start : start + batch]
        page = _get_page(client, base_url, {"id_list": ",".join(chunk), "start": "0",
                                            "max_results": str(len(chunk))})
        papers.extend(page.papers)
    log.info("arXiv API: %d of %d ids found", len(papers), len(unique))
    return papers


def search(
    client: PoliteClient,
    query: str,
    base_url: str,
    page_size: int = 100,
    *,
    sort_by: str | None = None,
    sort_order: str | None = None,
    limit: int | None = None,
) -> Iterator[Paper]:
    """Papers matching ``query`` (arXiv's search syntax, e.g. ``cat:cs.CL AND ti:speech``), page by page.

    Follows ``start`` until ``totalResults``; each paper is yielded once even when pages overlap.
    """
    if page_size < 1:
        raise SourceError(f"page size must be at least 1, not {page_size}")
    seen: set[str] = set()
    start = 0
    while limit is None or len(seen) < limit:
        params = {"search_query": query, "start": str(start), "max_results": str(page_size)}
        if sort_by:
            params["sortBy"] = sort_by
        if sort_order:
            params["sortOrder"] = sort_order
        page = _get_page(client, base_url, params)
        for paper in page.papers:
            if paper.arxiv_id not in seen and (limit is None or len(seen) < limit):
                seen.add(paper.arxiv_id)
                yield paper
        start += len(page.papers) + len(page.skipped)
        if not page.papers or start >= page.total_results:
            break
