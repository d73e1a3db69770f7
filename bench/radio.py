"""Benchmark the radio: real-time factor per engine, a full episode cold and after a one-segment edit.

    .venv/bin/python bench/radio.py [--source FILE] [--week 2026-W16]

Ratios are measured in this run: audio seconds per compute second for each engine, and the edited
re-render's time over the cold render's. The week's picks and write-ups come from the real pipeline
(ingest, rank, write) into a temporary home.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import time
from datetime import timedelta

from _corpus import corpus_args

TEXT_EN = ("Large language models struggle with long contexts. We propose a router that assigns each span to an "
           "expert, and it improves accuracy by seven percent on LongBench while using less memory.")
TEXT_ZH = "本周我们精选了七篇论文，以及自然语言处理、计算机视觉和机器学习方向各十篇论文。"


def real_time_factor(engine_name: str, voice: str, text: str, repeats: int = 3) -> float:
    from paperradio.radio.engines import create_engine

    engine = create_engine(engine_name, voice)
    engine.synthesize(text)  # load the model outside the timing
    start = time.perf_counter()
    samples = 0
    for _ in range(repeats):
        samples += engine.synthesize(text).size
    return samples / engine.sample_rate / (time.perf_counter() - start)


def main() -> None:
    args = corpus_args(__doc__.splitlines()[0])

    from paperradio import radio, rank, write
    from paperradio.config import load_settings
    from paperradio.models import Week
    from paperradio.sources import ingest_snapshot
    from paperradio.store import Store

    print(f"machine: {os.cpu_count()} cores")
    print(f"piper (en_US-joe-medium), one process: {real_time_factor('piper', 'en_US-joe-medium', TEXT_EN):.1f}x "
          "real time")
    print(f"espeak-ng (cmn-latn-pinyin):          {real_time_factor('espeak-ng', 'cmn-latn-pinyin', TEXT_ZH):.1f}x "
          "real time")

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

        start = time.perf_counter()
        cold = radio.run(issue, settings)
        cold_seconds = time.perf_counter() - start
        audio_seconds = sum(e.audio.seconds for e in cold.episodes.values())
        audio_seconds += sum(s.seconds for p in cold.picks for s in p.audio.values())

        # An editor rewrites one featured pick's recommendation; only what depends on it is redone.
        first = issue.picks[0]
        assert first.writeup is not None
        edited_writeup = dataclasses.replace(first.writeup, recommendation="Editor's note: read this one first.")
        edited = dataclasses.replace(issue, picks=(dataclasses.replace(first, writeup=edited_writeup),
                                                   *issue.picks[1:]))
        start = time.perf_counter()
        after = radio.run(edited, settings)
        edit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        radio.run(edited, settings)
        unchanged_seconds = time.perf_counter() - start

    print(f"\nweek {week}: {len(issue.picks)} picks, editions {', '.join(settings.editions)}, "
          f"{settings.workers} workers")
    print(f"cold render:            {cold_seconds:6.1f} s for {audio_seconds / 60:.1f} min of audio "
          f"({audio_seconds / cold_seconds:.1f} audio s per compute s); target < 90 s: "
          f"{'meets' if cold_seconds < 90 else 'MISSES'}")
    print(f"after a one-pick edit:  {edit_seconds:6.1f} s = {edit_seconds / cold_seconds:.2f} of cold; "
          f"target < 10 s: {'meets' if edit_seconds < 10 else 'MISSES'}")
    print(f"nothing changed:        {unchanged_seconds:6.2f} s = {unchanged_seconds / cold_seconds:.3f} of cold")
    for lang, episode in after.episodes.items():
        print(f"episode {lang}: {episode.audio.seconds / 60:.1f} min, {episode.loudness_lufs:.2f} LUFS integrated, "
              f"true peak {episode.true_peak_dbfs:.2f} dBTP, {len(episode.chapters)} chapters")


if __name__ == "__main__":
    main()
