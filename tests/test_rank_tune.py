"""`paperradio tune`: weights fitted on labelled weeks of a real store, by real ranking, raise the hits."""

from __future__ import annotations

import json
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from paperradio.cli import cli
from paperradio.errors import ConfigError
from paperradio.rank import DEFAULT_WEIGHTS
from paperradio.rank.tune import load_label_folder
from tests.test_sources_snapshot import record, write_lines

MONDAYS = [date(2026, 3, 30) + timedelta(weeks=k) for k in range(4)]  # ISO weeks 14-17: 15 and 17 are odd
CATEGORIES = ("cs.CL", "cs.CV", "cs.LG")
PER_WEEK = 24
SHOWCASED = (9, 14, 19, 23)  # one of each field and more; high ids, so ties break against them


def week_papers(week: int) -> tuple[list[dict[str, Any]], list[str]]:
    """24 alike papers; four of them, across the fields, have a project page: the curators' (labelled) picks."""
    rows, labelled = [], []
    for k in range(PER_WEEK):
        i = week * 100 + k
        showcased = k in SHOWCASED
        day = MONDAYS[week] + timedelta(days=k % 5)
        rows.append(record(i, categories=CATEGORIES[k % 3], announced=day.isoformat(),
                           title=f"Study {i} of topic{i}", abstract=f"We study topic{i} and word{i} here.",
                           authors=f"Writer{i} One and Writer{i} Two", authors_parsed=[],
                           comments="Project page: https://lab.github.io/x" if showcased else None))
        if showcased:
            labelled.append(rows[-1]["id"])
    return rows, labelled


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--silent", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def labelled_store(tmp_path: Path) -> Path:
    """A store of four weeks and a label folder in the shared format (week_monday, arxiv_id)."""
    rows, labels = [], []
    for week in range(4):
        papers, picked = week_papers(week)
        rows += papers
        labels += [json.dumps({"week_monday": MONDAYS[week].isoformat(), "arxiv_id": a}) for a in picked]
    code, _, err = run("ingest", "--source", str(write_lines(tmp_path / "s.jsonl", [json.dumps(r) for r in rows])))
    assert code == 0, err
    folder = tmp_path / "labels"
    folder.mkdir()
    write_lines(folder / "curated.jsonl", labels)
    # Seven picks a week of 24, and weights that push the showcased papers down.
    (tmp_path / "config.toml").write_text("featured_count = 1\nsection_size = 2\n[rank_weights]\nproject_page = -3.0\n")
    return tmp_path


def test_tune_raises_hits_on_the_fit_weeks_and_writes_a_weights_table(labelled_store: Path) -> None:
    out = labelled_store / "weights.toml"
    code, stdout, err = run("--config", str(labelled_store / "config.toml"), "--json", "tune",
                            str(labelled_store / "labels"), "--out", str(out))
    assert code == 0, err
    data = json.loads(stdout)
    weeks = {w["week"]: w for w in data["weeks"]}
    assert sorted(weeks) == ["2026-W14", "2026-W15", "2026-W16", "2026-W17"]
    assert [w for w, row in weeks.items() if row["fit"]] == ["2026-W15", "2026-W17"]
    fit_before = sum(r["hits_before"] for r in weeks.values() if r["fit"])
    fit_after = sum(r["hits_after"] for r in weeks.values() if r["fit"])
    assert fit_after > fit_before
    # the held-out weeks improve too: the fit found the real signal, not a quirk of two weeks
    assert sum(r["hits_after"] for r in weeks.values() if not r["fit"]) > sum(
        r["hits_before"] for r in weeks.values() if not r["fit"])
    table = tomllib.loads(out.read_text())["rank_weights"]
    assert table == data["weights"]
    # code and project_page both mark the showcased papers: the fit raised their sum above its start
    assert table["code"] + table["project_page"] > DEFAULT_WEIGHTS["code"] - 3.0
    # the written table is a config file the other commands accept
    (labelled_store / "tuned.toml").write_text("featured_count = 1\nsection_size = 2\n" + out.read_text())
    code, stdout, err = run("--config", str(labelled_store / "tuned.toml"), "--json", "rank", "--week", "2026-W15")
    assert code == 0, err
    _, labels = week_papers(1)
    assert sum(p["arxiv_id"] in labels for p in json.loads(stdout)) == weeks["2026-W15"]["hits_after"]


def test_label_folder_rows_group_by_week(tmp_path: Path) -> None:
    write_lines(tmp_path / "a.jsonl", [json.dumps({"week_start": "2026-04-13", "arxiv_id": "2604.1"}),
                                       json.dumps({"date": "2026-04-15", "arxiv_id": "2604.2"})])
    [week] = load_label_folder(tmp_path)
    assert week.monday == date(2026, 4, 13) and week.ids == {"2604.1", "2604.2"} and week.name == "2026-W16"
    # a week start on a weekend is the eve of the next week; a daily list on a weekend belongs to its week
    write_lines(tmp_path / "a.jsonl", [json.dumps({"week_start": "2026-04-12", "arxiv_id": "2604.4"}),
                                       json.dumps({"date": "2026-04-11", "arxiv_id": "2604.5"})])
    assert [(w.name, sorted(w.ids)) for w in load_label_folder(tmp_path)] == [("2026-W15", ["2604.5"]),
                                                                              ("2026-W16", ["2604.4"])]
    write_lines(tmp_path / "b.jsonl", [json.dumps({"arxiv_id": "2604.3"})])
    with pytest.raises(ConfigError, match=r"b\.jsonl:1"):
        load_label_folder(tmp_path)
