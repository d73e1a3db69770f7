"""`paperradio explain`: a paper's score breakdown and why it was or was not picked, on a real store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from paperradio.cli import cli
from tests.test_sources_snapshot import record, write_lines

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu amber basil cedar dune ember fjord "
         "grove heath iris jade kelp lotus moss nectar onyx pearl quartz reed sage thyme umber vale willow").split()
CATEGORIES = ("cs.CL", "cs.CV", "cs.AI cs.LG")
STAR_TEAM = "Student Able, Student Baker and Lead Star"


def paper(i: int, **changes: Any) -> dict[str, Any]:
    a, b, c = f"topic{i}a", f"topic{i}b", WORDS[i % len(WORDS)]
    base = record(i, categories=CATEGORIES[i % 3], announced="2026-04-14", comments=None,
                  title=f"On {a} {b} number {i}", abstract=f"We study {a} {b} {c} in setting {i}.",
                  authors=f"Writer{i} One and Writer{i} Two", authors_parsed=[])
    return {**base, **changes}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--silent", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def store(tmp_path: Path) -> None:
    lines = [paper(i) for i in range(60)]
    # The strong paper: many authors, code and a top venue; its exact twin comes later (higher id).
    strong = {"authors": ", ".join(f"Big Team{k}" for k in range(20)), "comments": "Accepted to ICML 2026. "
              "Code: https://github.com/x/y", "title": "Scaling agents for multimodal reasoning",
              "abstract": "We present an open-source agent benchmark for multimodal LLM reasoning."}
    lines[0].update(strong)
    lines.append(paper(90, **{k: v for k, v in strong.items()}, categories="cs.CL"))
    # Not in any field: a math paper with no cross-list.
    lines.append(paper(91, categories="math.CO", title="Counting lattice paths", abstract="We count paths."))
    # A weak paper: a single unknown author, nothing else.
    lines.append(paper(92, authors="Solo Writer", categories="cs.CL"))
    # Lead Star's group: a year of history, then four papers this week (the group cap allows two).
    history = [paper(200 + k, announced="2026-03-10", authors=STAR_TEAM, title=f"Earlier {WORDS[k]} work",
                     abstract=f"Earlier {WORDS[k]} {WORDS[k + 5]} results.") for k in range(12)]
    star = [paper(300 + k, authors=STAR_TEAM, categories="cs.CL") for k in range(4)]
    source = write_lines(tmp_path / "snapshot.jsonl", [json.dumps(r) for r in [*history, *lines, *star]])
    code, _, err = run("ingest", "--source", str(source))
    assert code == 0, err


def explain(arxiv_id: str) -> dict[str, Any]:
    code, out, err = run("--json", "explain", arxiv_id, "--week", "2026-W16")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_a_picked_paper_shows_its_features_ranks_and_section(store: None) -> None:
    data = explain("2604.00000")
    assert data["picked"] and data["section"] == "featured"
    assert data["field"] == "nlp" and data["rank_overall"] <= 7 and data["candidates"] == 66
    assert data["rank_in_field"] <= data["rank_overall"]
    assert data["reasons"] == []
    features = {f["name"]: f for f in data["features"]}
    assert features["venue"]["value"] == 1.0 and features["code"]["value"] == 1.0
    for f in data["features"]:
        assert f["contribution"] == pytest.approx(f["value"] * f["weight"], abs=1e-3)
    assert data["score"] == pytest.approx(sum(f["contribution"] for f in data["features"]), abs=1e-3)
    code, out, _ = run("explain", "2604.00000", "--week", "2026-W16")
    assert code == 0
    assert "field: nlp" in out and f"picked: featured #{data['section_rank']}" in out and "team_size" in out


def test_a_near_duplicate_is_rejected_naming_the_pick(store: None) -> None:
    data = explain("2604.00090")
    assert not data["picked"]
    assert any(r.startswith("near-duplicate of pick 2604.00000 (featured #") for r in data["reasons"])


def test_the_group_cap_names_the_researcher(store: None) -> None:
    decided = [explain(f"2604.{300 + k:05d}") for k in range(4)]
    assert all("Lead Star" in d["credit"] for d in decided)
    assert sum(d["picked"] for d in decided) == 2
    rejected = [d for d in decided if not d["picked"]]
    assert all(any(r.startswith("group cap: Lead Star already has 2 picks") for r in d["reasons"]) for d in rejected)


def test_a_weak_paper_is_below_the_cut_off_by_a_stated_margin(store: None) -> None:
    nlp = [explain(f"2604.{i:05d}") for i in range(3, 60, 3)]
    weak = [d for d in nlp if not d["picked"]]
    assert weak
    for d in weak:
        [reason] = d["reasons"]
        assert ((reason.startswith("below the cut-off score of the nlp section:") and "(by " in reason)
                or reason.startswith("tied with the cut-off score of the nlp section"))
    solo = explain("2604.00092")
    assert not solo["picked"] and solo["field"] == "nlp" and solo["rank_in_field"] == solo["field_candidates"]
    [reason] = solo["reasons"]
    assert reason.startswith("below the cut-off score of the nlp section:") and "(by " in reason


def test_a_paper_in_no_field_and_an_unknown_paper(store: None) -> None:
    data = explain("2604.00091")
    assert data["field"] is None and not data["picked"]
    assert data["reasons"][0].startswith("not in any field: primary category math.CO")
    code, _, err = run("explain", "2604.09999", "--week", "2026-W16")
    assert code == 1
    assert err.startswith("Error: paper 2604.09999 was not announced in the week of 2026-04-13")
