"""Benchmark the whole weekly run: wall time per stage, audio produced per compute second, peak memory.

    .venv/bin/python bench/weekly.py [--source FILE] [--week 2026-W16]

Runs `paperradio weekly` cold (empty home: full corpus ingest, every segment rendered) and then warm
(everything stored or cached), in one process, and prints each stage's time, the ratio to a baseline
measured in the same run (plain gzip + json.loads of the same file, the least any ingest must do), and
the 5-minute target.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from _corpus import corpus_args
from click.testing import CliRunner

TARGET_SECONDS = 300


def plain_parse_seconds(source: Path) -> tuple[float, int]:
    start = time.perf_counter()
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8") as fh:
        count = sum(1 for line in fh if json.loads(line))
    return time.perf_counter() - start, count


def run_weekly(home: Path, source: Path, week: str, out: Path) -> dict[str, object]:
    from paperradio.cli import cli

    os.environ["PAPERRADIO_HOME"] = str(home)
    result = CliRunner().invoke(cli, ["--silent", "--json", "-q", "weekly", "--source", str(source),
                                      "--week", week, "--out", str(out)], catch_exceptions=False)
    if result.exit_code != 0:
        sys.exit(f"weekly failed: {result.stderr}")
    data: dict[str, object] = json.loads(result.stdout)
    return data


def audio_seconds(home: Path, week: str) -> tuple[float, float]:
    """Seconds of audio in the episodes, and in all per-pick segments."""
    from paperradio.config import load_settings
    from paperradio.models import Week
    from paperradio.store import Store

    settings = load_settings(overrides={"home": str(home)})
    issue = Store(settings.database_url).load_issue(Week.parse(week))
    assert issue is not None
    episodes = sum(e.audio.seconds for e in issue.episodes.values())
    segments = sum(s.seconds for p in issue.picks for s in p.audio.values())
    return episodes, segments


def main() -> None:
    args = corpus_args(__doc__.splitlines()[0])

    baseline, records = plain_parse_seconds(args.source)
    print(f"machine: {os.cpu_count()} cores; source {args.source.name}: {records} records")
    print(f"baseline: gzip + json.loads of every line: {baseline:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        home, out = Path(tmp) / "home", Path(tmp) / "site"
        start = time.perf_counter()
        cold = run_weekly(home, args.source, args.week, out)
        cold_total = time.perf_counter() - start
        start = time.perf_counter()
        warm = run_weekly(home, args.source, args.week, out)
        warm_total = time.perf_counter() - start
        episodes, segments = audio_seconds(home, args.week)
        files = sum(1 for p in out.rglob("*") if p.is_file())

    cold_stages: dict[str, float] = cold["seconds"]  # type: ignore[assignment]
    warm_stages: dict[str, float] = warm["seconds"]  # type: ignore[assignment]
    print(f"\n{'stage':10} {'cold s':>8} {'warm s':>8} {'cold / baseline':>16}")
    for stage, seconds in cold_stages.items():
        print(f"{stage:10} {seconds:8.1f} {warm_stages.get(stage, 0.0):8.1f} {seconds / baseline:16.2f}")
    print(f"{'total':10} {cold_total:8.1f} {warm_total:8.1f} {cold_total / baseline:16.2f}")
    radio = cold_stages.get("radio", 0.0)
    if radio:
        print(f"\naudio: {episodes / 60:.1f} min of episodes + {segments / 60:.1f} min of per-pick segments")
        print(f"audio seconds per compute second (radio stage, cold): {(episodes + segments) / radio:.1f}")
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {self_peak:.0f} MiB (main process), {child_peak:.0f} MiB (largest worker)")
    print(f"files published: {files}")
    verdict = "meets" if cold_total < TARGET_SECONDS else "MISSES"
    print(f"target: whole cold run under {TARGET_SECONDS} s: {cold_total:.0f} s = "
          f"{cold_total / TARGET_SECONDS:.2f} of the budget ({verdict})")
    slowest = max(cold_stages, key=lambda s: cold_stages[s])
    print(f"dominant stage: {slowest} ({cold_stages[slowest] / cold_total:.0%} of the cold run)")


if __name__ == "__main__":
    main()
