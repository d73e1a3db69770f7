"""Reading OAI-PMH responses of arXiv (``export.arxiv.org/oai2``) into Papers.

Two metadata formats carry what a Paper needs, and each has its own rule for the version and the
announcement date:

``arXivRaw``
    Every version is listed (``<version version="v2"><date>Tue, 3 Apr 2007 10:00:00 GMT</date>``).
    ``Paper.version`` is the highest version number, ``Paper.submitted`` the date of v1, and
    ``Paper.announced`` the listing that submission went into (:func:`~.schedule.announcement_date`).
    A version attribute that is not ``v<number>`` (real responses have held the template placeholder
    ``v%s``) counts by position: the n-th ``<version>`` element is version n.

``arXiv``
    Only ``<created>`` (the v1 date, no time) and ``<updated>`` (date of the latest version, present
    only once a paper was replaced). The v1 time is unknown, so ``Paper.submitted`` stays None and
    ``Paper.announced`` is the listing of a submission at ``created`` 00:00 UTC: the earliest listing
    a paper submitted that day can be in. The version number is not in this format either:
    ``Paper.version`` is 1 without ``<updated>`` and 2 with it, a lower bound (harvest ``arXivRaw``
    for exact version numbers).

``oai_dc`` (and any other format) is not supported: it names categories in prose ("Computer Science -
Computation and Language") and carries no versions. Its records are skipped with a reason saying so.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime

from ..errors import SourceError
from ..models import Author, Paper
from ._text import clean_text
from .schedule import announcement_date

log = logging.getLogger(__name__)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
ARXIV_NS = "http://arxiv.org/OAI/arXiv/"
ARXIV_RAW_NS = "http://arxiv.org/OAI/arXivRaw/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SUPPORTED_FORMATS = ("arXiv", "arXivRaw")

_O = f"{{{OAI_NS}}}"
_ID_PREFIX = "oai:arXiv.org:"
_VERSION = re.compile(r"v(\d+)")
_AUTHOR_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_AFFILIATION = re.compile(r"(.*?)\s*\((.*)\)")

_HINTS = {
    "badResumptionToken": "the token expired or is invalid; start the range over with "
                          "`paperradio ingest --since ... --restart` (stored papers are kept, none duplicated)",
    "badArgument": "check the set (e.g. cs or physics:hep-th) and the dates (YYYY-MM-DD, from <= until)",
    "cannotDisseminateFormat": f"use one of the metadata formats {', '.join(SUPPORTED_FORMATS)}",
    "noSetHierarchy": "harvest without a set",
}


class OAIError(SourceError):
    """arXiv answered with an OAI-PMH ``<error>``: the request itself is wrong, retrying cannot help."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.oai_message = message
        hint = _HINTS.get(code, "check the request's verb, set, dates and metadata format")
        super().__init__(f"arXiv OAI-PMH error {code}: {message or '(no message)'}; {hint}")


class MalformedPage(SourceError):
    """The response is not a complete OAI-PMH document (truncated, empty, an HTML error page...)."""


@dataclass(frozen=True)
class SkippedRecord:
    identifier: str
    """The arXiv id, or the OAI identifier when no id could be read."""
    reason: str


@dataclass(frozen=True)
class OAIPage:
    """One OAI-PMH response: its papers, the records that could not become papers, and where to go next."""

    papers: tuple[Paper, ...]
    skipped: tuple[SkippedRecord, ...]
    token: str | None
    """Resumption token of the next page; None when this page completes the list."""
    complete_size: int | None = None
    """``completeListSize`` of the whole list, when arXiv says."""

    @property
    def records(self) -> int:
        return len(self.papers) + len(self.skipped)


def parse_page(xml: bytes) -> OAIPage:
    """Parse a ListRecords or GetRecord response.

    ``noRecordsMatch`` is an empty, complete page. Other OAI-PMH errors raise :class:`OAIError`; a
    document that is not a complete OAI-PMH response raises :class:`MalformedPage`.
    """
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise MalformedPage(f"the response is not complete XML ({exc})") from None
    if root.tag != f"{_O}OAI-PMH":
        raise MalformedPage(f"the response is not an OAI-PMH document (root element {root.tag!r})")
    errors = [(e.get("code", ""), clean_text(e.text)) for e in root.iterfind(f"{_O}error")]
    if errors:
        if all(code == "noRecordsMatch" for code, _ in errors):
            return OAIPage((), (), None)
        code, message = next((c, m) for c, m in errors if c != "noRecordsMatch")
        raise OAIError(code, message)
    body = root.find(f"{_O}ListRecords")
    if body is None:
        body = root.find(f"{_O}GetRecord")
    if body is None:
        raise MalformedPage("the response has neither ListRecords nor GetRecord")
    papers: list[Paper] = []
    skipped: list[SkippedRecord] = []
    for record in body.iterfind(f"{_O}record"):
        item = _record(record)
        if isinstance(item, Paper):
            papers.append(item)
        else:
            skipped.append(item)
    token: str | None = None
    size: int | None = None
    token_element = body.find(f"{_O}resumptionToken")
    if token_element is not None:
        token = (token_element.text or "").strip() or None
        size_text = token_element.get("completeListSize", "")
        size = int(size_text) if size_text.isdigit() else None
    return OAIPage(tuple(papers), tuple(skipped), token, size)


def _record(record: ET.Element) -> Paper | SkippedRecord:
    header = record.find(f"{_O}header")
    identifier = clean_text(header.findtext(f"{_O}identifier")) if header is not None else ""
    name = identifier.removeprefix(_ID_PREFIX) or "(record without identifier)"
    if header is not None and header.get("status") == "deleted":
        return SkippedRecord(name, "deleted from arXiv (OAI header status=deleted)")
    metadata = record.find(f"{_O}metadata")
    if metadata is None or len(metadata) == 0:
        return SkippedRecord(name, "record has no metadata")
    meta = metadata[0]
    namespace = meta.tag[1 : meta.tag.find("}")] if meta.tag.startswith("{") else ""
    reader = _READERS.get(namespace)
    if reader is None:
        format_name = "oai_dc" if namespace == OAI_DC_NS else namespace or meta.tag
        return SkippedRecord(name, f"metadata format {format_name} is not supported; "
                                   f"harvest with metadataPrefix {' or '.join(SUPPORTED_FORMATS)}")
    try:
        return reader(meta, name)
    except (ValueError, TypeError, OverflowError) as exc:
        return SkippedRecord(name, str(exc) or exc.__class__.__name__)


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: str) -> str:
    """"{namespace}name" -> "name", remembered: a page repeats a dozen tags thousands of times."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag[tag.find("}") + 1 :]
        if len(_LOCAL_NAMES) < 256:  # arXiv's formats have a few dozen tags; a strange server gets no more
            _LOCAL_NAMES[tag] = name
    return name


def _from_arxiv(meta: ET.Element, name: str) -> Paper:
    fields: dict[str, str] = {}
    authors: tuple[Author, ...] = ()
    for child in meta:
        tag = _local(child.tag)
        if tag == "authors":
            authors = tuple(_arxiv_author(a) for a in child)
        else:
            fields[tag] = child.text or ""
    created_text = fields.get("created", "").strip()
    if not created_text:
        raise ValueError(f"{fields.get('id') or name}: missing <created> date")
    try:
        created = date.fromisoformat(created_text)
    except ValueError:
        raise ValueError(f"{fields.get('id') or name}: <created> {created_text!r} is not YYYY-MM-DD") from None
    announced = announcement_date(datetime.combine(created, time(0), UTC))
    version = 2 if fields.get("updated", "").strip() else 1
    return _paper(fields, name, authors, version, None, announced)


_KEYNAME, _FORENAMES, _SUFFIX, _AFFILIATION_TAG = (f"{{{ARXIV_NS}}}{t}" for t in
                                                   ("keyname", "forenames", "suffix", "affiliation"))


def _arxiv_author(element: ET.Element) -> Author:
    keyname = forenames = suffix = ""
    affiliations: list[str] = []
    for child in element:
        tag = child.tag
        if tag == _KEYNAME:
            keyname = clean_text(child.text)
        elif tag == _FORENAMES:
            forenames = clean_text(child.text)
        elif tag == _SUFFIX:
            suffix = clean_text(child.text)
        elif tag == _AFFILIATION_TAG and child.text:
            affiliations.append(clean_text(child.text))
    full = f"{forenames} {keyname}" if forenames and keyname else forenames or keyname
    if suffix:
        full = f"{full} {suffix}"
    return Author(full, "; ".join(affiliations) if affiliations else None)


def _from_arxiv_raw(meta: ET.Element, name: str) -> Paper:
    fields: dict[str, str] = {}
    versions: list[tuple[str, str]] = []
    for child in meta:
        tag = _local(child.tag)
        if tag == "version":
            versions.append((child.get("version", ""), child.findtext(f"{{{ARXIV_RAW_NS}}}date") or ""))
        else:
            fields[tag] = child.text or ""
    paper_id = fields.get("id") or name
    if not versions:
        raise ValueError(f"{paper_id}: no <version> elements, so neither version nor announcement date is known")
    numbered: list[tuple[int, str]] = []
    for position, (label, when) in enumerate(versions, start=1):
        match = _VERSION.fullmatch(label.strip())
        if match is None:
            log.debug("%s: version attribute %r is not v<number>; counting it as version %d", paper_id, label, position)
        numbered.append((int(match[1]) if match else position, when))
    first_when = min(numbered, key=lambda entry: entry[0])[1].strip()
    try:
        submitted = parsedate_to_datetime(first_when)
    except (TypeError, ValueError):
        raise ValueError(f"{paper_id}: v1 date {first_when!r} is not an RFC 2822 date") from None
    if submitted.tzinfo is None:
        submitted = submitted.replace(tzinfo=UTC)
    submitted = submitted.astimezone(UTC)
    authors = _split_authors(fields.get("authors", ""))
    return _paper(fields, name, authors, max(n for n, _ in numbered), submitted, announcement_date(submitted))


def _split_authors(text: str) -> tuple[Author, ...]:
    """ "A (MIT), B and C (ETH, Zurich)" -> A at MIT, B, C at "ETH, Zurich": no split inside parentheses."""
    text = clean_text(text)
    if "(" not in text:
        return tuple(Author(n) for n in _AUTHOR_SEPARATOR.split(text) if n)
    names: list[str] = []
    depth = start = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and char == ",":
            names.append(text[start:index])
            start = index + 1
    names.append(text[start:])
    authors: list[Author] = []
    for chunk in names:
        for piece in _split_and(chunk):
            match = _AFFILIATION.fullmatch(piece)
            if match and match[1]:
                authors.append(Author(match[1], match[2].strip() or None))
            elif piece:
                authors.append(Author(piece))
    return tuple(authors)


def _split_and(chunk: str) -> list[str]:
    """Split on " and " outside parentheses."""
    pieces: list[str] = []
    depth = start = 0
    lowered = chunk.lower()
    for index, char in enumerate(chunk):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and lowered.startswith(" and ", index):
            pieces.append(chunk[start:index])
            start = index + 5
    pieces.append(chunk[start:])
    cleaned = (p.strip() for p in pieces)
    return [p.removeprefix("and ") for p in cleaned if p]


def _paper(fields: dict[str, str], name: str, authors: tuple[Author, ...], version: int,
           submitted: datetime | None, announced: date) -> Paper:
    arxiv_id = clean_text(fields.get("id")) or (name if not name.startswith("(") else "")
    if not arxiv_id:
        raise ValueError(f"{name}: missing <id>")
    title = clean_text(fields.get("title"))
    if not title:
        raise ValueError(f"{arxiv_id}: missing <title>")
    categories = tuple(fields.get("categories", "").split())
    if not categories:
        raise ValueError(f"{arxiv_id}: missing <categories>")
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        abstract=clean_text(fields.get("abstract")),
        authors=authors,
        categories=categories,
        announced=announced,
        submitted=submitted,
        version=version,
        comments=clean_text(fields.get("comments")) or None,
        journal_ref=clean_text(fields.get("journal-ref")) or None,
        doi=clean_text(fields.get("doi")) or None,
    )


_READERS: dict[str, Callable[[ET.Element, str], Paper]] = {ARXIV_NS: _from_arxiv, ARXIV_RAW_NS: _from_arxiv_raw}
