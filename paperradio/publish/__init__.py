"""The publish stage: an issue becomes Markdown, JSON, a static HTML site and a podcast feed.

Output layout, relative to the output folder::

    index.html                 archive: every issue, newest first
    feed.xml, cover.png        podcast feed (one item per issue with an English episode) and its cover
    <week>/index.html          English issue page; index.<lang>.html for the other editions
    <week>/issue.<lang>.md     Markdown per edition
    <week>/issue.json          the issue as data
    <week>/issue.<lang>.eml    email edition per edition (MIME, absolute links), sent by :func:`mail.send`
    <week>/audio/...           audio copied from <home>/audio/<week>/, plus chapters.json, transcript.txt
    <week>/figures/...         key figures (PNG) copied from <home>/cache/figures/

The work is done by publishers registered by name in :mod:`.publisher`; the built-ins are registered
here, in the order they run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from ..config import Settings
from ..errors import PublishError
from ..models import Issue
from . import data, i18n, mail, markdown, podcast, site
from ._audio import publish_issue_audio
from ._figures import publish_figures
from ._output import Output
from .publisher import PUBLISHERS, Publication, Publisher, register

__all__ = ["PUBLISHERS", "Publication", "Publisher", "check_output", "register", "run"]

log = logging.getLogger(__name__)

register("markdown", markdown.publish)
register("json", data.publish)
register("html", site.publish)
register("podcast", podcast.publish)
register("email", mail.publish)


def _editions(settings: Settings) -> tuple[str, ...]:
    editions = tuple(dict.fromkeys(settings.editions))
    if not editions:
        raise PublishError('no edition to publish; set editions, for example editions = ["en", "zh"]')
    for language in editions:
        i18n.strings(language)
    return editions


def _newest_first(issue: Issue, archive: Sequence[Issue]) -> tuple[Issue, ...]:
    by_week = {str(old.week): old for old in archive}
    by_week[str(issue.week)] = issue
    return tuple(sorted(by_week.values(), key=lambda i: (i.week.year, i.week.number), reverse=True))


def check_output(out_dir: Path) -> None:
    """Create ``out_dir`` and prove it is writable, or raise ``PublishError`` (before hours of work)."""
    Output(out_dir).prepare()


def run(issue: Issue, out_dir: Path, settings: Settings, archive: Sequence[Issue] = ()) -> list[Path]:
    """Write the issue into out_dir and return the files written.

    Layout:  out_dir/index.html (archive: all issues in `archive` plus this one, newest first),
             out_dir/feed.xml (podcast RSS, one item per issue that has an English episode),
             out_dir/<week>/index.html (English issue page), out_dir/<week>/index.zh.html (Chinese),
             out_dir/<week>/issue.en.md, out_dir/<week>/issue.zh.md, out_dir/<week>/issue.json,
             out_dir/<week>/audio/... (audio files copied from settings.home/"audio"/<week>/<segment.path>),
             out_dir/<week>/figures/... (key figures copied from settings.cache_dir/"figures"/<figure.path>)

    Files whose content is already right are left untouched but still returned. Raises ``PublishError``
    when the output cannot be written, an edition is unsupported or rendered audio is missing.
    """
    editions = _editions(settings)
    out = Output(out_dir)
    out.prepare()
    audio = publish_issue_audio(out, settings, issue) if settings.radio else 0
    issue = publish_figures(out, settings, issue)
    publication = Publication(
        issue=issue,
        archive=_newest_first(issue, archive),
        settings=settings,
        out=out,
        editions=editions,
        with_audio=settings.radio,
    )
    for publisher in PUBLISHERS.values():
        publisher(publication)
    log.info(
        "published %s to %s: %d files (%d written, %d unchanged), %d audio, editions %s",
        issue.week, out_dir, len(out.paths), out.changed, out.unchanged, audio, ", ".join(editions),
    )
    return list(out.paths)
