"""The learned topic prior: shipped in the package, refitted by `paperradio tune --topic-prior` on a real store."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import paperradio.rank
from paperradio.cli import cli
from paperradio.models import Paper
from paperradio.rank.topic_prior import MIN_PAPERS, PACKAGE_FILE, TermCounts, load, shipped
from tests.samples import make_paper
from tests.test_sources_snapshot import record, write_lines

MONDAYS = [date(2026, 3, 30) + timedelta(weeks=k) for k in range(6)]  # ISO weeks 14-19: 15, 17 and 19 are odd
PER_WEEK = 40
LABELLED = 12  # per week: two odd weeks hold 24 labelled papers, above MIN_PAPERS, so cross-fitting has terms


def text_paper(title: str, abstract: str) -> Paper:
    return dataclasses.replace(make_paper(0), title=title, abstract=abstract)


def test_the_shipped_prior_loads_from_the_package_and_prefers_frontier_topics() -> None:
    prior = shipped()
    assert PACKAGE_FILE.parent == Path(paperradio.rank.__file__).parent and PACKAGE_FILE.name == "topic_prior.json"
    assert len(prior.log_odds) > 1000
    provenance = prior.provenance
    assert provenance["split"] == "odd" and provenance["weeks"] and "refit" in provenance
    assert "hf_daily_papers.dev.jsonl" in provenance["labels"]
    on_topic = text_paper("Agentic reinforcement learning for multimodal reasoning models",
                          "We train a vision-language agent with reinforcement learning to reason over long videos "
                          "and release the model, code and a new benchmark.")
    off_topic = text_paper("Sediment transport in braided river channels",
                           "We measure gravel transport in braided rivers with field sensors during seasonal floods "
                           "and compare classical estimators.")
    assert prior.score(on_topic) > 0 > prior.score(off_topic)
    top = prior.top_terms(on_topic)
    assert top and all(value > 0 for _, value in top)
    assert [v for _, v in top] == sorted((v for _, v in top), reverse=True)


def test_log_odds_count_labelled_against_other_candidates() -> None:
    hot = [text_paper(f"Gravel sediment {i}", "Braided rivers.") for i in range(MIN_PAPERS)]
    cold = [text_paper(f"Cold {i}", f"Word{i} braided rivers.") for i in range(3 * MIN_PAPERS)]
    counts = TermCounts.of([(p, True) for p in hot] + [(p, False) for p in cold])
    prior = counts.prior()
    assert prior.log_odds["gravel"] > 0 > prior.log_odds["cold"]
    assert abs(prior.log_odds["braided"]) < 0.05  # in every paper: says nothing
    assert "word1" not in prior.log_odds  # in one paper only
    assert prior.score(text_paper("Gravel", "")) == prior.log_odds["gravel"]
    assert prior.score(text_paper("Unseen", "")) == 0.0
    assert (counts - TermCounts.of([(hot[0], True)])).positives == MIN_PAPERS - 1


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--silent", *args])
    return result.exit_code, result.stdout, result.stderr


def week_rows(week: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Forty papers alike but for their words: the labelled twelve are about river sediment, a topic the
    shipped prior knows nothing good about, the others each about a topic of its own. The labelled ones
    have the highest ids, so ties break against them."""
    rows, labelled = [], []
    for k in range(PER_WEEK):
        i = week * 100 + k
        labelled_paper = k >= PER_WEEK - LABELLED
        if labelled_paper:
            title = f"Sediment transport in river{i}"  # distinct words too, so no two are near-duplicates
            abstract = f"Gravel sediment in topic{i} with word{i}, item{i}, scheme{i}, setting{i} and gauge{i}."
        else:
            title, abstract = f"Study {i} of topic{i}", f"We study topic{i} and word{i} here."
        rows.append(record(i, categories=("cs.CL", "cs.CV", "cs.LG")[k % 3], title=title, abstract=abstract,
                           announced=(MONDAYS[week] + timedelta(days=k % 5)).isoformat(), comments=None,
                           authors=f"Writer{i} One and Writer{i} Two", authors_parsed=[]))
        if labelled_paper:
            labelled.append(rows[-1]["id"])
    return rows, labelled


@pytest.fixture
def labelled_store(tmp_path: Path) -> Path:
    rows, labels = [], []
    for week in range(len(MONDAYS)):
        papers, picked = week_rows(week)
        rows += papers
        labels += [json.dumps({"week_monday": MONDAYS[week].isoformat(), "arxiv_id": a}) for a in picked]
    code, _, err = run("ingest", "--source", str(write_lines(tmp_path / "s.jsonl", [json.dumps(r) for r in rows])))
    assert code == 0, err
    (tmp_path / "labels").mkdir()
    write_lines(tmp_path / "labels" / "curated.jsonl", labels)
    # seven picks a week; the prior starts with no weight, so only the fit can give it one
    (tmp_path / "config.toml").write_text("featured_count = 1\nsection_size = 2\n[rank_weights]\ntopic_prior = 0.0\n")
    return tmp_path


def test_tune_refits_the_prior_deterministically_and_it_finds_the_labelled_topic(labelled_store: Path) -> None:
    outputs = []
    for attempt in ("a", "b"):
        (labelled_store / attempt).mkdir()
        prior_file, weights_file = labelled_store / attempt / "prior.json", labelled_store / attempt / "w.toml"
        code, stdout, err = run("--config", str(labelled_store / "config.toml"), "--json", "tune",
                                str(labelled_store / "labels"), "--topic-prior", str(prior_file),
                                "--out", str(weights_file))
        assert code == 0, err
        outputs.append((prior_file.read_text(), weights_file.read_text(), json.loads(stdout)))
    assert outputs[0] == outputs[1]
    prior = load(labelled_store / "a" / "prior.json")
    assert prior.provenance["weeks"] == ["2026-W15", "2026-W17", "2026-W19"]
    assert prior.provenance["labels"] == ["curated.jsonl"] and prior.provenance["split"] == "odd"
    assert prior.provenance["positives"] == 3 * LABELLED
    assert prior.log_odds["sediment"] > 0 and prior.log_odds["gravel sediment"] > 0
    # a held-out week: every labelled paper is above every other one
    rows, labelled = week_rows(0)
    scores = {r["id"]: prior.score(text_paper(r["title"], r["abstract"])) for r in rows}
    assert min(scores[i] for i in labelled) > max(s for i, s in scores.items() if i not in labelled)
    # the weights fitted on cross-fitted values give the prior a weight, and the held-out weeks gain
    weights = tomllib.loads(outputs[0][1])["rank_weights"]
    assert weights["topic_prior"] > 0
    held_out = [w for w in outputs[0][2]["weeks"] if not w["fit"]]
    assert sum(w["hits_after"] for w in held_out) > sum(w["hits_before"] for w in held_out)
    assert all(w["hits_after"] == 7 for w in held_out)


def test_explain_and_issue_json_show_the_topic_prior(tmp_path: Path) -> None:
    frontier = ("Agentic reinforcement learning for multimodal reasoning", "We train a vision-language agent with "
                "reinforcement learning to reason over long videos and release the code and a benchmark.")
    rows = [record(i, categories=("cs.CL", "cs.CV", "cs.LG")[i % 3], announced="2026-04-14", comments=None,
                   title=f"Study {i} of topic{i}", abstract=f"We study topic{i} and word{i} here.",
                   authors=f"Writer{i} One and Writer{i} Two", authors_parsed=[]) for i in range(60)]
    rows[0].update(title=frontier[0], abstract=frontier[1])
    source = write_lines(tmp_path / "s.jsonl", [json.dumps(r) for r in rows])
    code, out, err = run("--json", "weekly", "--source", str(source), "--week", "2026-W16",
                         "--out", str(tmp_path / "site"), "--no-radio")
    assert code == 0, err
    code, out, err = run("--json", "explain", "2604.00000", "--week", "2026-W16")
    assert code == 0, err
    data = json.loads(out)
    features = {f["name"]: f for f in data["features"]}
    assert features["topic_prior"]["value"] > 0
    assert data["topic_terms"] and {t["term"] for t in data["topic_terms"]} & {"agent", "reinforcement learning",
                                                                               "multimodal", "reasoning"}
    code, text, _ = run("explain", "2604.00000", "--week", "2026-W16")
    assert code == 0 and "topic prior terms: " in text and "topic_prior" in text
    issue = json.loads((tmp_path / "site" / "2026-W16" / "issue.json").read_text())
    [pick] = [p for p in issue["picks"] if p["paper"]["arxiv_id"] == "2604.00000"]
    assert pick["features"]["topic_prior"] == pytest.approx(features["topic_prior"]["contribution"], abs=1e-3)
