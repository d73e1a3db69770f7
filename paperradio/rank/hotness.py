"""Topic hotness: how much a paper's terms are bursting this week compared with the weeks before.

A term is a lower-cased word of three or more letters, or a pair of adjacent such words, stop words
dropped. Its burst is the log ratio of its (smoothed) document frequency in this week's pool to that in
the ``prior`` papers (the weeks before):

    burst(t) = log((n_w(t) + 1) / (N_w + 1)) - log((n_p(t) + 1) / (N_p + 1))

kept when positive and the term occurs in at least ``MIN_PAPERS`` papers of the week. A paper's hotness
is the sum over its distinct terms of ``idf_week(t) * burst(t)``, divided by the square root of its number
of distinct terms so long abstracts are not favoured, capped at ``CAP``. Without prior papers every burst
is zero.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from ..models import Paper

MIN_PAPERS = 3
CAP = 20.0
"""Hotness is capped here (about the 99.9th percentile over the development weeks) so that one burst, such
as a week of challenge reports sharing a name, cannot outweigh everything else."""
_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")
_STOP = frozenset(
    "the and for with that this from are our which these their can into using based via over also than "
    "such both has have been its not but more most new show shows we use used while when where how paper "
    "propose proposed method methods approach results model models existing however across through".split()
)


def terms(paper: Paper) -> set[str]:
    """Distinct words and adjacent word pairs of the title and abstract."""
    words = [w for w in _WORD.findall(f"{paper.title}. {paper.abstract}".lower()) if w not in _STOP]
    return set(words) | {f"{a} {b}" for a, b in pairwise(words)}


class Hotness:
    """Burst weights of the week's terms against the prior weeks."""

    def __init__(self, pool: Sequence[Paper], prior: Sequence[Paper]) -> None:
        self._terms = {p.arxiv_id: terms(p) for p in pool}
        week: Counter[str] = Counter()
        for ts in self._terms.values():
            week.update(ts)
        before: Counter[str] = Counter()
        for p in prior:
            before.update(terms(p))
        n_w, n_p = len(pool), len(prior)
        self.weights: dict[str, float] = {}
        if not n_p:
            return
        for term, n in week.items():
            if n < MIN_PAPERS:
                continue
            burst = math.log((n + 1) / (n_w + 1)) - math.log((before[term] + 1) / (n_p + 1))
            if burst > 0:
                self.weights[term] = burst * math.log(n_w / n)

    def terms_of(self, paper: Paper) -> set[str]:
        """The paper's terms: those computed for the week's papers, or computed now."""
        return self._terms.get(paper.arxiv_id) or terms(paper)

    def score(self, paper: Paper) -> float:
        ts = self.terms_of(paper)
        if not ts:
            return 0.0
        return min(CAP, sum(self.weights.get(t, 0.0) for t in ts) / math.sqrt(len(ts)))

    def top_terms(self, paper: Paper, n: int = 3) -> list[str]:
        """The paper's most bursting terms, for explanations."""
        ts = self.terms_of(paper)
        return sorted((t for t in ts if t in self.weights), key=lambda t: (-self.weights[t], t))[:n]
