"""Every word the published issue prints, per edition language, in one place.

The Chinese edition follows the classic format of the genre ("论文 1:", "作者:", "论文链接:", "摘要:",
"推荐:", "本周 10 篇 NLP 精选论文是:"); paper titles, author names and credit lines stay in English. The
summaries are the Chinese write-ups when a translation service made them, else the English ones with a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import PublishError
from ..models import Field


@dataclass(frozen=True)
class Strings:
    language: str
    """The edition code used in file names: index.<language>.html, issue.<language>.md."""
    html_lang: str
    """BCP 47 tag for the ``lang`` attribute."""
    edition_name: str
    """How other editions link to this one."""
    archive: str
    archive_heading: str
    issue_papers: str
    """Archive line: ``{count}`` papers."""
    week: str
    """``{week}``, ``{monday}``, ``{friday}``."""
    pool: str
    """``{picks}`` chosen of ``{pool}``."""
    contents: str
    featured: str
    radiostation: str
    paper: str
    """Label in front of a featured title: ``{n}``."""
    authors: str
    affiliations: str
    link: str
    summary: str
    """Label in front of the summary; empty for none."""
    recommendation: str
    et_al: str
    section: Mapping[Field, str]
    """Radiostation heading per field: ``{count}``."""
    listen: str
    episode: str
    chapters: str
    untranslated: str
    """Said near the top when summaries are printed in another language than the edition's."""
    partly_untranslated: str
    """Said instead when only some summaries are, their translation having failed."""
    fallback: str
    """Under a summary drafted by the extractive writer because the language model failed on the paper."""
    no_audio: str
    """Fallback text inside ``<audio>`` for browsers without audio support."""
    markdown: str
    data: str
    feed: str
    email_subject: str
    """Subject of the email edition: ``{title}`` (the podcast's), ``{week}``, ``{headline}``."""
    web_edition: str
    """Link from the email edition to its web page."""


EN = Strings(
    language="en",
    html_lang="en",
    edition_name="English edition",
    archive="All issues",
    archive_heading="All issues",
    issue_papers="{count} papers",
    week="Announcement week {week}: {monday} to {friday}",
    pool="{picks} papers picked from {pool} new this week",
    contents="Contents",
    featured="Featured papers",
    radiostation="Radiostation",
    paper="{n}.",
    authors="Authors:",
    affiliations="Affiliations:",
    link="Paper:",
    summary="",
    recommendation="Recommendation:",
    et_al="et al.",
    section={
        "nlp": "This week's {count} NLP papers",
        "cv": "This week's {count} CV papers",
        "ml": "This week's {count} ML papers",
    },
    listen="Listen",
    episode="Full episode",
    chapters="Chapters",
    untranslated="Summaries are in {language}: no translation service is configured.",
    partly_untranslated="Some summaries are in {language}: their translation failed.",
    fallback="Summary drafted from the abstract's own sentences: the language model failed on this paper.",
    no_audio="Your browser cannot play this audio.",
    markdown="Markdown",
    data="JSON",
    feed="Podcast feed",
    email_subject="{title} {week}: {headline}",
    web_edition="Read it on the web",
)

ZH = Strings(
    language="zh",
    html_lang="zh-Hans",
    edition_name="中文版",
    archive="往期",
    archive_heading="往期目录",
    issue_papers="{count} 篇论文",
    week="arXiv 公告周 {week}：{monday} 至 {friday}",
    pool="从本周 {pool} 篇新论文中精选 {picks} 篇",
    contents="目录",
    featured="本周精选论文",
    radiostation="ArXiv Weekly Radiostation：NLP、CV、ML 更多精选论文",
    paper="论文 {n}:",
    authors="作者:",
    affiliations="机构:",
    link="论文链接:",
    summary="摘要:",
    recommendation="推荐:",
    et_al="等",
    section={
        "nlp": "本周 {count} 篇 NLP 精选论文是:",
        "cv": "本周 {count} 篇 CV 精选论文是:",
        "ml": "本周 {count} 篇 ML 精选论文是:",
    },
    listen="收听",
    episode="完整节目",
    chapters="章节",
    untranslated="摘要为英文原文：未配置翻译服务。",
    partly_untranslated="部分摘要为英文原文：翻译未成功。",
    fallback="本文摘要摘自论文摘要原句：语言模型处理失败。",
    no_audio="您的浏览器无法播放此音频。",
    markdown="Markdown",
    data="JSON",
    feed="播客订阅",
    email_subject="{title} {week} 期：{headline}",
    web_edition="在网页上阅读",
)

EDITIONS: Mapping[str, Strings] = {"en": EN, "zh": ZH}
"""Supported edition languages, in the order their links are shown."""

_LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}


def strings(language: str) -> Strings:
    """The strings of one edition, or ``PublishError`` naming the supported ones."""
    try:
        return EDITIONS[language]
    except KeyError:
        raise PublishError(
            f"edition {language!r} is not supported; set editions to some of: {', '.join(EDITIONS)}"
        ) from None


def untranslated_notice(edition: Strings, summary_language: str, *, partly: bool = False) -> str:
    """The notice for summaries printed in ``summary_language`` inside ``edition``; ``partly`` when only
    some are (the others were translated)."""
    name = _LANGUAGE_NAMES.get(summary_language, summary_language)
    return (edition.partly_untranslated if partly else edition.untranslated).format(language=name)
