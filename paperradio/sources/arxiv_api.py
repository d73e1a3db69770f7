"""The arXiv API (export.arxiv.org/api/query): full metadata of papers by id, and paged searches.

Answers are Atom feeds with ``arxiv:`` (comment, journal_ref, doi, affiliation, primary_category) and
``opensearch:`` (totalResults, startIndex, itemsPerPage) elements. arXiv reports a bad query as a feed
holding one error entry (with HTTP 400), and now and then answers an empty page although results remain:
such a page is retried through the polite client, never taken as the end of the results.

Parsing is the hot loop when a backfill reads tens of thousands of entries. libxml2 (lxml) first checks
that the whole answer is well-formed without building anything; answers in the layout arXiv writes today
are then cut into fields by one regular expression per entry (``_scan``), and anything else goes to an
ElementTree reader (``_read_tree``) that gives the same records. See bench/ingest.py for the speed against
the ``arxiv`` package.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from xml.parsers import expat

import httpx
from lxml import etree

from ..errors import SourceError
from ..models import Author, Paper
from ._http import PoliteClient
from ._text import clean_text, clean_texts
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

_Skip = tuple[str, str]


def _paper(position: int, raw_id: str, published: str | None, title: str, abstract: str,
           authors: list[Author], categories: list[str], primary: str | None, comments: str | None,
           journal_ref: str | None, doi: str | None) -> Paper | _Skip:
    """The Paper of one entry's fields (text already cleaned), or why the entry is skipped.

    Raises QueryRejected for arXiv's error entry.
    """
    if not raw_id:
        return f"entry {position + 1}", "entry has no <id>"
    if ERROR_ID_MARK in raw_id:
        raise QueryRejected(abstract or title or raw_id)
    cut = raw_id.find("/abs/")
    arxiv_id = raw_id[cut + 5 :] if cut >= 0 else raw_id
    base, mark, number = arxiv_id.rpartition("v")
    if mark and number.isdigit() and base:
        arxiv_id, version = base, int(number)
    else:
        version = 1
    if not published:
        return arxiv_id, "entry has no <published> date"
    published = published.strip()
    try:
        submitted = datetime.fromisoformat(published)
    except ValueError:
        return arxiv_id, f"unreadable <published> date {published[:40]!r}"
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
    # in field order: keywords would cost a fifth of the constructor, which runs once per entry
    return Paper(arxiv_id, title, abstract, tuple(authors), tuple(categories), announced, submitted, version,
                 comments, journal_ref, doi)


def _page(results: list[Paper | _Skip], total: int | None, start: int | None, per_page: int | None) -> AtomPage:
    papers = [r for r in results if isinstance(r, Paper)]
    return AtomPage(
        papers=papers,
        total_results=len(papers) if total is None else total,
        start_index=0 if start is None else start,
        items_per_page=len(papers) if per_page is None else per_page,
        skipped=[r for r in results if not isinstance(r, Paper)],
    )


def _number(name: str, text: str | None) -> int | None:
    if not text or not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise SourceError(f"arXiv API answer has a non-numeric <{name}>: {text.strip()[:40]!r}") from None


def parse_atom(xml: bytes) -> AtomPage:
    """Read an API answer. Raises SourceError for unparsable XML and for arXiv's error entries.

    Every answer is first checked without building anything (:func:`_check`: a truncated or malformed
    body is an error with its line and column). Answers in the layout arXiv writes today are then read by
    :func:`_scan`; anything else (older layouts, CDATA, comments, other prefixes) by the ElementTree
    reader :func:`_read_tree`. Both give the same result on the same document.
    """
    _check(xml)
    try:
        return _scan(xml)
    except _Unusual:
        return _read_tree(xml)


class _NoEvents:
    """A parser target without callbacks: libxml2 reads the whole document and calls nothing back."""

    def close(self) -> None:
        return None


def _check(xml: bytes) -> None:
    """Raise SourceError, with line and column, unless ``xml`` is a well-formed document.

    libxml2 (through lxml) checks it in about half the time expat takes; the message of a document it
    rejects is expat's, which has the final word (libxml2's limits and encodings differ a little).
    """
    checker = etree.XMLParser(target=_NoEvents(), resolve_entities=False, no_network=True, load_dtd=False)
    try:
        checker.feed(xml)
        checker.close()
    except etree.LxmlError:
        pass
    else:
        return
    try:
        expat.ParserCreate().Parse(xml, True)
    except expat.ExpatError as exc:
        raise SourceError(f"cannot parse the arXiv API answer ({len(xml)} bytes): {exc}") from None


def _read_tree(xml: bytes) -> AtomPage:
    """The general reader: ElementTree, one pass over each entry's children."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise SourceError(f"cannot parse the arXiv API answer ({len(xml)} bytes): {exc}") from None
    if root.tag != _FEED:
        raise SourceError(f"the arXiv API answer is not an Atom feed (root element <{root.tag}>)")
    results: list[Paper | _Skip] = []
    for position, entry in enumerate(root.iterfind(_ENTRY)):
        raw_id = title = abstract = ""
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
                raw_id = (el.text or "").strip()
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
        results.append(_paper(position, raw_id, published, title, abstract, authors, categories, primary,
                              comments, journal_ref, doi))
    return _page(results, _number("totalResults", root.findtext(_TOTAL)),
                 _number("startIndex", root.findtext(_START)), _number("itemsPerPage", root.findtext(_PER_PAGE)))


# The fast reader. Building an element tree takes about four times as long as the well-formedness check
# alone, and walking it longer still; arXiv's answers are regular, so each entry is matched whole by one
# regular expression (_ENTRY_LAYOUT) that lists arXiv's elements in arXiv's order. It reads only what it can
# prove it understands and gives up (_Unusual) on anything else, leaving the document to the tree reader.
# The proof: the document is well-formed (_check); its namespaces are bound once, on <feed> (Atom as
# default, arxiv: and opensearch: as arXiv binds them), so a tag's name says its namespace; the entries
# follow each other up to </feed>, and every "<" of an entry belongs to an element of the pattern, with
# text-only content. A comment, CDATA, an unknown, repeated or reordered element, an attribute order other
# than arXiv's: each makes the pattern fail. Bytes, not str: non-ASCII text would make every str
# operation work on 2- or 4-byte characters; fields are decoded one by one.


class _Unusual(Exception):
    """The answer is outside the layout the fast reader knows; the tree reader reads it."""


_ROOT_NAMESPACES = {b"xmlns": ATOM_NS.encode(), b"xmlns:arxiv": ARXIV_NS.encode(),
                    b"xmlns:opensearch": OPENSEARCH_NS.encode()}
_ATTRIBUTE = re.compile(rb'([^\s=]+)\s*=\s*"([^"]*)"')
_TAG_NAME = re.compile(rb"</?([^\s/>]+)")
_UTF8 = re.compile(rb"""encoding\s*=\s*["']utf-8["']""", re.IGNORECASE)
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# One pattern reads a whole entry in arXiv's layout: its elements in arXiv's order, each with text-only
# content ([^<]*), so that every "<" of the entry is accounted for; optional elements may be missing. The
# repeated elements (categories, authors) are captured as one block each and cut up by smaller patterns.
_ENTRY_LAYOUT = re.compile(  # possessive (*+ ?+): each element starts with its own tag, nothing to backtrack to
    rb"<entry>\s*+"
    rb"(?:<id>([^<]*+)</id>\s*+)?+"
    rb"(?:<title>([^<]*+)</title>\s*+)?+"
    rb"(?:<updated>[^<]*+</updated>\s*+)?+"
    rb'(?:<link(?: [a-z]++="[^"<]*+")++/>\s*+)*+'
    rb"(?:<summary>([^<]*+)</summary>\s*+)?+"
    # a tab or newline in a term would be a space to XML: left to the tree reader
    rb'((?:<category term="[^"\t\n\r]*+" scheme="[^"<]*+"/>\s*+)*+)'
    rb"(?:<published>([^<]*+)</published>\s*+)?+"
    rb"(?:<arxiv:comment>([^<]*+)</arxiv:comment>\s*+)?+"
    rb'(?:<arxiv:primary_category term="([^"\t\n\r]*+)"/>\s*+)?+'
    rb"(?:<arxiv:journal_ref>([^<]*+)</arxiv:journal_ref>\s*+)?+"
    rb"(?:<arxiv:doi>([^<]*+)</arxiv:doi>\s*+)?+"
    # the empty group after an affiliation says whether the authors have any
    rb"((?:<author>\s*+<name>[^<]*+</name>\s*+(?:<arxiv:affiliation>[^<]*+</arxiv:affiliation>()\s*+)*+</author>\s*+)*+)"
    rb"(?:<arxiv:doi>([^<]*+)</arxiv:doi>\s*+)?+"  # arXiv writes the DOI after the authors, others before
    rb'(?:<link(?: [a-z]++="[^"<]*+")++/>\s*+)*+'
    rb"</entry>\s*+")
_CLEANED = (1, 2, 5, 7)  # the groups of the title, summary, comment and journal ref
_TERM_TEXTS = re.compile(r'term="([^"]*)"')
_NAME_TEXTS = re.compile(r"<name>([^<]*)</name>")
_AUTHORS = re.compile(rb"<name>([^<]*)</name>((?:\s*<arxiv:affiliation>[^<]*</arxiv:affiliation>)*)")
_AFFILIATIONS = re.compile(rb"<arxiv:affiliation>([^<]*)</")


def _entity(match: re.Match[str]) -> str:
    name = match[1]
    if name[0] != "#":
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))


def _resolve(text: str) -> str:
    """Character data with its references resolved: a DOCTYPE-less document has only XML's five entities."""
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _text(raw: bytes) -> str:
    """Decoded character data, references resolved."""
    text = raw.decode()
    return _ENTITY.sub(_entity, text) if b"&" in raw else text


def _between(element: bytes, open_tag: bytes, close_tag: bytes) -> bytes | None:
    """The content of the first ``open_tag`` ... ``close_tag`` in ``element``, which must be text only."""
    start = element.find(open_tag)
    if start < 0:
        return None
    start += len(open_tag)
    end = element.find(close_tag, start)
    if end < 0 or element.find(b"<", start, end) >= 0:
        raise _Unusual
    return element[start:end]


def _scan(xml: bytes) -> AtomPage:
    """Read an answer in the layout arXiv writes today; raises _Unusual for any other."""
    xml = xml.removeprefix(b"\xef\xbb\xbf")
    root = xml.find(b"<feed")
    head = xml.find(b">", root)
    prolog = xml[:root]
    if root < 0 or head < 0 or prolog.count(b"<") != prolog.count(b"<?") or (
            b"encoding" in prolog and not _UTF8.search(prolog)):
        raise _Unusual  # a DOCTYPE or comment before the root, or another encoding than UTF-8
    root_tag = xml[root + 5 : head].rstrip(b"/")
    if root_tag and not root_tag[:1].isspace():
        raise _Unusual  # <feedback> or similar
    namespaces = {name: value for name, value in _ATTRIBUTE.findall(root_tag) if name.startswith(b"xmlns")}
    if namespaces.get(b"xmlns") != _ROOT_NAMESPACES[b"xmlns"] \
            or any(_ROOT_NAMESPACES.get(name) != value for name, value in namespaces.items()):
        raise _Unusual
    first = xml.find(b"<entry", head)
    header = xml[head + 1 : xml.rfind(b"</feed>") if first < 0 else first]
    prefixes = {name.split(b":")[0] for name in _TAG_NAME.findall(header) if b":" in name}
    if b"<!" in header or b"<?" in header or b"xmlns" in header or prefixes - {b"arxiv", b"opensearch"}:
        raise _Unusual  # comments, CDATA, namespaces bound again, or a prefix the document does not bind
    entries: list[tuple[bytes | None, ...]] = []
    references: list[bool] = []
    if first >= 0:
        at, match = first, _ENTRY_LAYOUT.match
        while entry := match(xml, at):
            end = entry.end()
            entries.append(entry.groups())
            references.append(xml.find(b"&", at, end) >= 0)
            at = end
        if xml[at:].rstrip() != b"</feed>":
            raise _Unusual  # an entry outside the layout, or elements after the last entry
    # cleaning the title, abstract, comment and journal ref costs most when done text by text
    texts = clean_texts([groups[i] or b"" for groups in entries for i in _CLEANED], _text)
    results = [_scan_entry(position, groups, references[position], texts[4 * position : 4 * position + 4])
               for position, groups in enumerate(entries)]
    numbers = []
    for name in ("totalResults", "startIndex", "itemsPerPage"):
        raw = _between(header, f"<opensearch:{name}>".encode(), f"</opensearch:{name}>".encode())
        numbers.append(_number(name, None if raw is None else _text(raw)))
    return _page(results, *numbers)


def _scan_entry(position: int, groups: tuple[bytes | None, ...], references: bool, texts: list[str]) -> Paper | _Skip:
    """The Paper of one entry matched by ``_ENTRY_LAYOUT``; ``references``: whether it has any "&" to resolve;
    ``texts``: its title, abstract, comment and journal ref, cleaned (empty when missing)."""
    raw_id, _, _, raw_terms, published, raw_comments, raw_primary, raw_journal_ref, doi, people, affiliated, \
        late_doi = groups
    title, abstract, comments, journal_ref = texts
    assert raw_terms is not None and people is not None  # the two blocks always match, if only empty
    text = _text if references else bytes.decode
    if affiliated is not None:
        authors = []
        for raw_name, raw_affiliations in _AUTHORS.findall(people):
            if b"\r" in raw_name:
                raise _Unusual
            name = text(raw_name).strip()
            if name:
                found = _AFFILIATIONS.findall(raw_affiliations)
                authors.append(Author(name, "; ".join(clean_text(text(a)) for a in found if a) or None))
    else:
        # the names cut from the decoded block: "<" cannot be part of a name before references are resolved
        names = _NAME_TEXTS.findall(people.decode())
        if references and b"&" in people:
            names = list(map(_resolve, names))
        names = list(map(str.strip, names))
        if b"\r" in people and any("\r" in name for name in names):
            raise _Unusual  # XML reads CR LF as LF, and a name keeps its inner whitespace
        if "" in names:
            names = [name for name in names if name]
        authors = list(map(Author, names))
    categories = _TERM_TEXTS.findall(raw_terms.decode())
    if references and b"&" in raw_terms:
        categories = list(map(_resolve, categories))
    if len(set(categories)) < len(categories):
        categories = list(dict.fromkeys(categories))
    if "" in categories:
        categories.remove("")
    if late_doi is not None:
        doi = late_doi  # as in the tree, the last one counts
    return _paper(position, text(raw_id).strip() if raw_id else "", text(published) if published else None,
                  title, abstract, authors, categories, text(raw_primary) if raw_primary else None,
                  comments if raw_comments else None, journal_ref if raw_journal_ref else None,
                  text(doi).strip() if doi else None)


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
