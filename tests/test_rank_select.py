from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from paperradio import rank
from paperradio.config import load_settings
from paperradio.errors import RankError
from paperradio.models import Author, Authorship, Paper
from tests.samples import make_paper

WEEK_START = date(2026, 4, 13)
TOPICS = {
    "cs.CL": ["translation", "dialogue", "summarization", "parsing", "question answering", "tokenization",
              "sentiment", "retrieval", "speech", "grammar", "poetry", "law", "medicine", "code"],
    "cs.CV": ["segmentation", "detection", "depth", "video", "faces", "pose", "tracking", "satellite",
              "medical scans", "3D scenes", "super-resolution", "flow", "editing", "captioning"],
    "cs.LG": ["optimizers", "bandits", "kernels", "federated", "causal", "graphs", "theory", "pruning",
              "quantization", "meta-learning", "reinforcement", "ensembles", "calibration", "privacy"],
}


def pool() -> list[Paper]:
    """14 papers per field; four groups per field, each a lead with a student."""
    papers = []
    for c, topics in TOPICS.items():
        for j, topic in enumerate(topics):
            i = len(papers)
            papers.append(dataclasses.replace(
                make_paper(i, category=c),
                title=f"Work on {topic}",
                abstract=f"We study {topic} ({c} {j}). Our {topic} method improves results by {j}%.",
                authors=(Author(f"Student {c} {j % 4}"), Author(f"Lead {c} {j % 4}")),
                comments=None,
            ))
    return papers


def history() -> list[Authorship]:
    """Each lead has a record with their student; larger groups have more papers."""
    slots = []
    for c in TOPICS:
        for g in range(4):
            for k in range(5 * (g + 1)):
                team = [f"Student {c} {g}", f"Postdoc {c} {g}", f"Lead {c} {g}"]
                slots += [Authorship(f"h{c}{g}{k}", date(2026, 3, 1), Author(n).key, pos, 3)
                          for pos, n in enumerate(team)]
    return slots


def test_issue_has_featured_and_ten_per_field_without_duplicates(tmp_path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path)})
    picks = rank.run(pool(), history(), settings, WEEK_START)
    sections = [p.section for p in picks]
    assert sections.count("featured") == 7
    assert all(sections.count(s) == 10 for s in ("nlp", "cv", "ml"))
    ids = [p.paper.arxiv_id for p in picks]
    assert len(ids) == len(set(ids))
    featured_fields = [p.field for p in picks if p.section == "featured"]
    assert max(featured_fields.count(f) for f in ("nlp", "cv", "ml")) <= 4
    for p in picks:
        assert p.score == pytest.approx(sum(p.features.values()))
        assert p.section == "featured" or p.section == p.field


def test_ranking_is_deterministic_and_order_independent(tmp_path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path)})
    first = rank.run(pool(), history(), settings, WEEK_START)
    second = rank.run(list(reversed(pool())), history(), settings, WEEK_START)
    assert [(p.section, p.rank, p.paper.arxiv_id) for p in first] == \
           [(p.section, p.rank, p.paper.arxiv_id) for p in second]


def test_group_cap_limits_picks_per_credited_researcher(tmp_path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path), "max_per_group": 2, "featured_count": 3,
                                        "section_size": 4})
    picks = rank.run(pool(), history(), settings, WEEK_START)
    credited = [name for p in picks for name in p.credit.names]
    assert len(credited) == len(picks)
    assert max(credited.count(n) for n in set(credited)) == 2
    # without the cap the biggest group would take more
    uncapped = rank.run(pool(), history(), settings.replace(max_per_group=99), WEEK_START)
    names = [name for p in uncapped for name in p.credit.names]
    assert max(names.count(n) for n in set(names)) > 2


def test_a_section_is_filled_even_when_few_groups_dominate(tmp_path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path), "max_per_group": 1})
    picks = rank.run(pool(), history(), settings, WEEK_START)
    assert [p.section for p in picks].count("nlp") == 10


def test_near_duplicates_are_not_both_picked(tmp_path) -> None:
    papers = pool()
    twin = dataclasses.replace(papers[0], arxiv_id="2604.99999")
    settings = load_settings(overrides={"home": str(tmp_path)})
    picks = rank.run([*papers, twin], history(), settings, WEEK_START)
    ids = {p.paper.arxiv_id for p in picks}
    assert not {papers[0].arxiv_id, twin.arxiv_id} <= ids


def test_venue_and_code_move_the_score_by_their_weights(tmp_path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path), "rank_weights": {"venue": 1.5}})
    plain = pool()
    boosted = dataclasses.replace(plain[-1], comments="Accepted to ICML 2026. Code: https://github.com/x/y")
    before = next(c for c in rank.candidates(plain, history(), settings, WEEK_START)
                  if c.paper.arxiv_id == boosted.arxiv_id)
    after = next(c for c in rank.candidates([*plain[:-1], boosted], history(), settings, WEEK_START)
                 if c.paper.arxiv_id == boosted.arxiv_id)
    assert (after.raw["venue"], after.raw["code"]) == (1.0, 1.0)
    assert after.features["venue"] == 1.5 and after.features["code"] == rank.DEFAULT_WEIGHTS["code"]
    assert after.score - before.score == pytest.approx(1.5 + rank.DEFAULT_WEIGHTS["code"], abs=1e-4)


def test_empty_pool_and_unknown_weights_are_errors(tmp_path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path)})
    with pytest.raises(RankError, match="no papers"):
        rank.run([], [], settings, WEEK_START)
    with pytest.raises(RankError, match="unknown rank weight"):
        rank.run(pool(), [], settings.replace(rank_weights={"hype": 1.0}), WEEK_START)


def test_challenge_reports_do_not_ride_on_their_author_lists(tmp_path) -> None:
    from paperradio.rank.score import features

    many = tuple(Author(f"Participant {i}") for i in range(120))
    report = dataclasses.replace(make_paper(1), arxiv_id="2604.99001",
                                 title="NTIRE 2026 Challenge on Image Denoising: Methods and Results",
                                 authors=many)
    study = dataclasses.replace(report, title="Denoising images with diffusion priors")
    as_report, as_study = features(report, []), features(study, [])
    assert as_report["challenge_report"] == 1.0 and as_study["challenge_report"] == 0.0
    assert as_report["team_size"] == 0.0 and as_study["team_size"] > 4
    settings = load_settings(overrides={"home": str(tmp_path)})
    picks = rank.run([*pool(), report], history(), settings, WEEK_START)
    assert report.arxiv_id not in {p.paper.arxiv_id for p in picks if p.section == "featured"}
