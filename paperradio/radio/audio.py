"""Audio signal work on mono float32 arrays: silence and joining, resampling, loudness (pyloudnorm,
ITU-R BS.1770), true peak by 4x oversampling, a look-ahead limiter, mastering to a loudness target under a
true-peak ceiling, and MP3 files (soundfile / libsndfile).

Mastering never clips: gain is set from the measured integrated loudness, peaks that would pass the
ceiling are pulled down by the limiter, and the file written is decoded again and measured, so the numbers
reported are those of the final MP3.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyloudnorm
import soundfile as sf

__all__ = ["Mastered", "db_to_gain", "join", "level", "loudness", "master", "read_audio", "resample",
           "silence", "true_peak", "write_mp3"]

log = logging.getLogger(__name__)

Samples = npt.NDArray[np.float32]

SILENT_LUFS = -70.0
"""What :func:`loudness` reports for silence (the absolute gate of BS.1770)."""

_TAPS = 12
"""Half length, in input samples, of the windowed-sinc interpolator used for true peak."""
_BLOCK = 1 << 20


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def silence(seconds: float, rate: int) -> Samples:
    return np.zeros(max(0, round(seconds * rate)), dtype=np.float32)


def join(parts: list[Samples], gap: float, rate: int) -> Samples:
    """Concatenate ``parts`` with ``gap`` seconds of silence between them (none at the ends)."""
    pause = silence(gap, rate)
    pieces: list[Samples] = []
    for i, part in enumerate(parts):
        if i and pause.size:
            pieces.append(pause)
        pieces.append(np.asarray(part, dtype=np.float32))
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


def resample(samples: Samples, source_rate: int, target_rate: int) -> Samples:
    """Band-limited resampling through the FFT (zero-padded so the ends do not wrap into each other)."""
    if source_rate == target_rate or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    pad = min(samples.size, source_rate // 10)
    padded = np.concatenate([np.zeros(pad), samples.astype(np.float64), np.zeros(pad)])
    n_in = padded.size
    n_out = round(n_in * target_rate / source_rate)
    spectrum = np.fft.rfft(padded)
    bins = n_out // 2 + 1
    if bins <= spectrum.size:
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(bins - spectrum.size, dtype=spectrum.dtype)])
    out = np.fft.irfft(spectrum, n_out) * (n_out / n_in)
    cut = round(pad * target_rate / source_rate)
    length = round(samples.size * target_rate / source_rate)
    return out[cut: cut + length].astype(np.float32)


# --- measurement -----------------------------------------------------------------------------------

def loudness(samples: Samples, rate: int) -> float:
    """Integrated loudness in LUFS (pyloudnorm); :data:`SILENT_LUFS` for silence. Clips shorter than
    one 400 ms gating block are measured padded with silence, which the gate ignores."""
    data = samples.astype(np.float64)
    minimum = int(0.5 * rate)
    if data.size < minimum:
        data = np.concatenate([data, np.zeros(minimum - data.size)])
    value = float(pyloudnorm.Meter(rate).integrated_loudness(data))
    return value if math.isfinite(value) and value > SILENT_LUFS else SILENT_LUFS


def _interpolators() -> npt.NDArray[np.float64]:
    """Filters giving the signal at t + 1/4, t + 2/4 and t + 3/4 from the samples around t (Hann-windowed
    sinc, 2 x _TAPS taps each); their outputs interleaved with the input are the 4x oversampled signal."""
    offsets = np.arange(-_TAPS, _TAPS)
    rows = []
    for phase in (0.25, 0.5, 0.75):
        t = offsets + phase
        window = 0.5 * (1.0 + np.cos(np.pi * t / (_TAPS + 1)))
        rows.append(np.sinc(t) * window)
    return np.array(rows)


_FILTERS = _interpolators()


def _peak_envelope(samples: Samples) -> Samples:
    """Per input sample, the largest absolute value of the 4x oversampled signal in [t, t + 1)."""
    x = samples.astype(np.float32, copy=False)
    envelope = np.abs(x)
    for start in range(0, x.size, _BLOCK):
        lo, hi = max(0, start - _TAPS), min(x.size, start + _BLOCK + _TAPS)
        block = x[lo:hi]
        for taps in _FILTERS:
            # y[n] = sum_j x[n - j] * h(j + phase), j in [-_TAPS, _TAPS)
            full = np.convolve(block, taps.astype(np.float32))
            phase = full[_TAPS: _TAPS + block.size]
            sl = slice(start - lo, start - lo + min(_BLOCK, x.size - start))
            np.maximum(envelope[start: start + _BLOCK], np.abs(phase[sl]), out=envelope[start: start + _BLOCK])
    return envelope


def true_peak(samples: Samples) -> float:
    """True peak in dBTP (dBFS of the 4x oversampled signal); -inf for silence."""
    if samples.size == 0:
        return -math.inf
    peak = float(_peak_envelope(samples).max())
    return 20.0 * math.log10(peak) if peak > 0 else -math.inf


# --- limiting and mastering ------------------------------------------------------------------------

def _moving_min(x: npt.NDArray[np.float64], before: int, after: int) -> npt.NDArray[np.float64]:
    """out[n] = min(x[n - before : n + after + 1]) in O(n) (van Herk / Gil-Werman)."""
    width = before + after + 1
    n = x.size
    padded_len = -(-(n + width - 1) // width) * width
    padded = np.ones(padded_len)
    padded[before: before + n] = x
    blocks = padded.reshape(-1, width)
    prefix = np.minimum.accumulate(blocks, axis=1).reshape(-1)
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].reshape(-1)
    return np.minimum(suffix[:n], prefix[width - 1: width - 1 + n])


def _moving_mean(x: npt.NDArray[np.float64], width: int) -> npt.NDArray[np.float64]:
    """out[n] = mean(x[n - width + 1 : n + 1]), with x taken as 1 before the start."""
    cumulative = np.cumsum(np.concatenate([np.ones(width), x]))
    return (cumulative[width:] - cumulative[:-width]) / width


def limit(samples: Samples, rate: int, ceiling_db: float, attack: float = 0.003, hold: float = 0.03) -> Samples:
    """Pull true peaks above ``ceiling_db`` down with a smooth look-ahead gain that never exceeds what
    each sample needs (min filter over attack + hold, then a moving average over attack)."""
    ceiling = db_to_gain(ceiling_db)
    envelope = _peak_envelope(samples).astype(np.float64)
    if envelope.size == 0 or envelope.max() <= ceiling:
        return samples
    need = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
    width = max(1, round(attack * rate))
    held = _moving_min(need, round(hold * rate), width - 1)
    gain = _moving_mean(held, width)
    return (samples * gain).astype(np.float32)


def level(samples: Samples, rate: int, target_lufs: float, max_gain_db: float = 30.0) -> Samples:
    """Gain (no limiting) that brings the clip to ``target_lufs``; silence is left alone."""
    measured = loudness(samples, rate)
    if measured <= SILENT_LUFS:
        return samples
    change = max(-max_gain_db, min(max_gain_db, target_lufs - measured))
    return (samples * db_to_gain(change)).astype(np.float32)


@dataclass(frozen=True)
class Mastered:
    samples: Samples
    loudness_lufs: float
    true_peak_dbfs: float


def master(samples: Samples, rate: int, target_lufs: float, ceiling_db: float, rounds: int = 4) -> Mastered:
    """Bring the signal to ``target_lufs`` integrated loudness with its true peak at most ``ceiling_db``."""
    source = samples.astype(np.float32)
    measured = loudness(source, rate)
    if measured <= SILENT_LUFS:
        return Mastered(source, measured, true_peak(source))
    gain_db = target_lufs - measured
    x = source
    for _ in range(rounds):
        # limiting takes some loudness away; raise the gain by what is missing and limit the source again
        x = limit((source * db_to_gain(gain_db)).astype(np.float32), rate, ceiling_db)
        measured = loudness(x, rate)
        if abs(measured - target_lufs) < 0.05:
            break
        gain_db += target_lufs - measured
    peak = true_peak(x)
    if peak > ceiling_db:  # the limiter's gain curve is a hair off at sharp peaks: trim, never clip
        x = (x * db_to_gain(ceiling_db - peak - 0.01)).astype(np.float32)
        measured, peak = loudness(x, rate), true_peak(x)
    return Mastered(x, measured, peak)


# --- files -----------------------------------------------------------------------------------------

def read_audio(path: Path) -> tuple[Samples, int]:
    """Mono float32 samples and sample rate of an audio file soundfile can read (WAV, FLAC, MP3...)."""
    data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    return np.ascontiguousarray(data.mean(axis=1), dtype=np.float32), int(rate)


def write_mp3(path: Path, samples: Samples, rate: int, target_lufs: float, ceiling_db: float,
              margin_db: float = 0.5) -> Mastered:
    """Master ``samples`` and write them as MP3, atomically. The encoder can raise inter-sample peaks, so
    mastering aims ``margin_db`` below the ceiling, and the written file is decoded and measured; if it
    still peaks above the ceiling it is re-encoded quieter. Returns the measurements of the decoded file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mastered = master(samples, rate, target_lufs, ceiling_db - margin_db)
    x = mastered.samples
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    for _ in range(4):
        sf.write(str(tmp), x, rate, format="MP3")
        decoded, _rate = read_audio(tmp)
        peak = true_peak(decoded)
        if peak <= ceiling_db or peak == -math.inf:
            break
        log.debug("%s: encoded true peak %.2f dBTP above %.2f; re-encoding quieter", path.name, peak, ceiling_db)
        x = (x * db_to_gain(ceiling_db - peak - 0.1)).astype(np.float32)
    os.replace(tmp, path)
    return Mastered(decoded, loudness(decoded, rate), peak)
