"""Radio stage: speak each pick and the whole issue, per edition language.

    run(issue, settings) -> issue with Pick.audio[lang] and Issue.episodes[lang]
    run(issue, settings, script_files=[path]) -> the same, saying what the edited script files say

Modules: ``script`` (what is said), ``scriptfile`` (scripts as editable text files), ``speech`` (text
normalization), ``engines`` (TTS engines by name), ``audio`` (signal work, loudness, mastering), ``mp3`` (MP3
frames: encoding, joining), ``render`` (speech and clip caches, joining files, worker processes).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import RadioError
from ..models import Chapter, Episode, Issue, Pick, Segment
from .engines import Engine, EngineOptions, SpeechService, create_engine
from .render import ClipRef, FileResult, FileTask, LineJob, PartRef, cache_path, clip_path, line_key, render_all
from .script import Part, Script, Voice, episode_script
from .scriptfile import apply_script, read_script, script_text
from .transcript import webvtt

__all__ = ["run"]

log = logging.getLogger(__name__)

MANIFEST = "radio.json"
"""Index of the files written for an issue and the recipe each was made from, in its audio folder."""


def _episode_path(language: str) -> str:
    return f"episode.{language}.mp3"


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


@dataclass(frozen=True)
class _Plan:
    """What a run has to do: lines to speak and files to write (each with the cache files it needs)."""

    lines: list[LineJob]
    files: dict[str, tuple[FileTask, frozenset[str]]]
    speakers: dict[str, list[str]]
    """Clip file -> the parts saying its line, as "<language> <part key>" (for messages)."""


def _plan(issue: Issue, scripts: list[Script], settings: Settings, out_dir: Path) -> _Plan:
    engines = _engines(scripts, _options(settings))
    rate = max((e.sample_rate for e in engines.values()), default=22050)
    paths: dict[tuple[Voice, str], str] = {}
    jobs: dict[str, LineJob] = {}
    speakers: dict[str, list[str]] = {}
    for script in scripts:
        for part in script.episode:  # every segment is part of the episode
            for line in part.lines:
                if (line.voice, line.text) in paths:
                    speakers[paths[(line.voice, line.text)]].append(f"{script.language} {part.key}")
                    continue
                engine = engines[line.voice]
                key = line_key(line.text, engine.name, line.voice.name, engine.version)
                clip = clip_path(settings.cache_dir, key, rate, settings.loudness_lufs, settings.true_peak_dbfs)
                paths[(line.voice, line.text)] = str(clip)
                speakers[str(clip)] = [f"{script.language} {part.key}"]
                if not clip.with_suffix(".json").is_file():
                    jobs[str(clip)] = LineJob(engine.name, engine.voice, line.text,
                                              str(cache_path(settings.cache_dir, key)), str(clip), rate,
                                              settings.loudness_lufs, settings.true_peak_dbfs)

    def task(parts: tuple[Part, ...], output: str) -> tuple[FileTask, frozenset[str]]:
        refs = tuple(PartRef(tuple(ClipRef(paths[(ln.voice, ln.text)], ln.pause) for ln in p.lines), p.pause)
                     for p in parts)
        return FileTask(str(out_dir / output), refs, rate), frozenset(c.path for r in refs for c in r.clips)

    files: dict[str, tuple[FileTask, frozenset[str]]] = {}
    for script in scripts:
        for index, part in script.segments.items():
            name = _segment_path(issue.picks[index], script.language)
            files[name] = task((dataclasses.replace(part, pause=0.0),), name)
        files[_episode_path(script.language)] = task(script.episode, _episode_path(script.language))
    return _Plan(list(jobs.values()), files, speakers)


def _options(settings: Settings) -> EngineOptions:
    # one compute thread per engine: on 2 cores, 2 single-threaded piper workers render 48x real time,
    # 2 workers with onnxruntime's default thread pool only 29x
    return EngineOptions(threads=1, voices_dir=settings.home / "voices", service=SpeechService.from_settings(settings))


def _script_path(language: str) -> str:
    return f"script.{language}.txt"


def _scripts(issue: Issue, settings: Settings, script_files: Sequence[Path], out_dir: Path,
             manifest: dict[str, Any]) -> tuple[dict[str, Script], set[str]]:
    """Each edition's script: from an edited script file given, else from the edited script rendered last
    time (edits stick until that file is deleted), else from the issue; and the editions that differ
    from the issue's."""
    scripts = {language: episode_script(issue, settings, language) for language in dict.fromkeys(settings.editions)}
    edited: dict[str, Script] = {}
    for path in script_files:
        edits = read_script(path)
        if edits.language not in scripts:
            raise RadioError(f"{path}: edition {edits.language!r} is not one of the editions "
                             f"({', '.join(scripts)})")
        edited[edits.language] = apply_script(issue, scripts[edits.language], edits, settings)
    for language in scripts.keys() - edited.keys():
        path = out_dir / _script_path(language)
        entry = manifest.get(path.name)
        if not (isinstance(entry, dict) and entry.get("edited") and path.is_file()
                and _digest(path.read_text(encoding="utf-8", errors="replace")) == entry.get("recipe")):
            continue
        try:
            edited[language] = apply_script(issue, scripts[language], read_script(path), settings)
            log.info("radio %s: speaking the edited script %s", issue.week, path)
        except RadioError as exc:
            log.warning("the edited script no longer fits week %s (%s); speaking the issue's text", issue.week, exc)
    chosen = {language: edited.get(language, script) for language, script in scripts.items()}
    return chosen, {language for language, script in edited.items() if script != scripts[language]}


def _write_scripts(issue: Issue, scripts: dict[str, Script], edited: set[str], out_dir: Path,
                   manifest: dict[str, Any]) -> None:
    """Write each edition's script file. A file the editor changed that is not spoken now (edited since
    it was written, or an edited script that no longer fits the issue) is kept beside it, not overwritten."""
    for language, script in scripts.items():
        name = _script_path(language)
        path = out_dir / name
        text = script_text(issue, script)
        entry = manifest.get(name)
        entry = entry if isinstance(entry, dict) else {}
        if path.is_file() and language not in edited:
            current = path.read_text(encoding="utf-8", errors="replace")
            if current != text and entry and (_digest(current) != entry.get("recipe") or entry.get("edited")):
                kept = path.with_name(f"script.{language}.edited.txt")
                path.replace(kept)
                log.warning("%s had edits that are not spoken; kept them in %s (render them with --from-script)",
                            path, kept)
        path.write_text(text, encoding="utf-8")
        manifest[name] = {"recipe": _digest(text), "edited": language in edited}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run(issue: Issue, settings: Settings, progress: Callable[[int], object] | None = None,
        script_files: Sequence[Path] = ()) -> Issue:
    """Render a spoken segment per pick (per edition language) and one full episode per language.

    Audio goes under ``settings.home / "audio" / str(issue.week)``; ``Segment.path`` is relative to that
    folder (e.g. "en/featured-01-2604.10000.mp3", "episode.en.mp3"). Returns the issue with
    ``Pick.audio[lang]`` and ``Issue.episodes[lang]`` filled. ``progress(1)`` is called as each pick's
    segment is done, ``len(issue.picks) * len(settings.editions)`` times in all (an increment, as
    tqdm's and click's ``update`` expect); the episodes come after.

    Speech is cached by text, engine, voice and engine version under ``settings.cache_dir / "tts"``, each
    line's mastered MP3 clip under ``settings.cache_dir / "clips"``, and files already written from the same
    clips are kept: a re-run renders nothing, and after an edit only the changed lines are spoken.
    A line the engine could speak only in part (a chunk left out after retrying) is used in this run's files
    but not cached, and a warning names its segments: the next run asks the engine for it again.
    Each edition's script is written beside its episode as ``script.<language>.txt``. ``script_files``
    are such files, edited: their editions say what the files say instead of what the issue gives, and
    keep doing so in later runs until the edited script is deleted or no longer fits the issue.

    Worker processes are spawned: a script calling this needs an ``if __name__ == "__main__":`` guard.
    """
    started = time.monotonic()
    out_dir = settings.home / "audio" / str(issue.week)
    manifest_path = out_dir / MANIFEST
    manifest = _load_manifest(manifest_path)
    by_language, edited = _scripts(issue, settings, script_files, out_dir, manifest)
    scripts = list(by_language.values())
    plan = _plan(issue, scripts, settings, out_dir)

    def done(name: str) -> None:
        if progress and not name.startswith("episode."):
            progress(1)

    results: dict[str, FileResult] = {}
    todo: dict[str, tuple[FileTask, frozenset[str]]] = {}
    uncached = {job.clip for job in plan.lines}
    for name, (file_task, deps) in plan.files.items():
        entry = manifest.get(name)
        # a file with a line missing from the clip cache is made again (the line may have been incomplete)
        if (isinstance(entry, dict) and entry.get("recipe") == file_task.recipe() and (out_dir / name).is_file()
                and not deps & uncached):
            try:
                results[name] = FileResult.from_dict(file_task.output, entry)
                done(name)
                continue
            except (KeyError, TypeError, ValueError):
                pass
        todo[name] = (file_task, deps)
    kept = len(results)

    names = {file_task.output: name for name, (file_task, _deps) in todo.items()}

    def finished(result: FileResult) -> None:
        name = names[result.output]
        results[name] = result
        manifest[name] = {"recipe": todo[name][0].recipe(), **result.to_dict()}
        done(name)

    out_dir.mkdir(parents=True, exist_ok=True)
    incomplete: dict[str, tuple[str, ...]] = {}
    try:
        if todo:
            incomplete = render_all(plan.lines, list(todo.values()), settings.workers, _options(settings), finished)
        _write_scripts(issue, by_language, edited, out_dir, manifest)
    finally:
        _save_manifest(manifest_path, manifest)
    for clip, left_out in incomplete.items():
        log.warning("radio %s: %s is incomplete, not cached (a re-run tries again): %s", issue.week,
                    " and ".join(dict.fromkeys(plan.speakers[clip])), "; ".join(left_out))

    log.info("radio %s: %d lines spoken, %d files written, %d kept, %d editions in %.1f s", issue.week,
             len(plan.lines), len(results) - kept, kept, len(scripts), time.monotonic() - started)
    return _fill(issue, scripts, results, out_dir)


def _save_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def _fill(issue: Issue, scripts: list[Script], results: dict[str, FileResult], out_dir: Path) -> Issue:
    """The issue with each pick's segments and each edition's episode (with its WebVTT transcript)."""
    audio: dict[int, dict[str, Segment]] = {i: dict(p.audio) for i, p in enumerate(issue.picks)}
    episodes = dict(issue.episodes)
    for script in scripts:
        language = script.language
        for index, part in script.segments.items():
            name = _segment_path(issue.picks[index], language)
            audio[index][language] = Segment(name, round(results[name].seconds, 3), part.voice_label, part.text)
        name = _episode_path(language)
        result = results.get(name)
        if result is None:
            raise RadioError(f"episode {name} was not written")
        chapters = tuple(Chapter(part.chapter, start) for part, start in zip(script.episode, result.starts, strict=True)
                         if part.chapter)
        voices = " + ".join(dict.fromkeys(line.voice.label for part in script.episode for line in part.lines))
        text = "\n\n".join(part.text for part in script.episode)
        transcript = f"episode.{language}.vtt"
        (out_dir / transcript).write_text(
            webvtt([part.text for part in script.episode], result.starts, result.seconds), encoding="utf-8")
        episodes[language] = Episode(language, Segment(name, round(result.seconds, 3), voices, text), chapters,
                                     result.loudness_lufs, result.true_peak_dbfs, transcript)
    picks = tuple(dataclasses.replace(p, audio=audio[i]) for i, p in enumerate(issue.picks))
    return dataclasses.replace(issue, picks=picks, episodes=episodes)
