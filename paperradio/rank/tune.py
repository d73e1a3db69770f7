"""Fit the rank weights on labelled weeks: ``paperradio tune LABELS_DIR``.

A label folder holds JSON-lines files in the shared format: one row per curated paper with its
``arxiv_id`` and its week, as ``week_monday`` or ``week_start`` (``date`` is taken to its Monday otherwise).
The labels are read here only, to measure picks; no ranking signal reads them.

Each labelled week is ranked once to get every candidate's raw features; a trial weighting then re-scores
the candidates and selects the issue as ``rank.run`` does (same caps and near-duplicate rule), and counts
its **hits**: picks among the week's labels. The fit is a deterministic coordinate ascent on the pooled
hits of the fit weeks: feature by feature (in ``DEFAULT_WEIGHTS`` order), each weight is moved by
``STEPS`` divided by the spread of the feature's values, and a move is kept only when it raises the hits;
rounds repeat until none helps or ``rounds`` is reached. Weeks are split by ISO week parity, so the weeks
not fitted on show whether the new weights generalise.

``refit_topic_prior`` also fits the topic prior (rank/topic_prior.py) on the fit weeks' candidates. A fit
week's candidates then get the prior fitted on the *other* fit weeks (cross-fitting): the prior remembers
its own training labels, and weights fitted on such values would trust it far more than it deserves on a
week it has never seen.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ConfigError, RankError
from ..models import Authorship, Paper
from . import candidates as rank_candidates
from .score import DEFAULT_WEIGHTS, weigh
from .select import Candidate, Similarity, select
from .topic_prior import TermCounts, TopicPrior

STEPS = (-1.0, -0.5, -0.25, 0.25, 0.5, 1.0)
"""Moves tried for a weight, in units of 1 / (standard deviation of the feature over the fit candidates)."""

SPLITS = ("odd", "even", "all")


@dataclass(frozen=True)
class LabelledWeek:
    monday: date
    ids: frozenset[str]

    @property
    def name(self) -> str:
        iso = self.monday.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"

    def fitted(self, split: str) -> bool:
        """Whether the week is fitted on under ``split`` (one of ``SPLITS``); the others are held out."""
        return split == "all" or (self.monday.isocalendar().week % 2 == 1) == (split == "odd")


def label_week(row: Mapping[str, Any]) -> date:
    """The Monday of the announcement week a label row belongs to.

    A row names its week by ``week_monday`` or ``week_start``, or by the ``date`` of a daily list. A week
    start on a weekend is the eve of the next week (dair-ai's list "2025-04-06 to 2025-04-13" holds papers
    announced from Monday 2025-04-07 on); any other day belongs to its own week.
    """
    start = row.get("week_monday") or row.get("week_start")
    day = date.fromisoformat(start or row["date"])
    if start and day.weekday() >= 5:
        return day + timedelta(days=7 - day.weekday())
    return day - timedelta(days=day.weekday())


def load_label_folder(folder: Path) -> list[LabelledWeek]:
    """Every ``*.jsonl`` file of ``folder``, grouped by week, oldest first."""
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise ConfigError(f"no *.jsonl label files in {folder}")
    weeks: dict[date, set[str]] = {}
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                weeks.setdefault(label_week(row), set()).add(str(row["arxiv_id"]))
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"{path}:{number}: not a label row with arxiv_id and a week ({exc})") from None
    return [LabelledWeek(monday, frozenset(ids)) for monday, ids in sorted(weeks.items())]


@dataclass(frozen=True)
class Case:
    """One labelled week, ranked once: its candidates and the labels inside its pool."""

    week: LabelledWeek
    candidates: tuple[Candidate, ...]
    labels: frozenset[str]
    similarity: Similarity


RankInputs = Callable[[date], tuple[Sequence[Paper], Iterable[Authorship], Sequence[Paper]]]
"""The pool, history and prior papers of the week starting on a Monday (as ``paperradio rank`` reads them)."""


def prepare(weeks: Sequence[LabelledWeek], inputs: RankInputs, settings: Settings) -> list[Case]:
    """Rank each week once; weeks with no papers or no label inside the pool are left out."""
    cases = []
    for week in weeks:
        papers, history, prior = inputs(week.monday)
        labels = week.ids & {p.arxiv_id for p in papers}
        if not papers or not labels:
            continue
        found = rank_candidates(papers, history, settings, week.monday, prior=prior)
        cases.append(Case(week, tuple(found), frozenset(labels), Similarity([c.paper for c in found])))
    if not cases:
        raise RankError("none of the labelled weeks has papers in the store with labels among them")
    return cases


def hits(case: Case, weights: Mapping[str, float], settings: Settings) -> int:
    """How many picks of the week, ranked with ``weights``, are among its labels."""
    rescored = []
    for c in case.candidates:
        score, contributions = weigh(c.raw, weights)
        rescored.append(dataclasses.replace(c, score=score, features=contributions))
    picks = select(rescored, featured_count=settings.featured_count, section_size=settings.section_size,
                   similarity_cap=settings.similarity_cap, max_per_group=settings.max_per_group,
                   similarity=case.similarity)
    return sum(p.paper.arxiv_id in case.labels for p in picks)


def fit(cases: Sequence[Case], start: Mapping[str, float], settings: Settings, rounds: int = 3) -> dict[str, float]:
    """Coordinate ascent on the pooled hits of ``cases`` from the weights ``start``."""
    weights = {**DEFAULT_WEIGHTS, **start}

    def pooled(trial: Mapping[str, float]) -> int:
        return sum(hits(case, trial, settings) for case in cases)

    spread = {}
    for name in weights:
        values = [c.raw.get(name, 0.0) for case in cases for c in case.candidates]
        mean = sum(values) / len(values)
        spread[name] = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    best = pooled(weights)
    for _ in range(rounds):
        improved = False
        for name in weights:
            if spread[name] == 0:
                continue  # a feature that never varies cannot be fitted
            for step in STEPS:
                trial = {**weights, name: round(weights[name] + step / spread[name], 3)}
                value = pooled(trial)
                if value > best:
                    best, weights, improved = value, trial, True
        if not improved:
            break
    return weights


def refit_topic_prior(cases: Sequence[Case], fit_weeks: Collection[LabelledWeek], provenance: Mapping[str, Any]
                      ) -> tuple[TopicPrior, list[Case]]:
    """The topic prior fitted on the candidates of ``fit_weeks`` (labelled ones positive), and the cases with
    their ``topic_prior`` values recomputed: cross-fitted on the fit weeks, from the new prior on the others."""
    counts = {case.week: TermCounts.of((c.paper, c.paper.arxiv_id in case.labels) for c in case.candidates)
              for case in cases if case.week in fit_weeks}
    if not counts:
        raise RankError("no labelled week to fit the topic prior on")
    total = sum(counts.values(), TermCounts())
    prior = total.prior({**provenance, "weeks": [week.name for week in counts]})
    refitted = []
    for case in cases:
        model = (total - counts[case.week]).prior() if case.week in counts else prior
        found = tuple(dataclasses.replace(c, raw={**c.raw, "topic_prior": model.score(c.paper)})
                      for c in case.candidates)
        refitted.append(dataclasses.replace(case, candidates=found))
    return prior, refitted


def to_toml(weights: Mapping[str, float]) -> str:
    """The ``[rank_weights]`` table for the config file."""
    return "[rank_weights]\n" + "".join(f"{name} = {value!r}\n" for name, value in weights.items())
