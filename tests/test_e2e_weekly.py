"""One real week from the shared corpus, through every stage, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    from tests.conftest import SHARED_DATA

    corpus = SHARED_DATA / "corpus" / "arxiv_cs_listings.jsonl.gz"
    if not corpus.exists():
        pytest.skip("../shared/data is not present")
    tmp = tmp_path_factory.mktemp("e2e")
    home, out = tmp / "home", tmp / "site"
    command = [sys.executable, "-m", "paperradio", "--silent", "--json", "weekly", "--source", str(corpus),
               "--week", "2026-W16", "--out", str(out)]
    env = {"PAPERRADIO_HOME": str(home), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return home, out, result


def test_issue_json_has_every_pick(published: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    _, out, _ = published
    issue = json.loads((out / "2026-W16" / "issue.json").read_text())
    picks = issue["picks"]
    assert len(picks) == 37 and len({p["arxiv_id"] for p in picks}) == 37
    assert [sum(p["section"] == s for p in picks) for s in ("featured", "nlp", "cv", "ml")] == [7, 10, 10, 10]
    for pick in picks:
        assert pick["paper"]["announced"] >= "2026-04-13" and pick["paper"]["announced"] <= "2026-04-17"
        assert pick["credit"]["line"].startswith("(")
        assert pick["writeup"]["paragraphs"] and pick["writeup"]["recommendation"]
        assert pick["score"] == pytest.approx(sum(pick["features"].values()), abs=1e-4)
    featured = [p for p in picks if p["section"] == "featured"]
    assert all(2 <= len(p["writeup"]["paragraphs"]) <= 4 for p in featured)


def test_editions_audio_and_feed(published: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    _, out, result = published
    week = out / "2026-W16"
    for name in ("index.html", "index.zh.html", "issue.en.md", "issue.zh.md"):
        assert (week / name).stat().st_size > 1000
    zh = (week / "issue.zh.md").read_text()
    assert "论文 1:" in zh and "本周 10 篇 NLP 精选论文是:" in zh
    episode = week / "audio" / "episode.en.mp3"
    info = soundfile.info(str(episode))
    assert info.duration > 600  # 37 picks: well over ten minutes
    assert len(list((week / "audio").rglob("*.mp3"))) >= 37 + 2
    feed = (out / "feed.xml").read_text()
    assert "episode.en.mp3" in feed and "<itunes:duration>" in feed
    summary = json.loads(result.stdout)
    assert set(summary["seconds"]) == {"ingest", "rank", "write", "radio", "publish"}


def test_rerun_is_idempotent(published: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    home, out, _ = published
    before = (out / "2026-W16" / "issue.json").read_text()
    command = [sys.executable, "-m", "paperradio", "--silent", "--json", "rank", "--week", "2026-W16"]
    env = {"PAPERRADIO_HOME": str(home), "PATH": "/usr/bin:/bin"}
    subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result = subprocess.run([*command[:5], "publish", "--week", "2026-W16", "--out", str(out)],
                            env=env, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)
    assert (out / "2026-W16" / "issue.json").read_text() == before
