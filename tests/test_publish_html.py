from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from paperradio.models import Issue, Week
from paperradio.publish import run
from paperradio.publish._view import headline
from paperradio.write import plain_text

from .publish_samples import issue_of, settings_for, with_audio
from .samples import sample_issue

NASTY = '<b>Diffusion</b> Transformers & "Scaling": $\\mathcal{L}_{\\text{DiT}}$ for Video — ünïcödé 视频'
SCRIPT = "<script>alert('x')</script> Attention"
ATTRIBUTE = '"><img src=x onerror="alert(1)"> Breakout'


class Page(HTMLParser):
    """Every start tag with its attributes, the ids, and the text as a browser would show it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def all(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())]

    @property
    def ids(self) -> set[str]:
        return {i for _, a in self.tags if (i := a.get("id"))}

    def with_class(self, name: str) -> list[tuple[str, dict[str, str | None]]]:
        return [(t, a) for t, a in self.tags if name in (a.get("class") or "").split()]


def retitle(issue: Issue, index: int, title: str) -> Issue:
    picks = list(issue.picks)
    picks[index] = dataclasses.replace(picks[index], paper=dataclasses.replace(picks[index].paper, title=title))
    return dataclasses.replace(issue, picks=tuple(picks))


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Issue]:
    settings = settings_for(tmp_path)
    issue = retitle(retitle(sample_issue(), 2, SCRIPT), 12, ATTRIBUTE)
    issue = with_audio(issue, settings.home)
    run(issue, tmp_path / "site", settings)
    return tmp_path / "site", issue


def page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def test_titles_are_text_never_markup(published: tuple[Path, Issue]) -> None:
    site, _ = published
    for name in ("index.html", "index.zh.html"):
        html = page(site / "2026-W16" / name)
        assert html.all("b") == [] and html.all("img") == []
        assert not any("onerror" in attrs for _, attrs in html.tags)
        scripts = html.all("script")
        assert len(scripts) == (1 if name == "index.html" else 0)  # only the chapter-seek script
        assert "alert" not in "".join(c for c in html.chunks if "addEventListener" in c)
        for title in (plain_text(NASTY), SCRIPT, ATTRIBUTE):
            assert title in html.text
    archive = page(site / "index.html")
    assert archive.all("b") == [] and archive.all("script") == []
    assert 'Diffusion Transformers & "Scaling"' in archive.text


def test_every_audio_source_exists_relative_to_its_page(published: tuple[Path, Issue]) -> None:
    site, _ = published
    folder = site / "2026-W16"
    sources = [a["src"] for a in page(folder / "index.html").all("audio")]
    assert len(sources) == 38  # 37 picks and the full episode
    for src in sources:
        assert src and (folder / unquote(src)).is_file(), src
    assert page(folder / "index.html").all("audio", id="player")[0]["src"] == "audio/en/episode.mp3"
    assert page(folder / "index.zh.html").all("audio") == []  # no Chinese audio rendered


def test_pages_set_lang_and_link_editions_archive_and_sources(published: tuple[Path, Issue]) -> None:
    site, _ = published
    folder = site / "2026-W16"
    en, zh = page(folder / "index.html"), page(folder / "index.zh.html")
    assert en.all("html")[0]["lang"] == "en" and zh.all("html")[0]["lang"] == "zh-Hans"
    assert [a["href"] for a in en.all("a", **{"class": "edition"})] == ["index.zh.html"]
    assert [a["href"] for a in zh.all("a", **{"class": "edition"})] == ["index.html"]
    for html in (en, zh):
        links = [a["href"] for a in html.all("a") if a.get("href")]
        local = [h for h in links if h and not urlsplit(h).scheme and not h.startswith("#")]
        assert "../index.html" in local and "issue.json" in local
        for href in local:
            assert (folder / unquote(href.split("#")[0])).is_file(), href
        anchors = [h[1:] for h in links if h and h.startswith("#")]
        assert anchors and set(anchors) <= html.ids
        assert html.all("link", rel="stylesheet") == []  # self-contained
        assert html.all("meta", name="viewport")
    assert en.all("title") and zh.all("title")


def test_issue_page_lists_every_pick_in_order(published: tuple[Path, Issue]) -> None:
    site, issue = published
    html = page(site / "2026-W16" / "index.html")
    picks = html.with_class("pick")
    assert len(picks) == 37
    assert [a["id"] for _, a in picks][:8] == [f"featured-{n}" for n in range(1, 8)] + ["nlp-1"]
    text = html.text
    assert text.count("Recommendation:") == 7
    assert "Radiostation" in text and "This week's 10 NLP papers" in text and "This week's 10 ML papers" in text
    assert f"{headline(issue)}" in text
    assert "Agents That Read the Manual: Tool Documentation for LLM Planning (7). (from Yann LeCun)" in text
    # each Radiostation pick says what it does in one sentence, under its title
    radio_lines = html.with_class("line")
    assert len(radio_lines) == 30
    nlp_1 = next(p for p in issue.picks if p.section == "nlp" and p.rank == 1)
    assert nlp_1.writeup is not None and nlp_1.writeup.line in text
    assert "Full episode" in text and "Chapters" in text and "NLP <radio> & friends" in text


def test_chinese_page_uses_classic_headings_and_says_summaries_are_english(published: tuple[Path, Issue]) -> None:
    site, _ = published
    text = page(site / "2026-W16" / "index.zh.html").text
    for heading in ("论文 1:", "作者:", "论文链接:", "摘要:", "推荐:", "本周 10 篇 NLP 精选论文是:",
                    "本周 10 篇 CV 精选论文是:", "本周 10 篇 ML 精选论文是:"):
        assert heading in text
    assert text.index("摘要为英文原文：未配置翻译服务") < text.index("论文 1:")
    assert "Sparse Mixture-of-Experts Routing for Long-Context Language Models" in text


def test_archive_lists_every_issue_once_newest_first(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    current = with_audio(sample_issue(), settings.home)
    older = [issue_of(Week(2026, 14), settings.home, episode=False), issue_of(Week(2026, 15), settings.home)]
    stale = retitle(current, 0, "An earlier draft of this week")
    run(current, tmp_path / "site", settings, archive=[*older, stale])
    archive = page(tmp_path / "site" / "index.html")
    issues = [a["id"] for _, a in archive.with_class("issue")]
    assert issues == ["2026-W16", "2026-W15", "2026-W14"]
    assert "An earlier draft" not in archive.text
    assert [a["href"] for a in archive.all("a", hreflang="zh-Hans")][:2] == [
        "2026-W16/index.zh.html", "2026-W15/index.zh.html"]
    assert archive.all("html")[0]["lang"] == "en"


def test_text_only_issue_when_radio_is_off(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, radio=False)
    issue = with_audio(sample_issue(), settings.home)
    run(issue, tmp_path / "site", settings)
    html = page(tmp_path / "site" / "2026-W16" / "index.html")
    assert html.all("audio") == [] and html.all("script") == []
    assert not (tmp_path / "site" / "2026-W16" / "audio").exists()
    assert len(html.with_class("pick")) == 37


def test_english_only_edition_has_no_edition_links(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, editions=("en",))
    paths = run(sample_issue(), tmp_path / "site", settings)
    assert not (tmp_path / "site" / "2026-W16" / "index.zh.html").exists()
    assert all("zh" not in p.name for p in paths)
    assert page(tmp_path / "site" / "2026-W16" / "index.html").all("a", **{"class": "edition"}) == []
