"""Ingest: stream a source into the store in batches, resumably."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Paper
from ..store import Store
from .snapshot import SkippedLine, read_snapshot, source_key

log = logging.getLogger(__name__)

BATCH_SIZE = 2000


@dataclass
class IngestReport:
    """Counts of one ingest run; ``skipped`` holds (line, reason) of every dropped line."""

    source: str
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[SkippedLine] = field(default_factory=list)
    already_done: bool = False

    def summary(self) -> str:
        if self.already_done:
            return f"{self.source}: already imported, nothing to do"
        return (f"read {self.read}, new {self.new}, updated {self.updated}, unchanged {self.unchanged}, "
                f"skipped {len(self.skipped)}")


def ingest_snapshot(
    path: Path, store: Store, progress: Callable[[int], object] | None = None
) -> IngestReport:
    """Import a Kaggle-format snapshot file; a re-run imports nothing twice, a killed run resumes.

    ``progress`` receives the number of lines processed since its last call.
    """
    key = source_key(path)
    report = IngestReport(source=str(path))
    start_line, completed = store.ingest_progress(key)
    if completed:
        report.already_done = True
        return report
    if start_line:
        log.info("resuming %s after line %d", path, start_line)
    batch: list[Paper] = []
    batch_skips: list[SkippedLine] = []
    last_line = start_line

    def flush(done: bool) -> None:
        new, updated = store.add_papers(
            batch,
            source=key,
            lines_done=last_line,
            skips=[(str(s.line), s.reason) for s in batch_skips],
            completed=done,
        )
        report.new += new
        report.updated += updated
        report.unchanged += len(batch) - new - updated
        if progress:
            progress(len(batch) + len(batch_skips))
        batch.clear()
        batch_skips.clear()

    for number, item in read_snapshot(path, start_line):
        last_line = number
        if isinstance(item, SkippedLine):
            log.debug("line %d skipped: %s", item.line, item.reason)
            report.skipped.append(item)
            batch_skips.append(item)
        else:
            report.read += 1
            batch.append(item)
        if len(batch) >= BATCH_SIZE:
            flush(done=False)
    flush(done=True)
    return report
