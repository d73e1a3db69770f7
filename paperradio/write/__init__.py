"""Write stage: turn picks into write-ups (paragraphs, recommendation, headline, Radiostation line).

``run`` is the entry point. Writers are chosen by name from a registry (see ``writers.py``); the
built-in one, "extractive", works offline and only reuses the abstract's own sentences. With the
``figures`` setting on, featured write-ups also get the paper's key figure (see ``figures.py``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from ..config import Settings
from ..errors import WriteError
from ..models import Pick
from .clean import plain_text
from .extractive import ExtractiveWriter, write_paper
from .headline import headline
from .sentences import split_sentences
from .writers import Writer, get_writer, register_writer, writer_names

__all__ = [
    "DEFAULT_WRITER",
    "ExtractiveWriter",
    "Writer",
    "get_writer",
    "headline",
    "plain_text",
    "register_writer",
    "run",
    "split_sentences",
    "write_paper",
    "writer_names",
]

log = logging.getLogger(__name__)

DEFAULT_WRITER = "extractive"

register_writer(DEFAULT_WRITER, ExtractiveWriter, replace=True)


def run(picks: Sequence[Pick], settings: Settings) -> list[Pick]:
    """Return the picks with `writeup` set (dataclasses.replace), same order."""
    name = settings.writer
    writeups = get_writer(name).write(picks, settings)
    if len(writeups) != len(picks):
        raise WriteError(f"writer {name!r} returned {len(writeups)} write-ups for {len(picks)} picks")
    written = [dataclasses.replace(pick, writeup=w) for pick, w in zip(picks, writeups, strict=True)]
    if settings.figures:
        from . import figures  # pdfium loads only when figures are wanted, not for every `write` import

        written = figures.attach(written, settings)
    featured = sum(1 for pick in picks if pick.section == "featured")
    bare = sum(1 for pick in picks if not pick.paper.abstract.strip())
    log.info("write: %d picks written by %s (%d featured, %d Radiostation, %d without abstract)",
             len(written), name, featured, len(written) - featured, bare)
    return written
