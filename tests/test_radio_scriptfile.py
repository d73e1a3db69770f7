"""Script files: written from an episode script, read back unchanged, edits applied, malformed files named by line."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from paperradio.config import Settings, load_settings
from paperradio.errors import RadioError
from paperradio.models import Writeup
from paperradio.radio.script import PARAGRAPH_PAUSE, Script, episode_script
from paperradio.radio.scriptfile import apply_script, read_script, script_text
from tests.samples import sample_issue

ISSUE = sample_issue()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(overrides={"home": str(tmp_path)})


def written(tmp_path: Path, settings: Settings, language: str = "en") -> tuple[Script, Path]:
    script = episode_script(ISSUE, settings, language)
    path = tmp_path / f"script.{language}.txt"
    path.write_text(script_text(ISSUE, script), encoding="utf-8")
    return script, path


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_script_file_reads_back_as_the_same_script(tmp_path: Path, settings: Settings, language: str) -> None:
    script, path = written(tmp_path, settings, language)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# paperradio script: week 2026-W16, edition {language}\n")
    first = ISSUE.section("featured")[0]
    assert f"\n## featured-01 {first.paper.arxiv_id}\n" in text
    assert "\n## intro\n" in text and "\n## nlp\n" in text and text.rstrip().splitlines()[-2] == "## outro"
    assert apply_script(ISSUE, script, read_script(path), settings) == script


def test_an_edited_paragraph_replaces_only_its_line(tmp_path: Path, settings: Settings) -> None:
    script, path = written(tmp_path, settings)
    part = next(p for p in script.episode if p.key == "featured-01")
    old = part.lines[2]
    assert old.pause == PARAGRAPH_PAUSE
    edited_text = path.read_text(encoding="utf-8").replace(old.text, "We rewrote this: it uses 38% less memory.", 1)
    path.write_text(edited_text, encoding="utf-8")
    edited = apply_script(ISSUE, script, read_script(path), settings)
    new_part = next(p for p in edited.episode if p.key == "featured-01")
    assert new_part.lines[:2] == part.lines[:2] and new_part.lines[3:] == part.lines[3:]
    assert new_part.lines[2].text == "We rewrote this: it uses 38 percent less memory."  # normalized for speech
    assert new_part.lines[2].pause == PARAGRAPH_PAUSE and new_part.lines[2].voice == old.voice
    assert edited.segments[new_part.pick or 0] == new_part
    assert [p for p in edited.episode if p.key != "featured-01"] == [p for p in script.episode
                                                                     if p.key != "featured-01"]


def test_zh_paragraphs_pick_their_voice_by_script(tmp_path: Path, settings: Settings) -> None:
    script, path = written(tmp_path, settings, "zh")
    text = re.sub(r"(## outro\n)(.*)\n", "\\1本周到此结束。\n\nSee you next week.\n", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    outro = apply_script(ISSUE, script, read_script(path), settings).episode[-1]
    assert [(line.text, line.voice.engine) for line in outro.lines] == [
        ("本周到此结束。", "espeak-ng"), ("See you next week.", "piper")]


def test_a_chinese_write_up_is_read_in_chinese_and_survives_the_script_file(tmp_path: Path,
                                                                            settings: Settings) -> None:
    first = ISSUE.picks[0]
    chinese = Writeup(("长上下文的计算量降低了 38%。",), "值得一读。", "稀疏路由", "稀疏路由。", language="zh")
    issue = dataclasses.replace(ISSUE, picks=(dataclasses.replace(first, translations={"zh": chinese}),
                                              *ISSUE.picks[1:]))
    script = episode_script(issue, settings, "zh")
    lines = [(line.text, line.voice.engine) for line in script.segments[0].lines]
    english = episode_script(ISSUE, settings, "zh").segments[0].lines
    assert lines[:3] == [(english[0].text, "espeak-ng"), (english[1].text, "piper"), (english[2].text, "piper")]
    assert lines[3:] == [("长上下文的计算量降低了百分之三十八。", "espeak-ng"), ("推荐：值得一读。", "espeak-ng")]
    assert episode_script(issue, settings, "en") == episode_script(ISSUE, settings, "en")  # English as it was
    path = tmp_path / "script.zh.txt"
    path.write_text(script_text(issue, script), encoding="utf-8")
    assert "\n长上下文的计算量降低了百分之三十八。\n" in path.read_text(encoding="utf-8")
    assert apply_script(issue, script, read_script(path), settings) == script
    bare = episode_script(sample_issue(with_writeups=False), settings, "zh").segments[0].lines
    assert [line.voice.engine for line in bare] == ["espeak-ng", "piper", "piper", "piper"]  # the abstract: English


def test_wrapped_paragraphs_are_joined(tmp_path: Path, settings: Settings) -> None:
    script, path = written(tmp_path, settings)
    outro = script.episode[-1].lines[0].text
    words = outro.split()
    wrapped = " ".join(words[:5]) + "\n" + " ".join(words[5:])
    path.write_text(path.read_text(encoding="utf-8").replace(outro, wrapped), encoding="utf-8")
    assert apply_script(ISSUE, script, read_script(path), settings) == script


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.replace("## nlp-01 ", "## nlp-99 "), r":\d+: unknown segment 'nlp-99'"),
    (lambda t: t.replace("## intro\n", "Hello there.\n## intro\n"), r":\d+: text before the first"),
    (lambda t: t + "\n## outro\nAgain.\n", r":\d+: segment 'outro' again \(first at line \d+\)"),
    (lambda t: t.replace("# paperradio script: week 2026-W16, edition en\n", ""), r": no \"# paperradio script"),
    (lambda t: t.replace("week 2026-W16, edition en", "week 2026-W15, edition en"),
     r": the script is for week 2026-W15"),
    (lambda t: re.sub(r"## featured-01 \S+", "## featured-01 2601.99999", t),
     r":\d+: segment 'featured-01' is paper \S+ this week, not 2601.99999"),
    (lambda t: re.sub(r"## outro\n(.*\n)+", "## outro\n\n", t), r":\d+: segment 'outro' has nothing to say"),
    (lambda t: re.sub(r"## cv\n.*\n", "", t), r": segment 'cv' is missing"),
    (lambda t: t.replace("## intro", "##"), r":\d+: a segment line is"),
])
def test_a_malformed_script_is_refused_with_its_line(tmp_path: Path, settings: Settings, change: object,
                                                     message: str) -> None:
    script, path = written(tmp_path, settings)
    assert callable(change)
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RadioError, match=re.escape(str(path)) + message):
        apply_script(ISSUE, script, read_script(path), settings)


def test_the_line_number_points_at_the_segment(tmp_path: Path, settings: Settings) -> None:
    script, path = written(tmp_path, settings)
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index("## ml") + 1
    lines[number - 1] = "## ml-99"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(RadioError, match=f"{re.escape(str(path))}:{number}: unknown segment 'ml-99'"):
        apply_script(ISSUE, script, read_script(path), settings)
