"""Rank: score every paper of the week and choose the featured and Radiostation picks.

    rank.run(papers, history, settings, week_start, prior=(), online=None, popularity=None) -> list[Pick]

``history`` is the store's authorships before the week (see Store.authorships); ``prior`` the papers of
the weeks before (``PRIOR_WEEKS``), against which topic hotness, novelty and the authors' group focus are
measured (without them they are zero); ``online`` the authors' h-index and citations from scholarly indexes,
by arXiv id and author key (``rank.enrich.week_metrics``; empty unless ``author_sources`` is set);
``popularity`` the community's upvotes by arXiv id (``rank.enrich.week_popularity``; empty unless
``popularity_sources`` is set).
The result is deterministic for the same input. ``rank.explain`` says why a paper was or was not picked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import RankError
from ..models import Authorship, Paper, Pick
from .authors import History, author_scores, credit
from .groups import GroupFocus
from .hotness import Hotness
from .novelty import Novelty
from .score import DEFAULT_WEIGHTS, score_paper
from .sections import field_of, journal_field
from .select import Candidate, select
from .topic_prior import shipped as topic_prior

if TYPE_CHECKING:
    from ..sources.scholar import AuthorMetrics

__all__ = ["DEFAULT_WEIGHTS", "PRIOR_WEEKS", "candidates", "run"]

PRIOR_WEEKS = 8
"""Weeks before the ranked one whose papers ``prior`` should hold (topic hotness)."""


def candidates(
    papers: Sequence[Paper],
    history: Iterable[Authorship],
    settings: Settings,
    week_start: date,
    *,
    prior: Sequence[Paper] = (),
    online: Mapping[str, Mapping[str, AuthorMetrics]] | None = None,
    popularity: Mapping[str, int] | None = None,
) -> list[Candidate]:
    """Every paper of the week that belongs to a field, scored, with its credit."""
    if not papers:
        raise RankError("no papers to rank")
    unknown = set(settings.rank_weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise RankError(f"unknown rank weight(s) {', '.join(sorted(unknown))}; known: {', '.join(DEFAULT_WEIGHTS)}")
    weights = {**DEFAULT_WEIGHTS, **settings.rank_weights}
    known = History(history, until=week_start)
    hotness, focus = Hotness(papers, prior), GroupFocus(prior)
    novelty, topics = Novelty(papers, prior, settings.cache_dir), topic_prior()
    found = []
    for paper in papers:
        # Journal papers (sources/journal_rss.py) have no arXiv categories; select() features them only.
        field = journal_field(paper) if paper.from_journal else field_of(paper)
        if field is None:
            continue
        scored = author_scores(paper, known, (online or {}).get(paper.arxiv_id))
        week = {"hotness": hotness.score(paper), "novelty": novelty.score(paper), "group_focus": focus.score(paper),
                "topic_prior": topics.score(paper, hotness.terms_of(paper)),
                "upvotes": math.log1p((popularity or {}).get(paper.arxiv_id, 0))}
        score, contributions, raw = score_paper(paper, scored, weights, week)
        found.append(Candidate(paper, field, score, contributions, credit(paper, scored, settings.credit_threshold),
                               raw))
    return found


def run(
    papers: Sequence[Paper],
    history: Iterable[Authorship],
    settings: Settings,
    week_start: date,
    *,
    prior: Sequence[Paper] = (),
    online: Mapping[str, Mapping[str, AuthorMetrics]] | None = None,
    popularity: Mapping[str, int] | None = None,
) -> list[Pick]:
    """Pick ``featured_count`` featured papers and ``section_size`` per field from ``papers``."""
    found = candidates(papers, history, settings, week_start, prior=prior, online=online, popularity=popularity)
    if not found:
        raise RankError("none of the week's papers belongs to NLP, CV or ML")
    return select(
        found,
        featured_count=settings.featured_count,
        section_size=settings.section_size,
        similarity_cap=settings.similarity_cap,
        max_per_group=settings.max_per_group,
    )
