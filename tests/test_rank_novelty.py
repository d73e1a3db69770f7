"""Week signals against the weeks before: topic novelty (WordLlama embeddings, offline) and group focus."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from paperradio.models import Author, Paper
from paperradio.rank.groups import GroupFocus
from paperradio.rank.novelty import MODEL, Novelty, embed
from tests.samples import make_paper

MONDAY = date(2026, 4, 13)
PRIOR_TOPICS = [
    ("Instruction tuning of large language models", "We fine-tune large language models on instructions to "
     "follow user requests and evaluate chat quality."),
    ("Preference optimization for chat language models", "We align language models with human preferences "
     "using direct preference optimization on dialogue data."),
    ("Reward models for aligning LLM assistants", "A reward model trained on human comparisons guides the "
     "alignment of large language model assistants."),
]


def paper(i: int, title: str, abstract: str, day: date, authors: tuple[str, ...] = ("Ann Writer",)) -> Paper:
    return dataclasses.replace(make_paper(i), arxiv_id=f"2604.{i:05d}", title=title, abstract=abstract,
                               announced=day, authors=tuple(Author(a) for a in authors), comments=None)


def weeks() -> tuple[list[Paper], list[Paper]]:
    prior = [paper(i, t, a, MONDAY - timedelta(days=7 + i)) for i, (t, a) in enumerate(PRIOR_TOPICS)]
    pool = [
        paper(10, "Aligning language models with human feedback", "We align large language model assistants "
              "with human preference data and a learned reward model.", MONDAY),
        paper(11, "Sediment transport in braided river channels", "We measure gravel transport in braided "
              "rivers with field sensors during seasonal floods.", MONDAY),
    ]
    return pool, prior


def test_a_paper_unlike_the_previous_weeks_is_more_novel() -> None:
    pool, prior = weeks()
    novelty = Novelty(pool, prior)
    familiar, new = novelty.score(pool[0]), novelty.score(pool[1])
    assert 0 <= familiar < new <= 1.5
    assert new - familiar > 0.2
    assert Novelty(pool, []).score(pool[1]) == 0.0  # no earlier weeks: nothing to compare with


def test_embeddings_are_cached_per_week_and_reused(tmp_path: Path) -> None:
    pool, prior = weeks()
    fresh = embed(pool + prior)
    cached = embed(pool + prior, tmp_path)
    files = sorted(p.name for p in (tmp_path / "embeddings").iterdir())
    # the pool's week and the two weeks its prior papers were announced in
    assert files == [f"{MODEL}-{d}.npz" for d in ("2026-03-30", "2026-04-06", "2026-04-13")]
    np.testing.assert_allclose(cached, fresh, atol=2e-3)  # stored as float16
    with np.load(tmp_path / "embeddings" / f"{MODEL}-2026-04-13.npz") as saved:
        saved_ids = list(saved["ids"])
    assert saved_ids == ["2604.00010", "2604.00011"]
    # a paper added to a cached week is embedded and appended; the others are read back unchanged
    extra = paper(12, "Another river study", "Floods move gravel.", MONDAY + timedelta(days=1))
    again = embed([*pool, extra], tmp_path)
    np.testing.assert_allclose(again[:2], cached[:2])
    with np.load(tmp_path / "embeddings" / f"{MODEL}-2026-04-13.npz") as saved:
        assert list(saved["ids"]) == ["2604.00010", "2604.00011", "2604.00012"]


def test_group_focus_rewards_a_group_that_recently_shipped_frontier_artifacts() -> None:
    lab = ("Pat Student", "Lee Lead")
    shipped = [paper(20 + k, f"Agent{k}: a multimodal LLM agent benchmark", "We introduce an agent for "
                     "reasoning with LLMs and reinforcement learning.", MONDAY - timedelta(days=3 + k), lab)
               for k in range(3)]
    quiet = [paper(30 + k, f"Notes on sediment {k}", "Measurements of rivers.", MONDAY - timedelta(days=3 + k),
                   ("Quiet Person",)) for k in range(3)]
    focus = GroupFocus(shipped + quiet)
    new_from_lab = paper(40, "Something", "Text.", MONDAY, ("New Student", "Lee Lead"))
    new_quiet = paper(41, "Something", "Text.", MONDAY, ("Quiet Person",))
    assert focus.score(new_from_lab) == 0.5 and focus.score(new_quiet) == 0.0  # frontier + artifact, of 4
    assert focus.score(paper(42, "Something", "Text.", MONDAY, ("Unknown",))) == 0.0
    # one such paper is not yet a habit
    assert GroupFocus(shipped[:1]).score(new_from_lab) < focus.score(new_from_lab)
