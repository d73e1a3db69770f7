from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from paperradio.models import Author, Issue, Pick, Writeup
from paperradio.publish import run
from paperradio.publish._view import headline, issue_view
from paperradio.publish.markdown import escape, render
from paperradio.write import plain_text

from .publish_samples import settings_for, with_audio
from .samples import sample_issue

NASTY = '<b>Diffusion</b> Transformers & "Scaling": $\\mathcal{L}_{\\text{DiT}}$ for Video — ünïcödé 视频'


def markdown(issue: Issue, language: str = "en", with_audio: bool = True) -> str:
    return render(issue_view(issue, language, ("en", "zh"), with_audio))


def replace_pick(issue: Issue, index: int, **changes: Any) -> Issue:
    picks = list(issue.picks)
    picks[index] = dataclasses.replace(picks[index], **changes)
    return dataclasses.replace(issue, picks=tuple(picks))


def retitle(issue: Issue, index: int, title: str) -> Issue:
    return replace_pick(issue, index, paper=dataclasses.replace(issue.picks[index].paper, title=title))


def unescape(text: str) -> str:
    """What CommonMark shows for text without markup: a backslash before ASCII punctuation vanishes."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def test_headline_counts_featured_and_uses_the_first_two_headlines() -> None:
    assert headline(sample_issue()) == (
        "7 Papers & Radios | Sparse Mixture-of-Experts Routing for Long-Context Language; "
        'Diffusion Transformers & "Scaling"'
    )


def test_titles_are_cleaned_for_display_then_escaped() -> None:
    md = markdown(sample_issue())
    shown = plain_text(NASTY)
    assert "<b>" not in shown and "\\mathcal" not in shown  # HTML and LaTeX are gone ...
    assert f"### 2. {escape(shown)}\n" in md  # ... and what is left is escaped


def test_english_edition_has_the_sections_in_order() -> None:
    md = markdown(sample_issue())
    order = ["# 7 Papers & Radios", "## Contents", "## Featured papers", "### 1. Sparse",
             "## Radiostation", "### This week's 10 NLP papers", "### This week's 10 CV papers",
             "### This week's 10 ML papers"]
    positions = [md.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert len(re.findall(r"^### \d\. ", md, re.MULTILINE)) == 7
    assert md.count("**Recommendation:** Read it for the") == 7
    assert "**Authors:** José M. Álvarez Jr., Wei Zhang, Author 0 et al.\n" in md
    assert "**Paper:** <https://arxiv.org/abs/2604.10000>\n" in md
    assert "[中文版](issue.zh.md)" in md
    assert "未配置翻译服务" not in md and "no translation" not in md


def test_radiostation_lines_read_title_then_credit() -> None:
    md = markdown(sample_issue())
    assert ("1. [Agents That Read the Manual: Tool Documentation for LLM Planning (7)]"
            "(https://arxiv.org/abs/2604.10007). (from Yann LeCun)\n") in md
    assert len(re.findall(r"^\d+\. \[.*\]\(https://arxiv\.org/abs/.*\)\. \(from Yann LeCun\)$", md,
                          re.MULTILINE)) == 30


def test_title_ending_in_a_question_mark_gets_no_extra_full_stop() -> None:
    issue = retitle(sample_issue(), 7, "Do Agents Read Manuals?")
    assert "1. [Do Agents Read Manuals?](https://arxiv.org/abs/2604.10007) (from Yann LeCun)" in markdown(issue)


def test_nobody_credited_is_said_plainly() -> None:
    issue = sample_issue()
    issue = replace_pick(issue, 7, credit=dataclasses.replace(issue.picks[7].credit, names=()))
    assert "(7)](https://arxiv.org/abs/2604.10007). (no established author on record)" in markdown(issue)


@pytest.mark.parametrize("title", [
    "<b>x</b> & [y](z)",
    NASTY,
    "![img](http://evil.example/x.png) *bold* _it_ `code` ~~gone~~ # not a heading",
    "&amp; &#60;script&#62; \\*already\\* escaped",
    "a | b | c",
])
def test_escape_shows_titles_verbatim(title: str) -> None:
    escaped = escape(title)
    assert unescape(escaped) == title
    # No active character is left unescaped (an odd run of backslashes escapes it).
    for match in re.finditer(r"(\\*)([\\`*_\[\]<>~$#])", escaped):
        if match[2] != "\\":
            assert len(match[1]) % 2 == 1, (escaped, match.start())
    assert not re.search(r"(?<!\\)&(?=#?\w+;)", escaped)


@pytest.mark.parametrize(("text", "expected"), [
    ("1. Introduction", "1\\. Introduction"),
    ("2026) was good", "2026\\) was good"),
    ("- not a bullet", "\\- not a bullet"),
    ("+ neither", "\\+ neither"),
    ("# nor a heading", "\\# nor a heading"),
    ("> nor a quote", "\\> nor a quote"),
    ("Plain words", "Plain words"),
])
def test_escape_at_line_start_defuses_block_markers(text: str, expected: str) -> None:
    assert escape(text, line_start=True) == expected


def test_injected_title_cannot_open_tags_or_links() -> None:
    title = "<b>x</b> <img src=x onerror=alert(1)> & [y](z)"  # cleaning drops <b>, keeps unknown tags
    md = markdown(retitle(retitle(sample_issue(), 0, title), 7, title))
    shown = "x \\<img src=x onerror=alert(1)\\> & \\[y\\](z)"
    assert f"### 1. {shown}\n" in md
    assert f"1. [{shown}](https://arxiv.org/abs/2604.10007). (from Yann LeCun)" in md
    assert not re.search(r"(?<!\\)<img", md) and not re.search(r"(?<!\\)\]\(z\)", md)


def test_multiline_text_stays_on_one_line() -> None:
    issue = retitle(sample_issue(), 0, "Line one\n\n# Heading two\n- item")
    assert "### 1. Line one \\# Heading two - item\n" in markdown(issue)


def test_summary_paragraph_starting_like_a_list_is_escaped() -> None:
    issue = sample_issue()
    assert issue.picks[0].writeup is not None
    writeup = dataclasses.replace(issue.picks[0].writeup, paragraphs=("1. We start here.", "- then this."))
    md = markdown(replace_pick(issue, 0, writeup=writeup))
    assert "\n1\\. We start here.\n\n\\- then this.\n" in md


def test_chinese_edition_uses_the_classic_headings_and_says_summaries_are_english() -> None:
    md = markdown(sample_issue(), "zh")
    for heading in ("### 论文 1: Sparse", "**作者:** José M. Álvarez Jr., Wei Zhang, Author 0 等",
                    "**论文链接:** <https://arxiv.org/abs/2604.10000>", "**摘要:** Large language models",
                    "**推荐:** Read it for the nlp results.", "### 本周 10 篇 NLP 精选论文是:",
                    "### 本周 10 篇 CV 精选论文是:", "### 本周 10 篇 ML 精选论文是:"):
        assert heading in md
    assert md.index("摘要为英文原文：未配置翻译服务") < md.index("### 论文 1:")
    assert "[English edition](issue.en.md)" in md


def test_chinese_summaries_need_no_notice_in_chinese_but_one_in_english() -> None:
    issue = sample_issue()
    for i in range(7):
        zh = Writeup(("这是中文摘要。",), "值得一读。", "标题", "一句话。", language="zh")
        issue = replace_pick(issue, i, writeup=zh)
    assert "未配置翻译服务" not in markdown(issue, "zh")
    assert "> Summaries are in Chinese: no translation service is configured.\n" in markdown(issue, "en")


def test_affiliations_are_shown_when_known_and_missing_writeup_falls_back_to_abstract() -> None:
    issue = sample_issue(with_writeups=False)
    authors = (Author("Ada Lovelace", "University of London"), Author("Alan Turing", "University of Manchester"))
    issue = replace_pick(issue, 0, paper=dataclasses.replace(issue.picks[0].paper, authors=authors))
    md = markdown(issue)
    assert "**Authors:** Ada Lovelace, Alan Turing\n" in md
    assert "**Affiliations:** University of London; University of Manchester\n" in md
    assert "\nLarge language models (LLMs) struggle" in md
    assert "**Recommendation:**" not in md
    assert md.startswith("# 7 Papers & Radios | Sparse Mixture-of-Experts Routing for Long-Context")


def test_audio_links_point_at_published_files(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    issue = with_audio(sample_issue(), settings.home)
    run(issue, tmp_path / "site", settings)
    folder = tmp_path / "site" / "2026-W16"
    md = (folder / "issue.en.md").read_text(encoding="utf-8")
    links = re.findall(r"\[▶ Listen \((\d+:\d\d)\)\]\((audio/[^)]+)\)", md)
    assert len(links) == 38  # 37 picks and the full episode
    assert all((folder / href).is_file() for _, href in links)
    assert "[▶ Listen (12:34)](audio/en/episode.mp3)" in md
    assert "- 0:00 Intro\n" in md and "- 0:00 NLP \\<radio\\> & friends\n" in md


def test_rendering_is_deterministic() -> None:
    assert markdown(sample_issue()) == markdown(sample_issue())


def test_pick_without_featured_section_still_has_a_headline() -> None:
    issue = sample_issue()
    radio_only = dataclasses.replace(issue, picks=tuple(p for p in issue.picks if p.section != "featured"))
    md = markdown(radio_only)
    assert md.startswith("# 30 Papers & Radios | Agents That Read the Manual")
    assert "## Featured papers" not in md
    assert isinstance(radio_only.picks[0], Pick)
