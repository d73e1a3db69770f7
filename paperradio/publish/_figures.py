"""Copy the key figures of an issue next to its pages.

The write stage crops into ``<home>/cache/figures/<figure.path>``; the site serves the same file from
``<out>/<week>/figures/<figure.path>``, which is what :func:`._view.figure_href` links to. A figure whose
PNG is gone (a cleaned cache, never published before) is left out of the pages with a warning: the
write-up reads fine without it.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import PurePosixPath

from ..config import Settings
from ..models import Figure, Issue
from ._output import Output, _as_publish_error

log = logging.getLogger(__name__)


def _published(out: Output, settings: Settings, issue: Issue, figure: Figure) -> bool:
    path = PurePosixPath(figure.path)
    if not figure.path or path.is_absolute() or ".." in path.parts or "\\" in figure.path:
        log.warning("figure path %r is not a plain relative path; left out", figure.path)
        return False
    name = f"{issue.week}/figures/{path}"
    source = settings.cache_dir / "figures" / path
    if source.is_file():
        with _as_publish_error("read the figure", source):
            data = source.read_bytes()
        out.write_bytes(name, data)
        return True
    if (out.root / name).is_file():
        out.keep(name)
        return True
    log.warning("figure %s is missing; left out (re-run the write stage to crop it again)", source)
    return False


def publish_figures(out: Output, settings: Settings, issue: Issue) -> Issue:
    """Copy every key figure; returns the issue without the figures that could not be published."""
    picks = []
    for pick in issue.picks:
        figure = pick.writeup.figure if pick.writeup else None
        if pick.writeup is not None and figure is not None and not _published(out, settings, issue, figure):
            pick = dataclasses.replace(pick, writeup=dataclasses.replace(
                pick.writeup, figure=None, figure_note="figure file missing at publish time"))
        picks.append(pick)
    return dataclasses.replace(issue, picks=tuple(picks))
