"""Semantic Scholar Graph API: the authors of arXiv papers with their h-index, citations and affiliations.

One batch request covers up to ``BATCH`` papers: ``POST /paper/batch?fields=externalIds,authors.name,
authors.hIndex,...`` with the body ``{"ids": ["ARXIV:2604.01234", ...]}``. The answer is a list in the
order of the ids, ``null`` for a paper the graph does not know; each paper lists its authors in byline
order with their metrics. An API key, when configured, goes in the ``x-api-key`` header and is masked in
logs and errors; without one, requests share a public pool, so they are spaced further apart. Papers are
cached in the store as JSON (namespace ``s2-paper`` by arXiv id); see ``scholar.cached_lookup``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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

SERVICE = "Semantic Scholar"
INTERVAL_WITH_KEY = 1.0
"""Semantic Scholar allows one request a second to a key holder."""
INTERVAL_WITHOUT_KEY = 3.0
"""Without a key every client shares one pool of requests; ask less often."""
BATCH = 500
FIELDS = "externalIds,authors.name,authors.hIndex,authors.citationCount,authors.paperCount,authors.affiliations"


def polite_client(contact: str, *, api_key: str = "", retries: int = 4, **timing: Any) -> PoliteClient:
    """A client with Semantic Scholar's manners; ``timing`` (clock, sleep, wall_clock) is for tests."""
    interval = INTERVAL_WITH_KEY if api_key else INTERVAL_WITHOUT_KEY
    politeness = Politeness(interval=interval, min_interval=interval, service=SERVICE, retries=retries,
                            timeout=30.0, max_wait=MAX_WAIT)
    return PoliteClient(contact, politeness, headers={"x-api-key": api_key} if api_key else None,
                        secrets=(api_key,), **timing)


_explain = error_message("error", "message")
"""Semantic Scholar's error JSON: {"error": "..."} or {"message": "..."}."""


def _metrics(author: Mapping[str, Any]) -> AuthorMetrics:
    listed = author.get("affiliations")
    affiliations = [a for v in listed if (a := text(v))] if isinstance(listed, list) else []
    return AuthorMetrics(
        name=text(author.get("name")) or "",
        h_index=count(author.get("hIndex")),
        citations=count(author.get("citationCount")),
        works=count(author.get("paperCount")),
        affiliation=affiliations[0] if affiliations else None,
        source=SERVICE,
    )


class SemanticScholar(CachedService):
    """Author metrics from the Semantic Scholar Graph API, cached in ``store``."""

    name = SERVICE

    def paper_authors(self, arxiv_ids: Sequence[str]) -> dict[str, PaperAuthors]:
        """Each known paper's authors in byline order, with their Semantic Scholar metrics."""
        papers = cached_lookup(self._store, "s2-paper", [bare_id(i) for i in arxiv_ids],
                               None if self.offline else self._batch, BATCH, self._today)
        return {arxiv_id: tuple(_metrics(a) for a in records(paper.get("authors")))
                for arxiv_id, paper in papers.items()}

    def _batch(self, arxiv_ids: list[str]) -> dict[str, Any]:
        response = self._client.post(f"{self._base}/paper/batch", {"ids": [f"ARXIV:{i}" for i in arxiv_ids]},
                                     params={"fields": FIELDS}, explain=_explain)
        body = json_body(self._client, response, SERVICE)
        if not isinstance(body, list) or len(body) != len(arxiv_ids):
            raise SourceError(f"{SERVICE}: {self._client.mask(response.url)} answered {type(body).__name__} "
                              f"instead of a list of {len(arxiv_ids)} papers")
        found = {}
        for arxiv_id, paper in zip(arxiv_ids, body, strict=True):
            if not isinstance(paper, Mapping):
                continue  # null: the graph does not know this paper (yet)
            ids = paper.get("externalIds")
            listed = text(ids.get("ArXiv")) if isinstance(ids, Mapping) else None
            if listed is not None and bare_id(listed).lower() != arxiv_id.lower():
                raise SourceError(f"{SERVICE}: asked for arXiv:{arxiv_id}, got arXiv:{listed} in its place")
            found[arxiv_id] = paper
        return found
