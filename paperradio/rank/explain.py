"""Why a paper was, or was not, picked: ``paperradio explain <arxiv_id> --week 2026-W16``.

The week is ranked exactly as ``rank.run`` ranks it; the explanation then reports the paper's field, each
feature's raw value, weight and weighted contribution (the score is their sum), the terms that raise its
topic prior most, its rank within its field and among all candidates, and its place in the issue. A paper
that was not picked gets the reason(s):

- not in any field (``sections.field_of``);
- a near-duplicate of a pick (TF-IDF similarity above ``similarity_cap``);
- the group cap: its credited researcher already has ``max_per_group`` picks;
- below the cut-off score of its section (the lowest score picked there), and by how much.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import RankError
from ..models import Authorship, Field, Paper, Pick, Section
from . import candidates as score_candidates
from .score import DEFAULT_WEIGHTS
from .sections import field_scores
from .select import Candidate, Similarity, select
from .topic_prior import shipped as topic_prior

if TYPE_CHECKING:
    from ..sources.scholar import AuthorMetrics


@dataclass(frozen=True)
class FeatureLine:
    name: str
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True)
class Explanation:
    arxiv_id: str
    title: str
    week_start: date
    field: Field | None
    features: tuple[FeatureLine, ...]
    score: float
    rank_in_field: int
    field_candidates: int
    rank_overall: int
    candidates: int
    section: Section | None
    """Where it was picked (None when it was not)."""
    section_rank: int | None
    credit: str
    evidence: str
    reasons: tuple[str, ...]
    """Why it was not picked (empty when it was)."""
    topic_terms: tuple[tuple[str, float], ...] = ()
    """The paper's terms with the highest log-odds in the topic prior (rank/topic_prior.py)."""

    @property
    def picked(self) -> bool:
        return self.section is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "arxiv_id": self.arxiv_id, "title": self.title, "week_start": self.week_start.isoformat(),
            "field": self.field, "score": round(self.score, 4),
            "features": [{"name": f.name, "value": round(f.value, 4), "weight": f.weight,
                          "contribution": round(f.contribution, 4)} for f in self.features],
            "rank_in_field": self.rank_in_field, "field_candidates": self.field_candidates,
            "rank_overall": self.rank_overall, "candidates": self.candidates,
            "picked": self.picked, "section": self.section, "section_rank": self.section_rank,
            "credit": self.credit, "evidence": self.evidence, "reasons": list(self.reasons),
            "topic_terms": [{"term": t, "log_odds": v} for t, v in self.topic_terms],
        }

    def text(self) -> str:
        lines = [f"{self.arxiv_id} {self.title}", f"field: {self.field or 'none'}"]
        if self.field is not None:
            lines.append(f"{'feature':16} {'value':>8} {'weight':>7} {'contrib':>8}")
            lines += [f"{f.name:16} {f.value:8.3f} {f.weight:7.2f} {f.contribution:8.3f}" for f in self.features]
            lines.append(f"{'score':16} {'':8} {'':7} {self.score:8.3f}")
            if self.topic_terms:
                lines.append("topic prior terms: " + ", ".join(f"{t} ({v:+.2f})" for t, v in self.topic_terms))
            lines.append(f"rank: {self.rank_in_field} of {self.field_candidates} in {self.field}, "
                         f"{self.rank_overall} of {self.candidates} overall")
            lines.append(f"credit: {self.credit}" + (f" — {self.evidence}" if self.evidence else ""))
        if self.picked:
            lines.append(f"picked: {self.section} #{self.section_rank}")
        else:
            lines += ["not picked:"] + [f"  - {r}" for r in self.reasons]
        return "\n".join(lines)


def explain(
    arxiv_id: str,
    papers: Sequence[Paper],
    history: Iterable[Authorship],
    settings: Settings,
    week_start: date,
    *,
    prior: Sequence[Paper] = (),
    online: Mapping[str, Mapping[str, AuthorMetrics]] | None = None,
    popularity: Mapping[str, int] | None = None,
) -> Explanation:
    """Rank the week and explain ``arxiv_id``'s place in it (``online``, ``popularity``: see ``rank.run``)."""
    paper = next((p for p in papers if p.arxiv_id == arxiv_id), None)
    if paper is None:
        raise RankError(f"paper {arxiv_id} was not announced in the week of {week_start}; "
                        f"check the id and the --week (the paper's announcement week)")
    found = score_candidates(papers, history, settings, week_start, prior=prior, online=online,
                             popularity=popularity)
    ordered = sorted(found, key=lambda c: (-c.score, c.paper.arxiv_id))
    mine = next((c for c in ordered if c.paper.arxiv_id == arxiv_id), None)
    if mine is None:
        scores = field_scores(paper)
        return Explanation(
            arxiv_id, paper.title, week_start, None, (), 0.0, 0, 0, 0, len(ordered), None, None, "", "",
            (f"not in any field: primary category {paper.primary_category or 'none'} is not NLP, CV or ML's "
             f"own, and cross-lists/vocabulary give no field (evidence: "
             + ", ".join(f"{f} {s}" for f, s in scores.items()) + ")",),
        )
    picks = select(found, featured_count=settings.featured_count, section_size=settings.section_size,
                   similarity_cap=settings.similarity_cap, max_per_group=settings.max_per_group)
    in_field = [c for c in ordered if c.field == mine.field]
    weights = {**DEFAULT_WEIGHTS, **settings.rank_weights}
    lines = tuple(FeatureLine(name, mine.raw.get(name, 0.0), weights[name], contribution)
                  for name, contribution in mine.features.items())
    pick = next((p for p in picks if p.paper.arxiv_id == arxiv_id), None)
    reasons: tuple[str, ...] = ()
    if pick is None:
        reasons = _why_not(mine, ordered, picks, settings)
    return Explanation(
        arxiv_id, paper.title, week_start, mine.field, lines, mine.score, in_field.index(mine) + 1, len(in_field),
        ordered.index(mine) + 1, len(ordered), pick.section if pick else None, pick.rank if pick else None,
        mine.credit.line, mine.credit.evidence, reasons, tuple(topic_prior().top_terms(paper)),
    )


def _why_not(
    mine: Candidate, ordered: Sequence[Candidate], picks: Sequence[Pick], settings: Settings
) -> tuple[str, ...]:
    reasons = []
    similarity = Similarity([c.paper for c in ordered])
    twins = sorted(((similarity.cosine(mine.paper.arxiv_id, p.paper.arxiv_id), p) for p in picks),
                   key=lambda t: (-t[0], t[1].paper.arxiv_id))
    if twins and twins[0][0] > settings.similarity_cap:
        cos, twin = twins[0]
        reasons.append(f"near-duplicate of pick {twin.paper.arxiv_id} ({twin.section} #{twin.rank}, "
                       f"\"{twin.paper.title}\"): similarity {cos:.2f} > cap {settings.similarity_cap}")
    per_credit = Counter(name for p in picks for name in p.credit.names)
    for name in mine.credit.names:
        if per_credit[name] >= settings.max_per_group:
            reasons.append(f"group cap: {name} already has {per_credit[name]} picks "
                           f"(max_per_group {settings.max_per_group})")
    section = [p for p in picks if p.section == mine.field]
    if section:
        cutoff = min(p.score for p in section)
        if mine.score < cutoff - 1e-9:
            reasons.append(f"below the cut-off score of the {mine.field} section: {mine.score:.3f} < "
                           f"{cutoff:.3f} (by {cutoff - mine.score:.3f})")
        elif mine.score <= cutoff + 1e-9 and not reasons:
            reasons.append(f"tied with the cut-off score of the {mine.field} section ({cutoff:.3f}); "
                           "ties break on the arXiv id")
        elif not reasons:
            reasons.append(f"scores above the {mine.field} cut-off ({cutoff:.3f}) but was passed over by "
                           "the featured/field caps")
    return tuple(reasons)
