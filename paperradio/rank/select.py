"""Choosing the issue: featured papers first, then ten per field, with no duplicates and some diversity.

Candidates are taken best score first. One is passed over when it is a near-duplicate of a pick already
made (TF-IDF cosine of title and abstract above ``similarity_cap``), or when its credited researcher
already has ``max_per_group`` picks (relaxed only when a section cannot be filled otherwise). Featured
picks take at most ``ceil(n / 2)`` from one field. Journal papers can only be featured: the Radiostation
lists are arXiv's.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import FIELDS, Credit, Field, Paper, Pick, Section

_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")
_STOP = frozenset(
    "the and for with that this from are our which these their can into using based via over also than "
    "such both has have been its not but more most new show shows we use used while when where how".split()
)


@dataclass(frozen=True)
class Candidate:
    paper: Paper
    field: Field
    score: float
    features: dict[str, float]
    """Each feature's weighted contribution; ``score`` is their sum."""
    credit: Credit
    raw: dict[str, float] = dataclasses.field(default_factory=dict)
    """Each feature's raw (unweighted) value, for explanations."""


class Similarity:
    """TF-IDF vectors over the week's pool, for near-duplicate checks."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._tokens = {p.arxiv_id: Counter(self._words(p)) for p in papers}
        df: Counter[str] = Counter()
        for counts in self._tokens.values():
            df.update(counts.keys())
        n = max(len(papers), 1)
        self._vectors: dict[str, dict[str, float]] = {}
        for arxiv_id, counts in self._tokens.items():
            vec = {w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self._vectors[arxiv_id] = {w: v / norm for w, v in vec.items()}

    @staticmethod
    def _words(paper: Paper) -> list[str]:
        return [w for w in _WORD.findall(f"{paper.title} {paper.title} {paper.abstract}".lower()) if w not in _STOP]

    def cosine(self, a: str, b: str) -> float:
        va, vb = self._vectors[a], self._vectors[b]
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(v * vb.get(w, 0.0) for w, v in va.items())


def select(
    candidates: Sequence[Candidate],
    *,
    featured_count: int,
    section_size: int,
    similarity_cap: float,
    max_per_group: int,
    similarity: Similarity | None = None,
) -> list[Pick]:
    """The issue's picks; ``similarity`` may be given when the same candidates are selected many times
    (``paperradio tune``)."""
    ordered = sorted(candidates, key=lambda c: (-c.score, c.paper.arxiv_id))
    similarity = similarity or Similarity([c.paper for c in ordered])
    chosen: list[Candidate] = []
    per_credit: Counter[str] = Counter()
    picks: list[Pick] = []

    def admissible(c: Candidate, group_cap: bool = True) -> bool:
        if any(c.paper.arxiv_id == o.paper.arxiv_id for o in chosen):
            return False
        if group_cap and any(per_credit[name] >= max_per_group for name in c.credit.names):
            return False
        return all(similarity.cosine(c.paper.arxiv_id, o.paper.arxiv_id) <= similarity_cap for o in chosen)

    def take(c: Candidate, section: Section, rank: int) -> None:
        chosen.append(c)
        per_credit.update(c.credit.names)
        picks.append(Pick(paper=c.paper, section=section, field=c.field, rank=rank, score=c.score,
                          features=c.features, credit=c.credit))

    field_cap = math.ceil(featured_count / 2)
    per_field: Counter[Field] = Counter()
    for c in ordered:
        if len(picks) >= featured_count:
            break
        if per_field[c.field] < field_cap and admissible(c):
            per_field[c.field] += 1
            take(c, "featured", len(picks) + 1)
    for field in FIELDS:
        rank = 0
        # A week dominated by a few groups "warrants" more of their papers: relax the group cap only
        # when the section cannot be filled otherwise.
        for group_cap in (True, False):
            for c in ordered:
                if rank >= section_size:
                    break
                if c.field == field and not c.paper.from_journal and admissible(c, group_cap):  # arXiv only
                    rank += 1
                    take(c, field, rank)
    return picks
