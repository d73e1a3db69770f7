"""Papers from a file in the Kaggle "arXiv metadata OAI snapshot" format (.jsonl or .jsonl.gz).

The file is streamed line by line, never loaded whole. A line that cannot be read becomes a
:class:`SkippedLine` with its number and reason instead of stopping the import.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from ..errors import SourceError
from ..models import Author, Paper
from ._text import clean_text
from .schedule import announcement_date


@dataclass(frozen=True)
class SkippedLine:
    line: int
    reason: str


def source_key(path: Path) -> str:
    """Identity of a snapshot file for resuming: a changed file is a new source."""
    _check_file(path)
    stat = path.stat()
    return f"{path.resolve()}|{stat.st_size}|{int(stat.st_mtime)}"


def _check_file(path: Path) -> None:
    if not path.exists():
        raise SourceError(f"snapshot file {path} not found")
    if path.is_dir():
        raise SourceError(f"snapshot {path} is a folder; give a .jsonl or .jsonl.gz file")
    if not os.access(path, os.R_OK):
        raise SourceError(f"snapshot file {path} is not readable")


def _open(path: Path) -> IO[str]:
    _check_file(path)
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def read_snapshot(path: Path, start_line: int = 0) -> Iterator[tuple[int, Paper | SkippedLine]]:
    """Yield (line number, paper or skipped line) for every line after ``start_line``.

    Line numbers are 1-based. A truncated gzip file ends the stream with a skipped pseudo-line that says so.
    """
    number = 0
    with _open(path) as fh:
        try:
            for number, line in enumerate(fh, start=1):
                if number <= start_line:
                    continue
                if not line.strip():
                    continue
                yield number, _parse_line(number, line)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            yield number + 1, SkippedLine(number + 1, f"file ends early (truncated or corrupt gzip: {exc})")


def _parse_line(number: int, line: str) -> Paper | SkippedLine:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return SkippedLine(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return SkippedLine(number, "not a JSON object")
    try:
        return paper_from_record(record)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        return SkippedLine(number, str(exc) or exc.__class__.__name__)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return clean_text(value)


def _authors(record: dict[str, Any]) -> tuple[Author, ...]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for entry in parsed:
            parts = [_text(p) for p in entry if isinstance(p, str)]
            last, first, suffix = [*parts, "", "", ""][:3]
            names.append(" ".join(p for p in (first, last, suffix) if p))
        return tuple(Author(n) for n in names if n)
    raw = _text(record.get("authors"))
    names = re.split(r",\s*|\s+and\s+", raw)
    return tuple(Author(n.strip()) for n in names if n.strip())


def _version(record: dict[str, Any]) -> tuple[int, datetime | None]:
    """Latest version number and the v1 submission time."""
    versions = record.get("versions") or []
    if not versions:
        return 1, None
    numbers = [int(str(v.get("version", "v1")).lstrip("v") or 1) for v in versions]
    created = versions[0].get("created")
    return max(numbers), parsedate_to_datetime(created) if created else None


def paper_from_record(record: dict[str, Any]) -> Paper:
    """Build a Paper from one snapshot record; raise ValueError naming the missing field."""
    arxiv_id = _text(record.get("id"))
    if not arxiv_id:
        raise ValueError("missing field 'id'")
    title = _text(record.get("title"))
    if not title:
        raise ValueError(f"{arxiv_id}: missing field 'title'")
    categories = tuple(_text(record.get("categories")).split())
    if not categories:
        raise ValueError(f"{arxiv_id}: missing field 'categories'")
    version, submitted = _version(record)
    announced_text = record.get("announced")
    if announced_text:
        announced = date.fromisoformat(announced_text)
    elif submitted is not None:
        announced = announcement_date(submitted)
    else:
        raise ValueError(f"{arxiv_id}: neither 'announced' nor a v1 date in 'versions'")
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        abstract=_text(record.get("abstract")),
        authors=_authors(record),
        categories=categories,
        announced=announced,
        submitted=submitted,
        version=version,
        comments=_text(record.get("comments")) or None,
        journal_ref=_text(record.get("journal-ref")) or None,
        doi=_text(record.get("doi")) or None,
    )
