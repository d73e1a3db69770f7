"""Online evidence for the ranking: author track records (h-index, citations and affiliation from OpenAlex
and/or Semantic Scholar) and community popularity (Hugging Face Daily Papers upvotes).

Enabled by the setting ``author_sources`` (e.g. ``["openalex", "semantic_scholar"]``; empty = off). Only
the week's ``enrich_top`` best papers by offline score are looked up, to stay polite; the indexes' answers
are cached in the store, so ranking the week again asks nothing.

Matching an index's authors to the paper's byline: the author at the same position is taken when the names
are compatible (the same key, the same words in another order, or the same surname and first initial),
otherwise the one compatible author elsewhere in the list. A name key that occurs twice on the paper, or
matches nothing or several, gets no metrics: better no metric than one person's credited to another. With
several indexes, the first in ``author_sources`` that gives an author's h-index wins.

An index that cannot be reached or answers badly is reported in one warning and asked nothing more in the
run: its answers cached in the store still count, and ranking goes on (offline records at worst), never
stalling. Popularity (setting ``popularity_sources``, off by default) follows the same rule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import date
from functools import partial
from typing import Any, Protocol, TypeVar

from ..config import Settings
from ..errors import ConfigError, SourceError
from ..models import Authorship, Paper, author_key
from ..sources import huggingface, openalex, semantic_scholar
from ..sources.scholar import AuthorIndex, AuthorMetrics, bare_id
from ..store import Store
from . import candidates

log = logging.getLogger(__name__)

INDEXES = ("openalex", "semantic_scholar")
POPULARITY_SOURCES = ("huggingface",)

OnlineMetrics = dict[str, dict[str, AuthorMetrics]]
"""arXiv id -> author key -> metrics."""


@contextmanager
def open_indexes(settings: Settings, store: Store) -> Iterator[list[AuthorIndex]]:
    """The indexes named in ``author_sources``, each on its own polite client (closed on exit)."""
    unknown = [name for name in settings.author_sources if name not in INDEXES]
    if unknown:
        raise ConfigError(f"setting author_sources: unknown index(es) {', '.join(unknown)}; "
                          f"known: {', '.join(INDEXES)}")
    with ExitStack() as clients:
        indexes: list[AuthorIndex] = []
        for name in dict.fromkeys(settings.author_sources):
            if name == "openalex":
                client = clients.enter_context(openalex.polite_client(
                    settings.contact_email, api_key=settings.openalex_api_key, retries=settings.http_retries))
                indexes.append(openalex.OpenAlex(client, store, settings.openalex_url,
                                                 mailto=settings.contact_email, api_key=settings.openalex_api_key))
            else:
                client = clients.enter_context(semantic_scholar.polite_client(
                    settings.contact_email, api_key=settings.semantic_scholar_api_key,
                    retries=settings.http_retries))
                indexes.append(semantic_scholar.SemanticScholar(client, store, settings.semantic_scholar_url))
        yield indexes


def same_person(a: str, b: str) -> bool:
    """Whether two author keys ("surname given") can name one person on one paper: equal, the same words
    in another order ("zhang wei" / "wei zhang"), or the same surname and first initial ("alvarez j" /
    "alvarez jose")."""
    if not a or not b:
        return False
    if a == b or sorted(a.split()) == sorted(b.split()):
        return True
    surname_a, _, given_a = a.partition(" ")
    surname_b, _, given_b = b.partition(" ")
    return surname_a == surname_b and bool(given_a) and bool(given_b) and given_a[0] == given_b[0]


def match_authors(paper: Paper, listed: Sequence[AuthorMetrics]) -> dict[str, AuthorMetrics]:
    """The index's metrics for the paper's authors, by author key (see the module docstring)."""
    keys = [a.key for a in paper.authors]
    usable = [k for k in keys if k and keys.count(k) == 1]
    listed_keys = [author_key(m.name) for m in listed]
    matched: dict[str, AuthorMetrics] = {}
    taken: set[int] = set()
    for position, key in enumerate(keys):
        if key in usable and position < len(listed) and same_person(key, listed_keys[position]):
            matched[key] = listed[position]
            taken.add(position)
    for key in usable:
        if key in matched:
            continue
        options = [i for i, other in enumerate(listed_keys) if i not in taken and same_person(key, other)]
        if len(options) == 1:
            matched[key] = listed[options[0]]
            taken.add(options[0])
    return matched


T = TypeVar("T")


class _OnlineSource(Protocol):
    name: str
    offline: bool


def _or_cached(source: _OnlineSource, ask: Callable[[], T]) -> T:
    """``ask()``; when the source fails, one warning and the same question answered from the store's cache
    only (``offline``) for the rest of the run."""
    try:
        return ask()
    except SourceError as exc:
        log.warning("%s: %s; ranking goes on with only its answers cached in the store", source.name, exc)
        source.offline = True
        return ask()


def author_metrics(papers: Sequence[Paper], indexes: Sequence[AuthorIndex]) -> OnlineMetrics:
    """Each paper's matched author metrics from ``indexes`` (first with an h-index wins)."""
    found: OnlineMetrics = {}
    ids = [p.arxiv_id for p in papers]
    for index in indexes:
        listed = _or_cached(index, partial(index.paper_authors, ids))
        for paper in papers:
            authors = listed.get(bare_id(paper.arxiv_id))
            if not authors:
                continue
            mine = found.setdefault(paper.arxiv_id, {})
            for key, metrics in match_authors(paper, authors).items():
                if key not in mine or (mine[key].h_index is None and metrics.h_index is not None):
                    mine[key] = metrics
    return {arxiv_id: metrics for arxiv_id, metrics in found.items() if metrics}


def week_metrics(
    papers: Sequence[Paper],
    history: Iterable[Authorship],
    settings: Settings,
    week_start: date,
    store: Store,
    *,
    prior: Sequence[Paper] = (),
) -> OnlineMetrics:
    """Author metrics for the week's ``enrich_top`` best papers by offline score; empty when
    ``author_sources`` is."""
    if not settings.author_sources or settings.enrich_top <= 0:
        return {}
    with open_indexes(settings, store) as indexes:
        offline = candidates(papers, history, settings, week_start, prior=prior)
        best = sorted(offline, key=lambda c: (-c.score, c.paper.arxiv_id))[: settings.enrich_top]
        metrics = author_metrics([c.paper for c in best], indexes)
    log.info("online author metrics for %d of the %d best papers (%s)", len(metrics), len(best),
             ", ".join(settings.author_sources))
    return metrics


def week_popularity(settings: Settings, store: Store, week_start: date, *, today: date | None = None,
                    **timing: Any) -> dict[str, int]:
    """Community upvotes of the papers announced in the week of ``week_start`` (arXiv id -> count); empty
    unless ``popularity_sources`` names a source. ``timing`` (clock, sleep, wall_clock) is for tests."""
    unknown = [name for name in settings.popularity_sources if name not in POPULARITY_SOURCES]
    if unknown:
        raise ConfigError(f"setting popularity_sources: unknown source(s) {', '.join(unknown)}; "
                          f"known: {', '.join(POPULARITY_SOURCES)}")
    if not settings.popularity_sources:
        return {}
    days = huggingface.week_days(week_start)
    with huggingface.polite_client(settings.contact_email, retries=settings.http_retries, **timing) as client:
        daily = huggingface.DailyPapers(client, store, settings.huggingface_url, today=today)
        found = _or_cached(daily, partial(daily.upvotes, days))
    log.info("%s Daily Papers: upvotes for %d papers", daily.name, len(found))
    return found
