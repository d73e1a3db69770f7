"""Topic prior: how much a paper's words are those of the papers practitioners picked in labelled weeks.

A naive-Bayes log-odds table over terms (``hotness.terms``: words of three or more letters and adjacent
word pairs of the title and abstract, stop words dropped), fitted once on labelled weeks by ``paperradio
tune --topic-prior`` and shipped in the package as ``topic_prior.json``. Ranking reads only that file, never
the labels. For a term seen in at least ``MIN_PAPERS`` candidates of the fit weeks,

    log_odds(t) = log((n_pos(t) + ALPHA) / (N_pos + 2 ALPHA)) - log((n_neg(t) + ALPHA) / (N_neg + 2 ALPHA))

where positives are the labelled candidates of a week and negatives the other candidates. A paper's prior
is the mean log-odds of its known terms (0 with none): above 0 its words are more frequent among the
picked papers, below 0 among the others. Being one number per term it is explainable: ``top_terms`` lists
the terms that raise a paper the most.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..models import Paper
from .hotness import terms

MIN_PAPERS = 20
"""A term rarer than this among the fit candidates gets no log-odds: too few papers to say anything."""
ALPHA = 1.0
"""Additive smoothing of the term counts."""
PACKAGE_FILE = Path(__file__).with_name("topic_prior.json")


@dataclass(frozen=True)
class TopicPrior:
    log_odds: Mapping[str, float]
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def score(self, paper: Paper, paper_terms: AbstractSet[str] | None = None) -> float:
        """Mean log-odds of the paper's known terms (0 when it has none); ``paper_terms``: its terms
        (``hotness.terms``) when the caller has them already."""
        known = [self.log_odds[t] for t in (terms(paper) if paper_terms is None else paper_terms)
                 if t in self.log_odds]
        return sum(known) / len(known) if known else 0.0

    def top_terms(self, paper: Paper, count: int = 5) -> list[tuple[str, float]]:
        """The paper's terms that raise its prior the most, highest first (ties by term)."""
        mine = sorted(((t, self.log_odds[t]) for t in terms(paper) if self.log_odds.get(t, 0.0) > 0),
                      key=lambda kv: (-kv[1], kv[0]))
        return mine[:count]

    def to_json(self) -> str:
        return json.dumps({"provenance": dict(self.provenance), "min_papers": MIN_PAPERS, "alpha": ALPHA,
                           "log_odds": dict(sorted(self.log_odds.items()))}, ensure_ascii=False, indent=0) + "\n"


def load(path: Path = PACKAGE_FILE) -> TopicPrior:
    """The prior saved at ``path`` (by default the one shipped in the package)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return TopicPrior({str(t): float(v) for t, v in data["log_odds"].items()}, data.get("provenance", {}))
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise ConfigError(f"cannot read the topic prior {path}: {exc}") from None


@functools.cache
def shipped() -> TopicPrior:
    """The package's prior, read once."""
    return load()


@dataclass
class TermCounts:
    """In how many labelled (positive) and other (negative) candidates each term occurs."""

    positive: Counter[str] = field(default_factory=Counter)
    negative: Counter[str] = field(default_factory=Counter)
    positives: int = 0
    negatives: int = 0

    @classmethod
    def of(cls, examples: Iterable[tuple[Paper, bool]]) -> TermCounts:
        counts = cls()
        for paper, labelled in examples:
            if labelled:
                counts.positive.update(terms(paper))
                counts.positives += 1
            else:
                counts.negative.update(terms(paper))
                counts.negatives += 1
        return counts

    def __add__(self, other: TermCounts) -> TermCounts:
        return TermCounts(self.positive + other.positive, self.negative + other.negative,
                          self.positives + other.positives, self.negatives + other.negatives)

    def __sub__(self, other: TermCounts) -> TermCounts:
        return TermCounts(self.positive - other.positive, self.negative - other.negative,
                          self.positives - other.positives, self.negatives - other.negatives)

    def prior(self, provenance: Mapping[str, Any] | None = None) -> TopicPrior:
        """The log-odds table of these counts (rounded, so a refit on the same data gives the same file)."""
        if not self.positives or not self.negatives:
            raise ConfigError("a topic prior needs labelled and unlabelled candidates")
        pos_total, neg_total = self.positives + 2 * ALPHA, self.negatives + 2 * ALPHA
        table = {}
        for term in sorted(set(self.positive) | set(self.negative)):
            pos, neg = self.positive[term], self.negative[term]
            if pos + neg >= MIN_PAPERS:
                table[term] = round(math.log((pos + ALPHA) / pos_total) - math.log((neg + ALPHA) / neg_total), 4)
        return TopicPrior(table, dict(provenance or {}, positives=self.positives, negatives=self.negatives))
