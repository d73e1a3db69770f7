from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from paperradio.errors import SourceError
from paperradio.models import Paper
from paperradio.sources import SkippedLine, read_snapshot


def record(i: int, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": f"2604.{i:05d}",
        "submitter": None,
        "authors": "Ada Lovelace, Alan Turing and Grace Hopper",
        "title": f"Paper  number\n  {i}",
        "comments": "Accepted to ICLR 2026",
        "journal-ref": None,
        "doi": None,
        "categories": "cs.CL cs.LG",
        "abstract": "We study\nthings. It works.",
        "versions": [{"version": "v1", "created": "Mon, 13 Apr 2026 15:00:00 GMT"}],
        "update_date": "2026-04-13",
        "authors_parsed": [["Lovelace", "Ada", ""], ["Turing", "Alan", ""], ["Hopper", "Grace", "Jr"]],
    }
    data.update(changes)
    return data


def write_lines(path: Path, lines: list[str], gz: bool = False) -> Path:
    text = "\n".join(lines) + "\n"
    if gz:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_reads_kaggle_records_and_cleans_whitespace(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "s.jsonl", [json.dumps(record(1, announced="2026-04-14"))])
    [(number, paper)] = list(read_snapshot(path))
    assert number == 1 and isinstance(paper, Paper)
    assert paper.title == "Paper number 1"
    assert paper.abstract == "We study things. It works."
    assert [a.name for a in paper.authors] == ["Ada Lovelace", "Alan Turing", "Grace Hopper Jr"]
    assert paper.categories == ("cs.CL", "cs.LG") and paper.primary_category == "cs.CL"
    assert str(paper.announced) == "2026-04-14"
    assert paper.comments == "Accepted to ICLR 2026" and paper.doi is None


def test_without_announced_the_schedule_decides(tmp_path: Path) -> None:
    # 15:00 GMT on Monday 13 April is 11:00 EDT: before the deadline, listed Tuesday.
    path = write_lines(tmp_path / "s.jsonl", [json.dumps(record(1))])
    [(_, paper)] = list(read_snapshot(path))
    assert isinstance(paper, Paper) and str(paper.announced) == "2026-04-14"


def test_author_string_is_used_when_parsed_authors_are_missing(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "s.jsonl", [json.dumps(record(1, authors_parsed=None))])
    [(_, paper)] = list(read_snapshot(path))
    assert isinstance(paper, Paper)
    assert [a.name for a in paper.authors] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]


def test_latest_version_is_kept(tmp_path: Path) -> None:
    versions = [{"version": "v1", "created": "Mon, 13 Apr 2026 15:00:00 GMT"},
                {"version": "v3", "created": "Mon, 20 Apr 2026 15:00:00 GMT"}]
    path = write_lines(tmp_path / "s.jsonl", [json.dumps(record(1, versions=versions))])
    [(_, paper)] = list(read_snapshot(path))
    assert isinstance(paper, Paper) and paper.version == 3
    assert paper.submitted is not None and paper.submitted.day == 13


def test_bad_lines_are_reported_with_their_number_and_skipped(tmp_path: Path) -> None:
    lines = [
        json.dumps(record(1)),
        "{not json",
        json.dumps(record(3, title=None)),
        "[1, 2]",
        json.dumps(record(5, categories="")),
        json.dumps(record(6, versions=[], announced=None)),
        json.dumps(record(7, title=42)),
        "",
        json.dumps(record(9)),
    ]
    items = list(read_snapshot(write_lines(tmp_path / "s.jsonl", lines)))
    skipped = {n: item.reason for n, item in items if isinstance(item, SkippedLine)}
    assert sorted(skipped) == [2, 3, 4, 5, 6, 7]
    assert "not valid JSON" in skipped[2]
    assert "missing field 'title'" in skipped[3]
    assert "not a JSON object" in skipped[4]
    assert "categories" in skipped[5]
    assert "announced" in skipped[6]
    assert [n for n, item in items if isinstance(item, Paper)] == [1, 9]


def test_odd_unicode_latex_and_html_survive_intact(tmp_path: Path) -> None:
    title = "<script>alert(1)</script> $O(n^2)$ \u00e9\u0301 \u201cquoted\u201d \U0001f600 \u4e2d\u6587 \ufffd"
    path = write_lines(tmp_path / "s.jsonl", [json.dumps(record(1, title=title))], gz=True)
    [(_, paper)] = list(read_snapshot(path))
    assert isinstance(paper, Paper)
    assert "<script>" in paper.title and "$O(n^2)$" in paper.title and "\U0001f600" in paper.title


def test_truncated_gzip_keeps_what_was_read_and_says_so(tmp_path: Path) -> None:
    full = write_lines(tmp_path / "full.jsonl.gz", [json.dumps(record(i)) for i in range(1, 2001)], gz=True)
    cut = tmp_path / "cut.jsonl.gz"
    data = full.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    items = list(read_snapshot(cut))
    papers = [p for _, p in items if isinstance(p, Paper)]
    assert 0 < len(papers) < 2000
    last = items[-1][1]
    assert isinstance(last, SkippedLine) and "file ends early" in last.reason


def test_start_line_skips_without_parsing(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "s.jsonl", [json.dumps(record(i)) for i in range(1, 6)])
    assert [n for n, _ in read_snapshot(path, start_line=3)] == [4, 5]


def test_missing_file_and_folder_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        list(read_snapshot(tmp_path / "nope.jsonl"))
    with pytest.raises(SourceError, match="is a folder"):
        list(read_snapshot(tmp_path))


def test_every_line_of_the_real_corpus_parses(shared_data: Path) -> None:
    path = shared_data / "corpus" / "arxiv_cs_listings.jsonl.gz"
    count = 0
    for _number, item in read_snapshot(path):
        assert isinstance(item, Paper), item
        count += 1
    assert count == 74969
