"""Write stage: turn picks into write-ups (paragraphs, recommendation, headline, Radiostation line).

``run`` is the entry point. Writers are chosen by name from a registry (see ``writers.py``); the
built-in ones are "extractive", which works offline and only reuses the abstract's own sentences, and
"llm", which asks an OpenAI-compatible endpoint and falls back to "extractive" paper by paper. With an
endpoint configured and the Chinese edition on, the write-ups are also translated (``translation.py``).
With the ``figures`` setting on, featured write-ups also get the paper's key figure (see ``figures.py``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from ..config import Settings
from ..errors import WriteError
from ..models import Pick
from .abstractive import FALLBACK_METHOD, AbstractiveWriter
from .clean import plain_text
from .estimate import Estimate, estimate
from .extractive import ExtractiveWriter, write_paper
from .headline import headline
from .sentences import split_sentences
from .translation import translate
from .translation import wanted as translate_wanted
from .writers import Cache, Writer, get_writer, register_writer, writer_names

__all__ = [
    "DEFAULT_WRITER",
    "FALLBACK_METHOD",
    "AbstractiveWriter",
    "Cache",
    "Estimate",
    "ExtractiveWriter",
    "Writer",
    "estimate",
    "get_writer",
    "headline",
    "plain_text",
    "register_writer",
    "run",
    "split_sentences",
    "translate",
    "write_paper",
    "writer_names",
]

log = logging.getLogger(__name__)

DEFAULT_WRITER = "extractive"

register_writer(DEFAULT_WRITER, ExtractiveWriter, replace=True)
register_writer("llm", AbstractiveWriter, replace=True)


def run(picks: Sequence[Pick], settings: Settings, cache: Cache | None = None) -> list[Pick]:
    """Return the picks with `writeup` set (dataclasses.replace), same order, and their Chinese write-ups
    in ``translations`` when an endpoint translates. ``cache`` (the store) keeps the endpoint's answers."""
    name = settings.writer
    writeups = get_writer(name).write(picks, settings, cache)
    if len(writeups) != len(picks):
        raise WriteError(f"writer {name!r} returned {len(writeups)} write-ups for {len(picks)} picks")
    # A new write-up drops translations of the old one; translate() makes them afresh (or from its cache).
    written = [dataclasses.replace(pick, writeup=w, translations={}) for pick, w in zip(picks, writeups, strict=True)]
    if settings.figures:
        from . import figures  # pdfium loads only when figures are wanted, not for every `write` import

        written = figures.attach(written, settings)
    featured = sum(1 for pick in picks if pick.section == "featured")
    bare = sum(1 for pick in picks if not pick.paper.abstract.strip())
    log.info("write: %d picks written by %s (%d featured, %d Radiostation, %d without abstract)",
             len(written), name, featured, len(written) - featured, bare)
    return translate(written, settings, cache) if translate_wanted(settings) else written
