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
    "track_record": -0.058,  # best author's track score (the "who" an editor reads first)
    "team": 0.3,           # mean track score of the next two authors: a strong lab, not one name
    "lab": 1.426,          # log(1 + sum of all authors' track scores): a whole established group
    "team_size": 4.959,    # log(1 + number of authors): large efforts (models, systems, benchmarks)
    "venue": -5.8,         # accepted at a top venue, per the arXiv comments
    "code": 2.0,           # released code, weights, a project page or a technical report
    "evidence": 0.5,       # quantified results in the abstract
    "breadth": -0.035,     # cross-listed to other categories: broad interest
    "frontier": 2.0,       # share of the frontier-topic vocabulary the paper touches (0-1)
    "hotness": 0.102,      # its terms are bursting this week against the weeks before (rank/hotness.py)
    "novelty": 0.0,        # embedding distance to the nearest papers of the weeks before (rank/novelty.py)
    "project_page": 4.87,  # a project page or demo site (github.io): a showcased result
    "artifact": 1.976,     # introduces a named system, model or data set ("Name: ..." title, "we introduce")
    "group_focus": 1.157,  # the authors' recent papers are on frontier topics with released artifacts
    "topic_prior": 20.0,   # its words are those of papers practitioners picked (rank/topic_prior.py, learned)
    "upvotes": 2.0,        # log(1 + Hugging Face Daily Papers upvotes), when popularity_sources is set; not
                           # fitted: the development labels are those very lists (off in the benchmark)
    "challenge_report": -5.0,  # a challenge/shared-task summary: editors don't feature such roll-ups (and,
                               # as every team is an author, its team_size and lab count as 0)
}
"""Fitted by ``paperradio tune ../shared/data/labels --fit odd --topic-prior paperradio/rank/topic_prior.json``
(coordinate ascent on the pooled hits@37 of the odd ISO weeks of the development labels, the topic prior
refitted on the same weeks and cross-fitted) and reported on the even weeks by bench/editorial.py; see
docs/ranking.md. Negative weights are what the labels say: practitioners upvote fresh preprints more than
already accepted papers, and the best single author's record adds nothing once the whole group's is in."""

FRONTIER_TERMS = (
    "agent", "agents", "agentic", "llm", "llms", "large language model", "large language models", "reasoning",
    "reinforcement learning", "rl", "video generation", "world model", "world models", "multimodal", "mllm",
    "mllms", "vlm", "vlms", "vla", "diffusion", "benchmark", "scaling", "unified", "omni",
)
"""What practitioners follow in 2025-26: agents, LLM reasoning and RL, multimodal and world models."""

TOP_VENUES = (
    "neurips", "nips", "icml", "iclr", "cvpr", "iccv", "eccv", "acl", "emnlp", "naacl", "colm", "aaai",
    "ijcai", "kdd", "siggraph", "tpami", "jmlr", "tacl", "coling", "wacv", "miccai", "3dv", "corl", "rss",
    "icra", "www", "sigir", "interspeech", "icassp", "eacl", "uai", "aistats",
)
_ACCEPTED = re.compile(r"\b(accepted|to appear|published|camera[- ]ready|oral|spotlight)\b", re.I)
_VENUE = re.compile(r"\b(" + "|".join(TOP_VENUES) + r")\b", re.I)
CODE_PATTERN = re.compile(r"(github\.com|gitlab\.com|huggingface\.co|code (is|are|will be) (publicly )?available"
                          r"|project page|\bcode\b[^.]{0,40}\breleased?|open[- ]source|open[- ]weights?"
                          r"|we (publicly )?release|hugging ?face|technical report)", re.I)
_FRONTIER = re.compile(r"\b(" + "|".join(re.escape(t) for t in FRONTIER_TERMS) + r")\b", re.I)
_CHALLENGE_REPORT = re.compile(
    r"\bNTIRE\b|\b(challenge|competition|shared task)\b.*\b(methods|results|overview|report|summary)\b"
    r"|\b(challenge|competition|shared task) on\b",
    re.I,
)
_PROJECT_PAGE = re.compile(r"project (page|website)|github\.io|demo (page|site)", re.I)
_NAMED_TITLE = re.compile(r"^\s*[A-Z0-9][\w^.+-]*[A-Z0-9][\w^.+-]*( [\w.-]+)?\s*:")
_INTRODUCE = re.compile(r"\bwe (introduce|present)\b", re.I)
_RESULT = re.compile(r"\d+(\.\d+)?\s*(%|\\%|x\b|×|times)|state[- ]of[- ]the[- ]art|outperform|surpass", re.I)


def venue_signal(comments: str | None) -> float:
    """1 for an acceptance at a top venue, 0.5 for another acceptance, 0 otherwise."""
    if not comments or not _ACCEPTED.search(comments):
        return 0.0
    return 1.0 if _VENUE.search(comments) else 0.5


def frontier(paper: Paper) -> float:
    """Share (0-1) of the frontier vocabulary touched by the title and abstract, four distinct terms = 1."""
    found = {m.lower() for m in _FRONTIER.findall(f"{paper.title} {paper.abstract}")}
    return min(len(found), 4) / 4


def project_page(paper: Paper) -> float:
    """1 when the comments or abstract point to a project page or demo site."""
    return 1.0 if _PROJECT_PAGE.search(f"{paper.abstract} {paper.comments or ''}") else 0.0


def artifact(paper: Paper) -> float:
    """Half for a named contribution ("Kimi K2: ..." title), half for "we introduce/present" in the abstract."""
    return (bool(_NAMED_TITLE.match(paper.title)) + bool(_INTRODUCE.search(paper.abstract))) / 2


WEEK_SIGNALS = ("hotness", "novelty", "group_focus", "upvotes", "topic_prior")
"""Features given to ``features`` by the caller: measured against the rest of the week, the weeks before or
online, or by the learned topic prior."""


def features(
    paper: Paper, scored: list[tuple[float, int, AuthorRecord]], week: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Raw (unweighted) feature values; ``scored`` is the authors' track scores, best first, and ``week`` the
    week signals (``WEEK_SIGNALS``, zero when absent)."""
    week = week or {}
    best = scored[0][0] if scored else 0.0
    others = [s for s, _, _ in scored[1:3]]
    text = f"{paper.abstract} {paper.comments or ''}"
    roll_up = bool(_CHALLENGE_REPORT.search(paper.title))
    return {
        "track_record": best,
        "team": sum(others) / 2 if others else 0.0,
        "lab": 0.0 if roll_up else math.log1p(sum(s for s, _, _ in scored)),
        "team_size": 0.0 if roll_up else math.log1p(len(paper.authors)),
        "venue": venue_signal(paper.comments),
        "code": 1.0 if CODE_PATTERN.search(text) else 0.0,
        "evidence": min(len(_RESULT.findall(paper.abstract)), 3) / 3,
        "breadth": math.log1p(max(len(set(paper.categories)) - 1, 0)),  # journal papers have no categories
        "frontier": frontier(paper),
        "hotness": week.get("hotness", 0.0),
        "challenge_report": 1.0 if roll_up else 0.0,
        "novelty": week.get("novelty", 0.0),
        "project_page": project_page(paper),
        "artifact": artifact(paper),
        "group_focus": week.get("group_focus", 0.0),
        "topic_prior": week.get("topic_prior", 0.0),
        "upvotes": week.get("upvotes", 0.0),
    }


def weigh(raw: Mapping[str, float], weights: Mapping[str, float]) -> tuple[float, dict[str, float]]:
    """Total score and each feature's weighted contribution."""
    contributions = {name: round(value * weights.get(name, DEFAULT_WEIGHTS[name]), 6) for name, value in raw.items()}
    return sum(contributions.values()), contributions


def score_paper(
    paper: Paper,
    scored: list[tuple[float, int, AuthorRecord]],
    weights: Mapping[str, float],
    week: Mapping[str, float] | None = None,
) -> tuple[float, dict[str, float], dict[str, float]]:
    """Total score, each feature's weighted contribution and each feature's raw value."""
    raw = features(paper, scored, week)
    total, contributions = weigh(raw, weights)
    return total, contributions, raw
