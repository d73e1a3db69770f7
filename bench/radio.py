"""Benchmark the radio: real-time factor per engine, a full episode cold and after a one-segment edit.

    .venv/bin/python bench/radio.py [--source FILE] [--week 2026-W16]

Ratios are measured in this run: audio seconds per compute second for each engine, and the edited
re-renders' times over the cold render's. The week's picks and write-ups come from the real pipeline
(ingest, rank, write) into a temporary home. Wall times depend on what else the machine runs, so the
load average and the CPU seconds used (this process and its workers) are printed too. Loudness and
true peak are measured on the final episode files, decoded.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from _corpus import corpus_args

TEXT_EN = ("Large language models struggle with long contexts. We propose a router that assigns each span to an "
           "expert, and it improves accuracy by seven percent on LongBench while using less memory.")
TEXT_ZH = "本周我们精选了七篇论文，以及自然语言处理、计算机视觉和机器学习方向各十篇论文。"


T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float, float]:
    """``call()``, its wall seconds, and the CPU seconds it used in this process and in finished children."""
    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    cpu_start, start = cpu(), time.perf_counter()
    result = call()
    return result, time.perf_counter() - start, cpu() - cpu_start


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def real_time_factor(engine_name: str, voice: str, text: str, repeats: int = 3) -> tuple[float, float]:
    """Audio seconds per wall second and per CPU second of this process (espeak-ng's own process is
    a child: its CPU time counts once it has exited)."""
    from paperradio.radio.engines import EngineOptions, create_engine

    engine = create_engine(engine_name, voice, EngineOptions(threads=1))  # as in each worker
    engine.synthesize(text)  # load the model outside the timing
    samples = 0

    def speak() -> None:
        nonlocal samples
        for _ in range(repeats):
            samples += engine.synthesize(text).size

    _, wall, cpu = timed(speak)
    return samples / engine.sample_rate / wall, samples / engine.sample_rate / cpu


def main() -> None:
    args = corpus_args(__doc__.splitlines()[0])

    from paperradio import radio, rank, write
    from paperradio.config import load_settings
    from paperradio.models import Week
    from paperradio.sources import ingest_snapshot
    from paperradio.store import Store

    print(f"machine: {os.cpu_count()} cores, {load()}")
    for label, engine, voice, text in [("piper (en_US-joe-medium), one thread", "piper", "en_US-joe-medium", TEXT_EN),
                                       ("espeak-ng (cmn-latn-pinyin)", "espeak-ng", "cmn-latn-pinyin", TEXT_ZH)]:
        per_wall, per_cpu = real_time_factor(engine, voice, text)
        print(f"{label:38} {per_wall:6.1f}x real time ({per_cpu:.1f}x per CPU second; on 2 cores, 2 workers: "
              f"up to {2 * per_cpu:.0f}x)")

    week = Week.parse(args.week)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(overrides={"home": tmp})
        store = Store(settings.database_url)
        ingest_snapshot(args.source, store)
        papers = store.papers_announced(week.monday, week.friday)
        history = store.authorships(week.monday - timedelta(days=settings.history_days),
                                    week.monday - timedelta(days=1))
        store.save_picks(week, rank.run(papers, history, settings, week.monday), pool_size=len(papers))
        issue = store.load_issue(week)
        assert issue is not None
        issue = dataclasses.replace(issue, picks=tuple(write.run(issue.picks, settings)))

        load_before = load()
        cold, cold_seconds, cold_cpu = timed(lambda: radio.run(issue, settings))
        load_after = load()
        audio_seconds = sum(e.audio.seconds for e in cold.episodes.values())
        audio_seconds += sum(s.seconds for p in cold.picks for s in p.audio.values())

        # An editor rewrites one featured pick's recommendation; only what depends on it is redone.
        first = issue.picks[0]
        assert first.writeup is not None
        edited_writeup = dataclasses.replace(first.writeup, recommendation="Editor's note: read this one first.")
        edited = dataclasses.replace(issue, picks=(dataclasses.replace(first, writeup=edited_writeup),
                                                   *issue.picks[1:]))
        _, edit_seconds, edit_cpu = timed(lambda: radio.run(edited, settings))

        # Then one paragraph of the first featured segment in the English script file (the edit sticks).
        script = settings.home / "audio" / str(week) / "script.en.txt"
        segment = next(s for s in script.read_text(encoding="utf-8").split("\n## ") if s.startswith("featured-01"))
        paragraph = segment.split("\n\n")[3]  # the first paragraph after title and credit
        script.write_text(script.read_text(encoding="utf-8").replace(
            paragraph, "The editor rewrote this paragraph: it now says why this paper is worth an hour.", 1),
            encoding="utf-8")
        after, script_seconds, script_cpu = timed(lambda: radio.run(edited, settings, script_files=[script]))
        spoken = after.episodes["en"].audio.text
        assert "Editor's note" in spoken and "The editor rewrote" in spoken
        _, unchanged_seconds, _ = timed(lambda: radio.run(edited, settings))
        measured = {lang: measure(settings.home / "audio" / str(week) / e.audio.path)
                    for lang, e in after.episodes.items()}
        transcript = (settings.home / "audio" / str(week) / after.episodes["en"].transcript).read_text(encoding="utf-8")

    print(f"\nweek {week}: {len(issue.picks)} picks, editions {', '.join(settings.editions)}, "
          f"{settings.workers} workers; {load_before} before the cold render, {load_after} after")
    print(f"cold render:            {cold_seconds:6.1f} s ({cold_cpu:5.1f} CPU s) for {audio_seconds / 60:.1f} min of "
          f"audio ({audio_seconds / cold_seconds:.1f} audio s per compute s); target < 90 s: "
          f"{'meets' if cold_seconds < 90 else 'MISSES'}")
    print(f"one script paragraph:   {script_seconds:6.1f} s ({script_cpu:5.1f} CPU s) = "
          f"{script_seconds / cold_seconds:.3f} of cold; target < 10 s: {'meets' if script_seconds < 10 else 'MISSES'}")
    print(f"one recommendation:     {edit_seconds:6.1f} s ({edit_cpu:5.1f} CPU s) = "
          f"{edit_seconds / cold_seconds:.3f} of cold; target < 10 s: {'meets' if edit_seconds < 10 else 'MISSES'}")
    print(f"nothing changed:        {unchanged_seconds:6.2f} s = {unchanged_seconds / cold_seconds:.3f} of cold")
    for lang, episode in after.episodes.items():
        lufs, peak = measured[lang]
        print(f"episode {lang}: {episode.audio.seconds / 60:.1f} min, {len(episode.chapters)} chapters; decoded: "
              f"{lufs:.2f} LUFS integrated, true peak {peak:.2f} dBTP (computed from the clips: "
              f"{episode.loudness_lufs:.2f} LUFS, {episode.true_peak_dbfs:.2f} dBTP)")
    print("\nchapters (en):")
    for chapter in after.episodes["en"].chapters:
        print(f"  {int(chapter.start // 60):2d}:{chapter.start % 60:04.1f}  {chapter.title}")
    print("\ntranscript (en), first minute:")
    for cue in transcript.split("\n\n")[1:]:
        lines = cue.splitlines()
        if len(lines) >= 3 and lines[1] < "00:01:00":
            print(f"  {lines[1]}\n    " + "\n    ".join(lines[2:]))


def measure(path: Path) -> tuple[float, float]:
    from paperradio.radio import audio

    decoded, rate = audio.read_audio(path)
    return audio.loudness(decoded, rate), audio.true_peak(decoded)


if __name__ == "__main__":
    main()
