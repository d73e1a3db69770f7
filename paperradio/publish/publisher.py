"""The publisher role: one small interface and a registry by name.

A publisher turns one :class:`Publication` into files through ``publication.out``, which writes
atomically and only when content changed. The built-ins (markdown, json, html, podcast) register
themselves through :func:`register` in ``paperradio.publish``; :func:`paperradio.publish.run` calls every
registered publisher in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..config import Settings
from ..models import Issue
from ._output import Output


@dataclass(frozen=True)
class Publication:
    """Everything a publisher needs for one run."""

    issue: Issue
    archive: tuple[Issue, ...]
    """Every published issue, newest first, ``issue`` included."""
    settings: Settings
    out: Output
    editions: tuple[str, ...]
    """Edition languages to write, in the order of ``settings.editions``."""
    with_audio: bool
    """False when publishing text only (``radio = false``)."""

    def issue_dir(self, issue: Issue | None = None) -> str:
        """The folder of an issue, relative to the output folder."""
        return str((issue or self.issue).week)


Publisher = Callable[[Publication], None]

PUBLISHERS: dict[str, Publisher] = {}


def register(name: str, publisher: Publisher) -> None:
    """Add a publisher; a name registered twice is replaced, so re-imports are harmless."""
    PUBLISHERS[name] = publisher
