"""Radio stage: speak each pick and the whole issue, per edition language.

    run(issue, settings) -> issue with Pick.audio[lang] and Issue.episodes[lang]

Modules: ``script`` (what is said), ``speech`` (text normalization), ``engines`` (TTS engines by name),
``audio`` (signal work, loudness, MP3), ``render`` (speech cache and worker processes).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import RadioError
from ..models import Chapter, Episode, Issue, Pick, Segment
from .engines import Engine, EngineOptions, create_engine
from .render import ClipRef, FileResult, FileTask, LineJob, PartRef, cache_path, line_key, render_all
from .script import Part, Script, Voice, episode_script

__all__ = ["count_segments", "run"]

log = logging.getLogger(__name__)

MANIFEST = "radio.json"
"""Index of the files written for an issue and the recipe each was made from, in its audio folder."""


def count_segments(issue: Issue, settings: Settings) -> int:
    """How many times :func:`run` calls ``progress(1)``: each pick and each episode, per edition."""
    return (len(issue.picks) + 1) * len(settings.editions)


def _segment_path(pick: Pick, language: str) -> str:
    safe_id = pick.paper.arxiv_id.replace("/", "_")
    return f"{language}/{pick.section}-{pick.rank:02d}-{safe_id}.mp3"


def _engines(scripts: list[Script], options: EngineOptions) -> dict[Voice, Engine]:
    engines: dict[Voice, Engine] = {}
    for script in scripts:
        for part in script.episode:
            for line in part.lines:
                if line.voice not in engines:
                    engines[line.voice] = create_engine(line.voice.engine, line.voice.name, options)
    return engines


def _load_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def run(issue: Issue, settings: Settings, progress: Callable[[int], None] | None = None) -> Issue:
    """Render a spoken segment per pick (per edition language) and one full episode per language.

    Audio goes under ``settings.home / "audio" / str(issue.week)``; ``Segment.path`` is relative to that
    folder (e.g. "en/featured-01-2604.10000.mp3", "episode.en.mp3"). Returns the issue with
    ``Pick.audio[lang]`` and ``Issue.episodes[lang]`` filled. ``progress(1)`` is called as each segment or
    episode file is done, :func:`count_segments` times in all (click's ``ProgressBar.update`` fits).

    Speech is cached by text, engine, voice and engine version under ``settings.cache_dir / "tts"``, and
    files already written from the same lines and settings are kept, so a re-run renders nothing.
    """
    started = time.monotonic()
    out_dir = settings.home / "audio" / str(issue.week)
    options = EngineOptions(threads=1 if settings.workers > 1 else 0, voices_dir=settings.home / "voices")
    scripts = [episode_script(issue, settings, language) for language in dict.fromkeys(settings.editions)]
    engines = _engines(scripts, options)
    rate = max((e.sample_rate for e in engines.values()), default=22050)

    paths: dict[tuple[Voice, str], str] = {}
    jobs: dict[str, LineJob] = {}
    for script in scripts:
        for part in [*script.episode, *script.segments.values()]:
            for line in part.lines:
                engine = engines[line.voice]
                path = str(cache_path(settings.cache_dir, line_key(line.text, engine.name, line.voice.name,
                                                                    engine.version)))
                paths[(line.voice, line.text)] = path
                if path not in jobs and not Path(path).is_file():
                    jobs[path] = LineJob(engine.name, engine.voice, line.text, path)

    def task(output: str, parts: tuple[Part, ...]) -> tuple[FileTask, frozenset[str]]:
        refs = tuple(PartRef(tuple(ClipRef(paths[(ln.voice, ln.text)], ln.pause) for ln in p.lines), p.pause)
                     for p in parts)
        deps = frozenset(c.path for r in refs for c in r.clips)
        return FileTask(str(out_dir / output), refs, rate, settings.loudness_lufs, settings.true_peak_dbfs), deps

    tasks: dict[str, tuple[FileTask, frozenset[str]]] = {}
    for script in scripts:
        for index, part in script.segments.items():
            tasks[_segment_path(issue.picks[index], script.language)] = task(
                _segment_path(issue.picks[index], script.language), (dataclasses.replace(part, pause=0.0),))
        tasks[f"episode.{script.language}.mp3"] = task(f"episode.{script.language}.mp3", script.episode)

    manifest_path = out_dir / MANIFEST
    manifest = _load_manifest(manifest_path)
    results: dict[str, FileResult] = {}
    for name, (file_task, _deps) in list(tasks.items()):
        entry = manifest.get(name)
        if isinstance(entry, dict) and entry.get("recipe") == file_task.recipe() and (out_dir / name).is_file():
            try:
                results[name] = FileResult.from_dict(file_task.output, entry)
            except (KeyError, TypeError, ValueError):
                continue
            del tasks[name]
            if progress:
                progress(1)

    by_output = {t.output: name for name, (t, _deps) in tasks.items()}
    recipes = {name: t.recipe() for name, (t, _deps) in tasks.items()}

    def finished(result: FileResult) -> None:
        name = by_output[result.output]
        results[name] = result
        manifest[name] = {"recipe": recipes[name], **result.to_dict()}
        if progress:
            progress(1)

    reused = len(results)
    line_jobs = sorted(jobs.values(), key=lambda j: j.engine != "espeak-ng")  # the fast engine first
    if tasks:
        out_dir.mkdir(parents=True, exist_ok=True)
        try:
            render_all(line_jobs, list(tasks.values()), settings.workers, options, finished)
        finally:
            _save_manifest(manifest_path, manifest)

    issue = _fill(issue, scripts, results)
    log.info("radio %s: %d lines spoken, %d files written, %d kept, %d editions in %.1f s",
             issue.week, len(line_jobs), len(results) - reused, reused, len(scripts), time.monotonic() - started)
    return issue


def _save_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def _fill(issue: Issue, scripts: list[Script], results: dict[str, FileResult]) -> Issue:
    """The issue with each pick's segments and each edition's episode."""
    audio: dict[int, dict[str, Segment]] = {i: dict(p.audio) for i, p in enumerate(issue.picks)}
    episodes = dict(issue.episodes)
    for script in scripts:
        language = script.language
        for index, part in script.segments.items():
            name = _segment_path(issue.picks[index], language)
            audio[index][language] = Segment(name, round(results[name].seconds, 3), part.voice_label, part.text)
        name = f"episode.{language}.mp3"
        result = results.get(name)
        if result is None:
            raise RadioError(f"episode {name} was not written")
        chapters = tuple(Chapter(part.chapter, start) for part, start in zip(script.episode, result.starts, strict=True)
                         if part.chapter)
        voices = " + ".join(dict.fromkeys(line.voice.label for part in script.episode for line in part.lines))
        text = "\n\n".join(part.text for part in script.episode)
        episodes[language] = Episode(language, Segment(name, round(result.seconds, 3), voices, text), chapters,
                                     result.loudness_lufs, result.true_peak_dbfs)
    picks = tuple(dataclasses.replace(p, audio=audio[i]) for i, p in enumerate(issue.picks))
    return dataclasses.replace(issue, picks=picks, episodes=episodes)
