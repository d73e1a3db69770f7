"""The static HTML site: one page per issue and edition, and the archive at the root.

Pages are self-contained (inline CSS, a few lines of optional script) and rendered by Jinja2 with
autoescaping on, so nothing from a paper can become markup.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from ..models import Issue
from . import i18n
from ._view import headline, issue_view, week_dates
from .publisher import Publication


def page_name(language: str) -> str:
    """The file of an edition inside an issue folder: index.html for English, index.<lang>.html else."""
    return "index.html" if language == "en" else f"index.{language}.html"


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("paperradio.publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["page_name"] = page_name
    return env


@dataclass(frozen=True)
class EditionLink:
    strings: i18n.Strings
    href: str


@dataclass(frozen=True)
class ArchiveEntry:
    week: str
    headline: str
    dates: str
    count: str
    href: str
    editions: tuple[EditionLink, ...]


def archive_entries(
    issues: Sequence[Issue], editions: Sequence[str], strings: i18n.Strings
) -> list[ArchiveEntry]:
    entries = []
    for issue in issues:
        week = issue.week
        links = tuple(
            EditionLink(i18n.strings(lang), f"{week}/{page_name(lang)}") for lang in editions
        )
        entries.append(ArchiveEntry(
            week=str(week),
            headline=headline(issue),
            dates=week_dates(strings, week),
            count=strings.issue_papers.format(count=len(issue.picks)),
            href=links[0].href,
            editions=links,
        ))
    return entries


def render_issue(issue: Issue, language: str, editions: Sequence[str], with_audio: bool) -> str:
    view = issue_view(issue, language, editions, with_audio)
    return _environment().get_template("issue.html").render(view=view, s=view.strings)


def render_archive(publication: Publication) -> str:
    strings = i18n.strings(publication.editions[0])
    entries = archive_entries(publication.archive, publication.editions, strings)
    return _environment().get_template("archive.html").render(
        s=strings, entries=entries, title=publication.settings.podcast_title
    )


def publish(publication: Publication) -> None:
    folder = publication.issue_dir()
    for language in publication.editions:
        html = render_issue(publication.issue, language, publication.editions, publication.with_audio)
        publication.out.write_text(f"{folder}/{page_name(language)}", html)
    publication.out.write_text("index.html", render_archive(publication))
