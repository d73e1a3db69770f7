"""Which field (NLP, CV, ML) a paper belongs to.

The rule, in order:
1. The primary category decides when it is one of the fields' own: cs.CL -> NLP; cs.CV, eess.IV -> CV;
   cs.LG, stat.ML -> ML.
2. Otherwise (cs.AI, cs.GR, cs.IR, cs.RO, ...) the paper's cross-lists and content decide: each field scores
   one point per keyword of its vocabulary found in the title and abstract (title hits count double), plus
   three points when the paper is cross-listed to one of the field's categories; the highest score wins.
   So a cs.AI paper about image generation is CV, and a cs.AI paper about LLM agents is NLP.
3. A cs.AI paper with no such signal goes to ML: what remains of cs.AI is planning, reasoning, search and
   learning methods, which editors file under machine learning. Other primaries with no signal belong to
   no field and are not candidates.
"""

from __future__ import annotations

import re

from ..models import Field, Paper

PRIMARY_FIELDS: dict[str, Field] = {
    "cs.CL": "nlp",
    "cs.CV": "cv",
    "eess.IV": "cv",
    "cs.LG": "ml",
    "stat.ML": "ml",
}

_VOCABULARY: dict[Field, tuple[str, ...]] = {
    "nlp": (
        "language model", "llm", "llms", "text", "textual", "token", "tokens", "translation", "dialogue",
        "question answering", "linguistic", "natural language", "prompt", "prompting", "summarization",
        "sentiment", "corpus", "chatbot", "reasoning chain", "chain-of-thought", "instruction", "rag",
        "retrieval-augmented", "speech", "multilingual", "word", "sentence",
    ),
    "cv": (
        "image", "images", "video", "videos", "visual", "vision", "pixel", "segmentation", "detection",
        "3d", "point cloud", "camera", "scene", "rendering", "diffusion", "gaussian splatting", "pose",
        "depth", "optical flow", "face", "medical imaging", "remote sensing", "vlm", "multimodal",
    ),
    "ml": (
        "reinforcement learning", "optimization", "optimizer", "gradient", "neural network", "training",
        "generalization", "theorem", "convergence", "bandit", "federated", "graph neural", "kernel",
        "bayesian", "causal", "time series", "benchmark", "planning", "agent", "agents",
    ),
}

_CROSS_LISTS: dict[Field, frozenset[str]] = {
    "nlp": frozenset({"cs.CL"}),
    "cv": frozenset({"cs.CV", "eess.IV", "cs.GR"}),
    "ml": frozenset({"cs.LG", "stat.ML"}),
}

_PATTERNS: dict[Field, re.Pattern[str]] = {
    field: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")
    for field, words in _VOCABULARY.items()
}


def field_scores(paper: Paper) -> dict[Field, int]:
    """Evidence for each field from cross-lists and vocabulary (rule 2)."""
    title = paper.title.lower()
    abstract = paper.abstract.lower()
    cross = set(paper.categories[1:])
    return {
        field: 2 * len(pattern.findall(title)) + len(pattern.findall(abstract))
        + (3 if cross & _CROSS_LISTS[field] else 0)
        for field, pattern in _PATTERNS.items()
    }


def field_of(paper: Paper) -> Field | None:
    """The paper's field, or None when it belongs to none of them."""
    primary = paper.primary_category
    if primary in PRIMARY_FIELDS:
        return PRIMARY_FIELDS[primary]
    scores = field_scores(paper)
    best: Field = max(scores, key=lambda f: (scores[f], f == "ml"))
    if scores[best] > 0 and (primary == "cs.AI" or set(paper.categories[1:]) & _CROSS_LISTS[best]):
        return best
    return "ml" if primary == "cs.AI" else None


JOURNAL_MIN_EVIDENCE = 3
"""Vocabulary points a journal paper needs to belong to a field (e.g. a title hit and an abstract hit)."""


def journal_field(paper: Paper) -> Field | None:
    """A journal paper's field by its vocabulary alone (it has no arXiv categories); None without clear evidence.

    Journal feeds carry every discipline: a paper with no more than a passing mention of the fields' words
    is no candidate.
    """
    scores = field_scores(paper)
    best: Field = max(scores, key=lambda f: (scores[f], f == "ml"))
    return best if scores[best] >= JOURNAL_MIN_EVIDENCE else None
