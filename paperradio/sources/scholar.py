"""What the scholarly indexes (OpenAlex, Semantic Scholar) say about a paper's authors, in one shape.

Each index client returns, per arXiv id it knows, the paper's authors in byline order as
:class:`AuthorMetrics`: the name as the index spells it, h-index, citations, works and an affiliation.
Any of the numbers may be missing; the wire JSON is read defensively (wrong types count as missing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from ..errors import SourceError
from ._http import PoliteClient
from ._text import clean_text

if TYPE_CHECKING:
    from ..store import Store

_VERSION = re.compile(r"v\d+$")
MISSING = "paperradio_missing"
"""Key of the cache entry that records "the index does not know this id" and the day it was asked."""
MISSING_RECHECK_DAYS = 7
"""Ask again about an id the index did not know after this many days (new preprints take days to appear)."""
MAX_WAIT = 60.0
"""Longest wait before a retry: author metrics are optional, a ranking should not hang on them for long."""


class CachedService:
    """The common part of the clients whose answers are cached in ``store`` (the scholarly indexes, Hugging
    Face): where to ask, and which day it is, which decides when a cached answer is asked again."""

    def __init__(self, client: PoliteClient, store: Store, base_url: str, *, today: date | None = None) -> None:
        self._client, self._store, self._base = client, store, base_url.rstrip("/")
        self._today = today or datetime.now(UTC).date()
        self.offline = False
        """Answer from the store's cache only (set after the service failed once in a run)."""


@dataclass(frozen=True)
class AuthorMetrics:
    name: str
    """The author's name as the index spells it (matched to the paper's byline by rank/enrich.py)."""
    h_index: int | None
    citations: int | None
    works: int | None
    affiliation: str | None
    source: str
    """The index's display name, e.g. "OpenAlex"."""

    def evidence(self) -> str:
        """E.g. "h-index 85, 120k citations, 310 works, Meta (OpenAlex)"."""
        parts = []
        if self.h_index is not None:
            parts.append(f"h-index {self.h_index}")
        if self.citations is not None:
            parts.append(f"{_short(self.citations)} citations")
        if self.works is not None:
            parts.append(f"{self.works} works")
        if self.affiliation:
            parts.append(self.affiliation)
        return f"{', '.join(parts) or 'no metrics'} ({self.source})"


PaperAuthors = tuple[AuthorMetrics, ...]
"""One paper's authors in byline order, as an index lists them."""


class AuthorIndex(Protocol):
    """A scholarly index: the authors, with metrics, of the arXiv papers it knows (others are left out)."""

    name: str
    offline: bool
    """Answer from the store's cache only (set after the index failed once in a run)."""

    def paper_authors(self, arxiv_ids: Sequence[str]) -> dict[str, PaperAuthors]: ...


def _short(n: int) -> str:
    """120000 -> "120k", 1534 -> "1.5k", 950 -> "950"."""
    if n >= 10_000:
        return f"{round(n / 1000)}k"
    if n >= 1000:
        return f"{n / 1000:.1f}k"
    return str(n)


def bare_id(arxiv_id: str) -> str:
    """The arXiv id without a version suffix, as the indexes key papers."""
    return _VERSION.sub("", arxiv_id.strip())


def count(value: object) -> int | None:
    """A non-negative integer from JSON, or None (missing, null, a string, a negative or fractional number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


def text(value: object) -> str | None:
    """Clean text from JSON (NFC, any Unicode space run as one space), or None when missing, not a string or
    blank."""
    cleaned = " ".join(clean_text(value).split()) if isinstance(value, str) else ""
    return cleaned or None


def records(value: object) -> list[Mapping[str, Any]]:
    """The JSON objects in a list (anything else in it, or a non-list, is skipped)."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def error_message(*keys: str) -> Callable[[httpx.Response], str | None]:
    """A PoliteClient ``explain`` for a service's error JSON: the first of ``keys`` that holds text."""

    def explain(response: httpx.Response) -> str | None:
        try:
            body = response.json()
        except ValueError:
            return None
        if not isinstance(body, Mapping):
            return None
        return next((found for key in keys if (found := text(body.get(key)))), None)

    return explain


def json_body(client: PoliteClient, response: httpx.Response, service: str) -> Any:
    """The decoded JSON of ``response``, or a one-line SourceError naming the service."""
    try:
        return response.json()
    except ValueError as exc:
        raise SourceError(f"{service}: {client.mask(response.url)} answered malformed JSON ({exc})") from None


def cached_lookup(store: Store, namespace: str, keys: Sequence[str],
                  fetch: Callable[[list[str]], Mapping[str, Any]] | None, batch: int, today: date) -> dict[str, Any]:
    """The index's records for ``keys``: from the store's cache, the rest fetched ``batch`` ids at a time
    (none when ``fetch`` is None: offline).

    Each answer, and each id the index did not know, is cached as soon as its batch arrives (a checkpoint:
    an interrupted run resumes where it stopped); unknown ids are asked again after MISSING_RECHECK_DAYS.
    """
    found: dict[str, Any] = {}
    todo: list[str] = []
    for key in dict.fromkeys(keys):
        cached = store.cache_get(namespace, key)
        if not isinstance(cached, Mapping):
            todo.append(key)
        elif MISSING not in cached:
            found[key] = cached
        elif date.fromisoformat(cached[MISSING]) + timedelta(days=MISSING_RECHECK_DAYS) <= today:
            todo.append(key)
    if fetch is None:
        return found
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        answers = fetch(chunk)
        for key in chunk:
            value = answers.get(key)
            store.cache_put(namespace, key, value if value is not None else {MISSING: today.isoformat()})
            if value is not None:
                found[key] = value
    return found
