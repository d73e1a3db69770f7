"""Rendering: speech lines to cached audio, then parts to mastered MP3 files, over worker processes.

Every line is synthesized once into the speech cache (``settings.cache_dir / "tts"``), keyed by a hash of
(text, engine, voice, engine version), as a float WAV. An output file is assembled from cached lines as
soon as all of its lines exist, so segments finish (and the progress bar moves) while other lines are still
being spoken. Each worker process creates its engines once and keeps them, so the piper model is loaded once
per worker. With ``workers <= 1`` everything runs in this process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import numpy as np
import soundfile as sf

from ..errors import RadioError
from . import audio
from .engines import Engine, EngineOptions, create_engine

__all__ = ["ClipRef", "FileResult", "FileTask", "LineJob", "PartRef", "cache_path", "line_key", "render_all"]

log = logging.getLogger(__name__)

RECIPE_VERSION = 1
"""Bump when assembly or mastering changes, so written files are rebuilt."""
CACHE_FORMAT = 1
"""Bump when what a speech cache file holds changes."""
REFERENCE_LUFS = -20.0
"""Cached lines are trimmed and levelled to this loudness, so assembling needs no measuring."""


def line_key(text: str, engine: str, voice: str, version: str) -> str:
    """The speech cache key of a line: a hash of text, engine, voice and engine version."""
    payload = json.dumps([CACHE_FORMAT, text, engine, voice, version], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "tts" / key[:2] / f"{key}.wav"


@dataclass(frozen=True)
class LineJob:
    engine: str
    voice: str
    text: str
    path: str
    """Cache file to write."""


@dataclass(frozen=True)
class ClipRef:
    path: str
    """Cache file of a line."""
    pause: float
    """Seconds of silence after the line (unless it ends its part)."""


@dataclass(frozen=True)
class PartRef:
    clips: tuple[ClipRef, ...]
    pause: float


@dataclass(frozen=True)
class FileTask:
    output: str
    parts: tuple[PartRef, ...]
    rate: int
    loudness_lufs: float
    true_peak_dbfs: float

    def recipe(self) -> str:
        """A hash of everything the written file depends on (cache files are content-addressed)."""
        layout = [[[Path(c.path).stem, c.pause] for c in p.clips] + [p.pause] for p in self.parts]
        payload = json.dumps([RECIPE_VERSION, layout, self.rate, self.loudness_lufs, self.true_peak_dbfs])
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FileResult:
    output: str
    seconds: float
    loudness_lufs: float
    true_peak_dbfs: float
    starts: tuple[float, ...]
    """Start of each part, seconds from the beginning of the file."""

    def to_dict(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "loudness_lufs": self.loudness_lufs,
                "true_peak_dbfs": self.true_peak_dbfs, "starts": list(self.starts)}

    @classmethod
    def from_dict(cls, output: str, data: dict[str, Any]) -> FileResult:
        return cls(output, float(data["seconds"]), float(data["loudness_lufs"]), float(data["true_peak_dbfs"]),
                   tuple(float(s) for s in data["starts"]))


# --- worker side -----------------------------------------------------------------------------------

_OPTIONS = EngineOptions()
_ENGINES: dict[tuple[str, str], Engine] = {}


def _init_worker(options: EngineOptions) -> None:
    global _OPTIONS
    _OPTIONS = options


def _engine(name: str, voice: str) -> Engine:
    key = (name, voice)
    if key not in _ENGINES:
        _ENGINES[key] = create_engine(name, voice, _OPTIONS)
    return _ENGINES[key]


def synthesize_line(job: LineJob) -> str:
    """Speak one line into its cache file (trimmed, levelled, written atomically); returns its path."""
    engine = _engine(job.engine, job.voice)
    samples = audio.trim(engine.synthesize(job.text), engine.sample_rate)
    samples = audio.level(samples, engine.sample_rate, REFERENCE_LUFS)
    path = Path(job.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        sf.write(str(tmp), samples, engine.sample_rate, subtype="FLOAT", format="WAV")
        os.replace(tmp, path)
    except (OSError, sf.LibsndfileError) as exc:
        raise RadioError(f"cannot write the speech cache file {path}: {exc}") from None
    return job.path


def assemble(parts: Iterable[PartRef], rate: int, target_lufs: float) -> tuple[audio.Samples, list[float]]:
    """Join cached lines into one signal: each line resampled to ``rate`` and brought to ``target_lufs``,
    with its pause after it; returns the signal and the start of each part in seconds."""
    gain = np.float32(audio.db_to_gain(target_lufs - REFERENCE_LUFS))
    pieces: list[audio.Samples] = []
    starts: list[float] = []
    position = 0
    for part in parts:
        starts.append(position / rate)
        for i, clip in enumerate(part.clips):
            samples, clip_rate = audio.read_audio(Path(clip.path))
            samples = audio.resample(samples, clip_rate, rate) * gain
            pause = clip.pause if i < len(part.clips) - 1 else part.pause
            pieces += [samples, audio.silence(pause, rate)]
            position += samples.size + pieces[-1].size
    signal = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    return signal, starts


def write_file(task: FileTask) -> FileResult:
    """Assemble, master and write one MP3; returns its measurements (of the decoded file)."""
    try:
        signal, starts = assemble(task.parts, task.rate, task.loudness_lufs)
        written = audio.write_mp3(Path(task.output), signal, task.rate, task.loudness_lufs, task.true_peak_dbfs)
    except (OSError, sf.LibsndfileError) as exc:
        raise RadioError(f"cannot write {task.output}: {exc}") from None
    return FileResult(task.output, written.samples.size / task.rate, round(written.loudness_lufs, 2),
                      round(written.true_peak_dbfs, 2), tuple(round(s, 3) for s in starts))


# --- scheduling ------------------------------------------------------------------------------------

P = ParamSpec("P")
T = TypeVar("T")


class _InlineExecutor(Executor):
    """Runs each call at once in this process (for workers <= 1)."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # delivered through the future, like a process pool does
            future.set_exception(exc)
        return future


def _executor(workers: int, options: EngineOptions) -> Executor:
    if workers <= 1:
        _init_worker(options)
        return _InlineExecutor()
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(options,))


def render_all(lines: list[LineJob], files: list[tuple[FileTask, frozenset[str]]], workers: int,
               options: EngineOptions, on_file: Callable[[FileResult], None]) -> None:
    """Synthesize ``lines`` and write ``files`` (each with the cache paths it needs), calling ``on_file``
    as each file is written. Files whose lines are all cached start first."""
    missing = {job.path for job in lines}
    queue = deque(lines)
    waiting = list(files)
    in_flight: dict[Future[Any], LineJob | FileTask] = {}
    limit = max(1, workers) + 1
    try:
        with _executor(workers, options) as pool:
            while queue or waiting or in_flight:
                for ready in [f for f in waiting if not (f[1] & missing)]:
                    waiting.remove(ready)
                    in_flight[pool.submit(write_file, ready[0])] = ready[0]
                while queue and sum(isinstance(v, LineJob) for v in in_flight.values()) < limit:
                    job = queue.popleft()
                    in_flight[pool.submit(synthesize_line, job)] = job
                if not in_flight:
                    raise RadioError("radio rendering is stuck: a file needs a line that is not scheduled")
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    item = in_flight.pop(future)
                    result = future.result()
                    if isinstance(item, LineJob):
                        missing.discard(item.path)
                    else:
                        on_file(result)
    except BrokenProcessPool:
        raise RadioError("a radio worker process died; retry with workers = 1 (a script calling radio.run "
                         "needs an `if __name__ == \"__main__\":` guard, as worker processes are spawned)") from None
