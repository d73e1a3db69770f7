"""Rendering: speech lines to cached, mastered MP3 clips, then files joined from clips, over worker processes.

Every line is synthesized once into the speech cache (``settings.cache_dir / "tts"``), keyed by a hash of
(text, engine, voice, engine version), as a float WAV. From it the line is mastered on its own (loudness
target, true-peak ceiling) and encoded once into the clip cache (``settings.cache_dir / "clips"``), keyed by
the speech key and the mastering settings, with its measurements beside it. An output file (a pick's
segment, an episode) is then the clips' MP3 frames joined with silent frames for the pauses (see
:mod:`.mp3`): no decoding, mastering or encoding, so an edited script costs only its changed lines. Its
loudness is computed from the clips' gating blocks and its true peak is the clips' highest (silence between
clips adds neither).

A file is joined, in this process, as soon as all of its clips exist, so segments finish (and the progress
bar moves) while other lines are still being spoken. Each worker process creates its engines once and
keeps them, so the piper model is loaded once per worker. With ``workers <= 1``, or little to say, lines are
rendered in this process.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import math
import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import numpy as np
import soundfile as sf

from ..errors import RadioError
from . import audio, mp3
from .engines import Engine, EngineOptions, create_engine

__all__ = ["ClipRef", "FileResult", "FileTask", "LineJob", "LineResult", "PartRef", "cache_path", "clip_path",
           "line_key", "render_all", "write_file"]

log = logging.getLogger(__name__)

RECIPE_VERSION = 2
"""Bump when joining changes, so written files are rebuilt."""
CACHE_FORMAT = 1
"""Bump when what a speech cache file holds changes."""
CLIP_FORMAT = 3
"""Bump when mastering or encoding a clip changes."""
JOIN_CONTEXT = 0.4
"""Seconds of silence a clip is mastered and measured between: about the pause around a line."""
REFERENCE_LUFS = -20.0
"""Cached speech is trimmed and levelled to this loudness."""
INLINE_CHARS = 1500
"""Below this much text to speak (about a minute and a half), starting worker processes and loading the
voice in each costs more than it saves: lines are rendered in this process."""


def line_key(text: str, engine: str, voice: str, version: str) -> str:
    """The speech cache key of a line: a hash of text, engine, voice and engine version."""
    payload = json.dumps([CACHE_FORMAT, text, engine, voice, version], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "tts" / key[:2] / f"{key}.wav"


def clip_path(cache_dir: Path, speech_key: str, rate: int, loudness_lufs: float, true_peak_dbfs: float) -> Path:
    """The clip cache file of a line's speech mastered to these settings (its measurements: ``.json``)."""
    payload = json.dumps([CLIP_FORMAT, speech_key, rate, loudness_lufs, true_peak_dbfs, mp3.CBR_LEVEL])
    key = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return cache_dir / "clips" / key[:2] / f"{key}.mp3"


def _measurements(clip: Path) -> Path:
    return clip.with_suffix(".json")


@dataclass(frozen=True)
class LineJob:
    engine: str
    voice: str
    text: str
    speech: str
    """Speech cache file (read if it exists, else written)."""
    clip: str
    """Clip cache file to write."""
    rate: int
    loudness_lufs: float
    true_peak_dbfs: float


@dataclass(frozen=True)
class ClipRef:
    path: str
    """Clip cache file of a line."""
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

    def recipe(self) -> str:
        """A hash of everything the written file depends on (clip files are content-addressed)."""
        layout = [[[Path(c.path).stem, c.pause] for c in p.clips] + [p.pause] for p in self.parts]
        payload = json.dumps([RECIPE_VERSION, layout, self.rate])
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
    _ENGINES.clear()


def _engine(name: str, voice: str) -> Engine:
    key = (name, voice)
    if key not in _ENGINES:
        _ENGINES[key] = create_engine(name, voice, _OPTIONS)
    return _ENGINES[key]


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise RadioError(f"cannot write {path}: {exc}") from None


@dataclass(frozen=True)
class LineResult:
    clip: str
    """Clip file written for the line."""
    left_out: tuple[str, ...] = ()
    """Chunks of the line the engine could not speak (see ChunkFailure): the clip is good for this run only,
    and is not kept in the caches, so the next run asks the engine again."""


def _speech(job: LineJob) -> tuple[audio.Samples, int, tuple[str, ...]]:
    """The line's speech from the speech cache, synthesized (trimmed, levelled) and cached if missing, and
    the chunks the engine left out of it (speech with a gap is not cached)."""
    path = Path(job.speech)
    if path.is_file():
        try:
            return (*audio.read_audio(path), ())
        except (OSError, sf.LibsndfileError):
            log.warning("unreadable speech cache file %s; speaking the line again", path)
    engine = _engine(job.engine, job.voice)
    failures: list[Any] = getattr(engine, "failures", [])  # optional in the Engine protocol
    known = len(failures)
    samples = audio.trim(engine.synthesize(job.text), engine.sample_rate)
    samples = audio.level(samples, engine.sample_rate, REFERENCE_LUFS)
    left_out = tuple(str(failure) for failure in failures[known:])
    if not left_out:
        buffer = io.BytesIO()
        sf.write(buffer, samples, engine.sample_rate, subtype="FLOAT", format="WAV")
        _write_atomically(path, buffer.getvalue())
    return samples, engine.sample_rate, left_out


def render_line(job: LineJob) -> LineResult:
    """Speak one line (unless its speech is cached), master and encode it into its clip cache file, with
    its measurements beside it (written last: a clip counts as cached once they exist)."""
    samples, rate, left_out = _speech(job)
    samples = audio.resample(samples, rate, job.rate)
    if samples.size == 0:  # nothing audible was said: a short silence keeps the clip a valid stream
        samples = audio.silence(0.1, job.rate)
    encoded = audio.encode_mastered(samples, job.rate, job.loudness_lufs, job.true_peak_dbfs, context=JOIN_CONTEXT)
    clip = encoded.clip
    path = Path(job.clip)
    _write_atomically(path, clip.data)
    measured = {"frames": clip.frames, "samples_per_frame": clip.samples_per_frame, "lead": clip.lead,
                "tail": clip.tail, "true_peak_dbfs": encoded.true_peak_dbfs,
                "powers": [float(f"{p:.6g}") for p in encoded.powers]}
    _write_atomically(_measurements(path), json.dumps(measured).encode("utf-8"))
    return LineResult(job.clip, left_out)


def _uncache(clip: str) -> None:
    """Remove a clip from the clip cache (measurements first: without them it does not count as cached)."""
    for path in (_measurements(Path(clip)), Path(clip)):
        path.unlink(missing_ok=True)


# --- joining ---------------------------------------------------------------------------------------

def write_file(task: FileTask) -> FileResult:
    """Join the task's clips, with silent frames for the pauses, into one MP3 file (written atomically);
    returns its length, part starts, loudness (from the clips' gating blocks) and true peak."""
    rate = task.rate
    pieces: list[bytes] = []
    powers: list[np.ndarray[Any, np.dtype[np.float64]]] = []
    starts: list[float] = []
    peak = -math.inf
    position = 0  # samples
    pause: float | None = None  # after the clip just joined
    tail, per_frame = 0, 1
    last = b""
    for part in task.parts:
        for i, ref in enumerate(part.clips):
            path = Path(ref.path)
            try:
                data = path.read_bytes()
                measured = json.loads(_measurements(path).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise RadioError(f"cannot read the clip cache file {path}: {exc}") from None
            per_frame = int(measured["samples_per_frame"])
            if pause is not None:  # the heard gap is the pause: the clips' own silent ends count towards it
                frames = max(0, round((pause * rate - tail - int(measured["lead"])) / per_frame))
                pieces.append(mp3.silent_frames(data, frames))
                position += frames * per_frame
            if i == 0:
                starts.append(position / rate)
            pieces.append(data)
            position += int(measured["frames"]) * per_frame
            powers.append(np.asarray(measured["powers"], dtype=np.float64))
            peak = max(peak, float(measured["true_peak_dbfs"]))
            pause = ref.pause if i < len(part.clips) - 1 else part.pause
            tail, last = int(measured["tail"]), data
    if pause and last:  # a pause after the last part too
        frames = max(0, round((pause * rate - tail) / per_frame))
        pieces.append(mp3.silent_frames(last, frames))
        position += frames * per_frame
    _write_atomically(Path(task.output), b"".join(pieces))
    loudness = audio.gated_loudness(np.concatenate(powers)) if powers else audio.SILENT_LUFS
    return FileResult(task.output, position / rate, round(loudness, 2), round(peak, 2),
                      tuple(round(s, 3) for s in starts))


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
               options: EngineOptions, on_file: Callable[[FileResult], None]) -> dict[str, tuple[str, ...]]:
    """Render ``lines`` into the clip cache and write ``files`` (each with the clip paths it needs),
    calling ``on_file`` as each file is written. Files whose clips are all cached are written first.

    Returns the clips of lines the engine left chunks out of, with what was left out: they are used for
    the files of this run, then removed from the cache so that the next run speaks them again."""
    if sum(len(job.text) for job in lines) < INLINE_CHARS:
        # in this process the engine may use every core
        workers, options = 1, dataclasses.replace(options, threads=max(1, workers, options.threads))
    missing = {job.clip for job in lines}
    queue = deque(lines)
    waiting = list(files)
    in_flight: dict[Future[LineResult], LineJob] = {}
    incomplete: dict[str, tuple[str, ...]] = {}
    limit = max(1, workers) + 1

    def write_ready() -> None:
        for ready in [f for f in waiting if not (f[1] & missing)]:
            waiting.remove(ready)
            on_file(write_file(ready[0]))

    try:
        with _executor(workers, options) as pool:
            while queue or waiting or in_flight:
                while queue and len(in_flight) < limit:
                    job = queue.popleft()
                    in_flight[pool.submit(render_line, job)] = job
                write_ready()
                if not in_flight:
                    if waiting:
                        raise RadioError("radio rendering is stuck: a file needs a line that is not scheduled")
                    break
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    in_flight.pop(future)
                    result = future.result()
                    missing.discard(result.clip)
                    if result.left_out:
                        incomplete[result.clip] = result.left_out
    except BrokenProcessPool:
        raise RadioError("a radio worker process died; retry with workers = 1 (a script calling radio.run "
                         "needs an `if __name__ == \"__main__\":` guard, as worker processes are spawned)") from None
    finally:
        for clip in incomplete:
            _uncache(clip)
    return incomplete
