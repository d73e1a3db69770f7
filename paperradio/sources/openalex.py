"""OpenAlex (api.openalex.org): the authors of arXiv papers with their h-index, citations and institution.

Two list queries, each for up to ``BATCH`` ids at once (OpenAlex ORs the values of a filter joined by "|"):

- works by arXiv DOI (``/works?filter=doi:10.48550/arxiv.2604.01234|...``): each paper's ``authorships`` in
  byline order, with the name as printed (``raw_author_name``), the OpenAlex author id and the institutions
  given on the paper;
- authors by id (``/authors?filter=openalex:A1|A2|...``): ``summary_stats.h_index``, ``cited_by_count``,
  ``works_count`` and ``last_known_institutions``.

``select`` keeps the answers small and pages are followed while ``meta.count`` says more remain. Requests
carry ``mailto`` (the contact address) and, when configured, ``api_key`` (masked in logs and errors).
Records are cached in the store as selected JSON (namespaces ``openalex-work`` by arXiv id and
``openalex-author`` by author id); see ``scholar.cached_lookup``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import SourceError
from ._http import PoliteClient, Politeness
from .scholar import (
    MAX_WAIT,
    AuthorMetrics,
    CachedService,
    PaperAuthors,
    bare_id,
    cached_lookup,
    count,
    error_message,
    json_body,
    records,
    text,
)

if TYPE_CHECKING:
    from ..store import Store

SERVICE = "OpenAlex"
INTERVAL = 1.0
"""Seconds between requests: OpenAlex allows many a second; a weekly batch needs a few dozen."""
BATCH = 50
"""Ids OR-ed in one filter (and the page size)."""
MAX_PAGES = 20
WORK_FIELDS = "id,doi,authorships"
AUTHOR_FIELDS = "id,display_name,works_count,cited_by_count,summary_stats,last_known_institutions"
ARXIV_DOI = "10.48550/arxiv."
"""arXiv's DataCite DOI prefix; OpenAlex stores DOIs in lower case, as https://doi.org/<doi>."""


def polite_client(contact: str, *, api_key: str = "", retries: int = 4, **timing: Any) -> PoliteClient:
    """A client with OpenAlex's manners; ``timing`` (clock, sleep, wall_clock) is for tests."""
    politeness = Politeness(interval=INTERVAL, min_interval=INTERVAL, service=SERVICE, retries=retries,
                            timeout=30.0, max_wait=MAX_WAIT)
    return PoliteClient(contact, politeness, secrets=(api_key,), **timing)


_explain = error_message("message", "error")
"""OpenAlex's error JSON: {"error": "Invalid filter", "message": "..."}."""


def _short_id(url: object) -> str | None:
    """ "https://openalex.org/A5023888391" -> "A5023888391"."""
    value = text(url)
    return value.rsplit("/", 1)[-1] if value else None


class OpenAlex(CachedService):
    """Author metrics from OpenAlex, cached in ``store``."""

    name = SERVICE

    def __init__(self, client: PoliteClient, store: Store, base_url: str, *, mailto: str, api_key: str = "",
                 today: date | None = None) -> None:
        super().__init__(client, store, base_url, today=today)
        self._params = {"mailto": mailto, **({"api_key": api_key} if api_key else {})}

    def paper_authors(self, arxiv_ids: Sequence[str]) -> dict[str, PaperAuthors]:
        """Each known paper's authors in byline order, with their OpenAlex metrics."""
        works = cached_lookup(self._store, "openalex-work", [bare_id(i) for i in arxiv_ids],
                              None if self.offline else self._works, BATCH, self._today)
        author_ids = [a for work in works.values() for s in records(work.get("authorships"))
                      if (a := _short_id((s.get("author") or {}).get("id")))]
        authors = cached_lookup(self._store, "openalex-author", author_ids, None if self.offline else self._authors,
                                BATCH, self._today)
        return {arxiv_id: tuple(self._metrics(s, authors) for s in records(work.get("authorships")))
                for arxiv_id, work in works.items()}

    def _metrics(self, authorship: Mapping[str, Any], authors: Mapping[str, Any]) -> AuthorMetrics:
        author = authorship.get("author")
        author = author if isinstance(author, Mapping) else {}
        profile = authors.get(_short_id(author.get("id")) or "", {})
        stats = profile.get("summary_stats")
        on_paper = [text(i.get("display_name")) for i in records(authorship.get("institutions"))]
        last_known = [text(i.get("display_name")) for i in records(profile.get("last_known_institutions"))]
        return AuthorMetrics(
            name=text(authorship.get("raw_author_name")) or text(author.get("display_name")) or "",
            h_index=count(stats.get("h_index")) if isinstance(stats, Mapping) else None,
            citations=count(profile.get("cited_by_count")),
            works=count(profile.get("works_count")),
            affiliation=next((i for i in on_paper + last_known if i), None),
            source=SERVICE,
        )

    def _works(self, arxiv_ids: list[str]) -> dict[str, Any]:
        wanted = {f"{ARXIV_DOI}{i.lower()}": i for i in arxiv_ids}
        found = {}
        for work in self._list("works", "doi:" + "|".join(wanted), WORK_FIELDS):
            doi = (text(work.get("doi")) or "").lower().removeprefix("https://doi.org/")
            if doi in wanted:
                found[wanted[doi]] = work
        return found

    def _authors(self, author_ids: list[str]) -> dict[str, Any]:
        found = {}
        for author in self._list("authors", "openalex:" + "|".join(author_ids), AUTHOR_FIELDS):
            if (author_id := _short_id(author.get("id"))) in author_ids:
                found[author_id] = author
        return found

    def _list(self, entity: str, filter_: str, fields: str) -> list[Mapping[str, Any]]:
        """Every result of a filtered list query, following the pages."""
        url, results = f"{self._base}/{entity}", []
        for page in range(1, MAX_PAGES + 1):
            params = {"filter": filter_, "select": fields, "per-page": str(BATCH), "page": str(page), **self._params}
            response = self._client.get(url, params=params, explain=_explain)
            body = json_body(self._client, response, SERVICE)
            if not isinstance(body, Mapping) or not isinstance(body.get("results"), list):
                raise SourceError(f"{SERVICE}: {self._client.mask(response.url)} answered JSON without results")
            found = records(body["results"])
            results += found
            meta = body.get("meta")
            total = count(meta.get("count")) if isinstance(meta, Mapping) else None
            if not found or total is None or len(results) >= total:
                break
        return results
