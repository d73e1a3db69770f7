"""A paper's score: a weighted sum of explainable features.

Every feature is a number computed from the paper and the author records alone (never from curated
labels); ``score_paper`` returns each feature's weighted contribution so an editor can see why.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ..models import Paper
from .authors import AuthorRecord

DEFAULT_WEIGHTS: dict[str, float] = {
    "track_record": 1.0,   # best author's track score (the "who" an editor reads first)
    "team": 0.3,           # mean track score of the next two authors: a strong lab, not one name
    "venue": 1.5,          # accepted at a top venue, per the arXiv comments
    "code": 0.8,           # released code or project page
    "evidence": 0.4,       # quantified results in the abstract
    "breadth": 0.3,        # cross-listed to other categories: broad interest
}

TOP_VENUES = (
    "neurips", "nips", "icml", "iclr", "cvpr", "iccv", "eccv", "acl", "emnlp", "naacl", "colm", "aaai",
    "ijcai", "kdd", "siggraph", "tpami", "jmlr", "tacl", "coling", "wacv", "miccai", "3dv", "corl", "rss",
    "icra", "www", "sigir", "interspeech", "icassp", "eacl", "uai", "aistats",
)
_ACCEPTED = re.compile(r"\b(accepted|to appear|published|camera[- ]ready|oral|spotlight)\b", re.I)
_VENUE = re.compile(r"\b(" + "|".join(TOP_VENUES) + r")\b", re.I)
_CODE = re.compile(r"(github\.com|gitlab\.com|huggingface\.co|code (is|are|will be) (publicly )?available"
                   r"|project page|\bcode\b[^.]{0,40}\breleased?)", re.I)
_RESULT = re.compile(r"\d+(\.\d+)?\s*(%|\\%|x\b|×|times)|state[- ]of[- ]the[- ]art|outperform|surpass", re.I)


def venue_signal(comments: str | None) -> float:
    """1 for an acceptance at a top venue, 0.5 for another acceptance, 0 otherwise."""
    if not comments or not _ACCEPTED.search(comments):
        return 0.0
    return 1.0 if _VENUE.search(comments) else 0.5


def features(paper: Paper, scored: list[tuple[float, int, AuthorRecord]]) -> dict[str, float]:
    """Raw (unweighted) feature values; ``scored`` is the authors' track scores, best first."""
    best = scored[0][0] if scored else 0.0
    others = [s for s, _, _ in scored[1:3]]
    text = f"{paper.abstract} {paper.comments or ''}"
    return {
        "track_record": best,
        "team": sum(others) / 2 if others else 0.0,
        "venue": venue_signal(paper.comments),
        "code": 1.0 if _CODE.search(text) else 0.0,
        "evidence": min(len(_RESULT.findall(paper.abstract)), 3) / 3,
        "breadth": math.log1p(len(set(paper.categories)) - 1),
    }


def score_paper(
    paper: Paper, scored: list[tuple[float, int, AuthorRecord]], weights: Mapping[str, float]
) -> tuple[float, dict[str, float]]:
    """Total score and each feature's weighted contribution."""
    contributions = {
        name: round(value * weights.get(name, DEFAULT_WEIGHTS[name]), 6)
        for name, value in features(paper, scored).items()
    }
    return sum(contributions.values()), contributions
