"""Audio signal work on mono float32 arrays: silence and joining, resampling, loudness (ITU-R BS.1770,
K-weighting from pyloudnorm), true peak by 4x oversampling, a look-ahead limiter, mastering to a loudness
target under a true-peak ceiling, and mastered MP3 clips.

Mastering never clips: gain is set from the measured integrated loudness, peaks that would pass the
ceiling are pulled down by the limiter, and the encoded clip is decoded again and measured, so the numbers
reported are those of the MP3 frames. Loudness is kept as gating-block powers too, so the loudness of
clips joined end to end is computed from theirs (:func:`gated_loudness`) without decoding the whole.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyloudnorm
import soundfile as sf

from . import mp3

__all__ = ["EncodedClip", "Mastered", "block_powers", "db_to_gain", "encode_mastered", "gated_loudness", "join",
           "level", "loudness", "master", "read_audio", "resample", "silence", "true_peak"]

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


def trim(samples: Samples, rate: int, threshold_db: float = -50.0, keep: float = 0.04) -> Samples:
    """Cut leading and trailing silence (below ``threshold_db``), keeping ``keep`` seconds of it."""
    loud = np.flatnonzero(np.abs(samples) > db_to_gain(threshold_db))
    if loud.size == 0:
        return samples[:0]
    margin = round(keep * rate)
    return samples[max(0, int(loud[0]) - margin): int(loud[-1]) + 1 + margin]


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

def _k_weighting(rate: int) -> list[Any]:
    """BS.1770's K-weighting: a high shelf (head effects) then a high pass, as pyloudnorm designs them."""
    make = pyloudnorm.iirfilter.IIRfilter
    return [make(4.0, 1 / math.sqrt(2), 1500.0, rate, "high_shelf"), make(0.0, 0.5, 38.0, rate, "high_pass")]


def block_powers(samples: Samples, rate: int) -> npt.NDArray[np.float64]:
    """Mean square of the K-weighted signal in each 400 ms gating block, one block every 100 ms (BS.1770).
    Clips shorter than one block are measured padded with silence, which the gate ignores."""
    data = samples.astype(np.float64)
    minimum = int(0.5 * rate)
    if data.size < minimum:
        data = np.concatenate([data, np.zeros(minimum - data.size)])
    for stage in _k_weighting(rate):
        data = stage.apply_filter(data)
    count = round((data.size / rate - 0.4) / 0.1) + 1
    # block j spans [int(0.1 j rate), int((0.1 j + 0.4) rate)), as in pyloudnorm
    lows = (0.4 * 0.25 * np.arange(count) * rate).astype(np.int64)
    highs = (0.4 * (0.25 * np.arange(count) + 1) * rate).astype(np.int64)
    energy = np.concatenate([[0.0], np.cumsum(np.square(data))])
    powers: npt.NDArray[np.float64] = (energy[np.minimum(highs, data.size)] - energy[lows]) / (0.4 * rate)
    return powers


def gated_loudness(powers: npt.NDArray[np.float64]) -> float:
    """Integrated loudness (LUFS) from gating-block powers: blocks under -70 LUFS, then those more than
    10 LU under the rest, are left out. :data:`SILENT_LUFS` when nothing passes."""
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10.0 * np.log10(powers)
    kept = powers[levels >= SILENT_LUFS]
    if kept.size == 0:
        return SILENT_LUFS
    relative = -0.691 + 10.0 * math.log10(float(kept.mean())) - 10.0
    kept = powers[(levels > relative) & (levels > SILENT_LUFS)]
    value = -0.691 + 10.0 * math.log10(float(kept.mean())) if kept.size else SILENT_LUFS
    return value if math.isfinite(value) and value > SILENT_LUFS else SILENT_LUFS


def loudness(samples: Samples, rate: int) -> float:
    """Integrated loudness in LUFS; :data:`SILENT_LUFS` for silence."""
    return gated_loudness(block_powers(samples, rate))


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

def _moving_min(x: Samples, before: int, after: int) -> Samples:
    """out[n] = min(x[n - before : n + after + 1]), taking x as 1 outside; O(n log width) by doubling."""
    width = before + after + 1
    n = x.size
    m = np.ones(n + before + after + width, dtype=np.float32)
    m[before: before + n] = x
    span = 1
    while span * 2 <= width:  # m[i] = min(window of `span` samples starting at i)
        np.minimum(m[:-span], m[span:], out=m[:-span])
        span *= 2
    out: Samples = np.minimum(m[:n], m[width - span: width - span + n])
    return out


def _moving_mean(x: Samples, width: int) -> Samples:
    """out[n] = mean(x[n - width + 1 : n + 1]), taking x as 1 before the start."""
    cumulative = np.cumsum(np.concatenate([np.ones(width), x.astype(np.float64)]))
    out: Samples = ((cumulative[width:] - cumulative[:-width]) / width).astype(np.float32)
    return out


def _gain_curve(envelope: Samples, rate: int, ceiling: float, attack: float = 0.003,
                hold: float = 0.03) -> Samples | None:
    """A smooth gain that brings every sample of ``envelope`` to at most ``ceiling`` (linear), or None
    when nothing is above it. The gain at each sample never exceeds what that sample needs: the minimum
    of the need over the next ``attack`` and the last ``hold`` seconds, averaged over ``attack``."""
    over = envelope > ceiling
    if not over.any():
        return None
    need = np.ones(envelope.size, dtype=np.float32)
    need[over] = ceiling / envelope[over]
    width = max(1, round(attack * rate))
    held = _moving_min(need, round(hold * rate), width - 1)
    gain = np.ones(held.size, dtype=np.float32)
    # average only the stretches where the held gain dips below 1 (plus the averaging tail after them)
    below = np.flatnonzero(held < 1.0)
    runs = np.flatnonzero(np.diff(below) > width)
    for start, last in zip(below[np.r_[0, runs + 1]], below[np.r_[runs, below.size - 1]], strict=True):
        end = min(held.size, int(last) + width)
        gain[start:end] = _moving_mean(held[start:end], width)
    return gain


def limit(samples: Samples, rate: int, ceiling_db: float) -> Samples:
    """A look-ahead true-peak limiter: pull peaks above ``ceiling_db`` (dBTP) down, leave the rest."""
    gain = _gain_curve(_peak_envelope(samples), rate, db_to_gain(ceiling_db))
    return samples if gain is None else (samples * gain).astype(np.float32)


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


def master(samples: Samples, rate: int, target_lufs: float, ceiling_db: float, rounds: int = 5) -> Mastered:
    """Bring the signal to ``target_lufs`` integrated loudness with its true peak at most ``ceiling_db``."""
    source = samples.astype(np.float32)
    measured = loudness(source, rate)
    if measured <= SILENT_LUFS:
        return Mastered(source, measured, true_peak(source))
    envelope = _peak_envelope(source)  # scales with the gain, so it is computed once
    ceiling = db_to_gain(ceiling_db)
    # the first step guesses speech's usual response to limiting (half a LU per dB); then the secant
    gain_db, slope = target_lufs - measured, 0.6
    previous: tuple[float, float] | None = None
    x = source
    for _ in range(rounds):
        # limiting takes some loudness away, so loudness grows slower than gain: find the gain that
        # reaches the target by the secant method, limiting the source afresh each time
        gain = db_to_gain(gain_db)
        curve = _gain_curve(envelope * np.float32(gain), rate, ceiling)
        x = (source * np.float32(gain) * (1.0 if curve is None else curve)).astype(np.float32)
        measured = loudness(x, rate)
        if abs(measured - target_lufs) < 0.05:
            break
        if previous is not None and abs(gain_db - previous[0]) > 1e-3:
            slope = min(1.0, max(0.1, (measured - previous[1]) / (gain_db - previous[0])))
        previous = (gain_db, measured)
        gain_db += min(12.0, (target_lufs - measured) / slope)
    peak = true_peak(x)
    if peak > ceiling_db:  # the gain curve is a hair off at the sharpest peaks: trim, never clip
        trim_db = ceiling_db - peak - 0.01
        x = (x * db_to_gain(trim_db)).astype(np.float32)
        measured, peak = measured + trim_db, peak + trim_db  # both scale exactly with a constant gain
    return Mastered(x, measured, peak)


# --- files -----------------------------------------------------------------------------------------

def read_audio(path: Path) -> tuple[Samples, int]:
    """Mono float32 samples and sample rate of an audio file soundfile can read (WAV, FLAC, MP3...)."""
    data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    return np.ascontiguousarray(data.mean(axis=1), dtype=np.float32), int(rate)


@dataclass(frozen=True)
class EncodedClip:
    clip: mp3.Clip
    true_peak_dbfs: float
    """Of the decoded frames."""
    powers: npt.NDArray[np.float64]
    """Gating-block powers of the decoded frames (see :func:`block_powers`)."""


def encode_mastered(samples: Samples, rate: int, target_lufs: float, ceiling_db: float, margin_db: float = 0.5,
                    context: float = 0.0) -> EncodedClip:
    """Master ``samples`` and encode them as MP3 frames. The encoder can raise peaks, so mastering aims
    ``margin_db`` below the ceiling, and the frames are decoded and measured; where they still peak above
    the ceiling, those places are limited and the clip encoded again. Loudness is measured with ``context``
    seconds of silence on each side, as the clip will sound joined between pauses: gating blocks straddling
    its ends then count as they will in the joined file."""
    pad = silence(context, rate)
    x = master(np.concatenate([pad, samples, pad]), rate, target_lufs, ceiling_db - margin_db).samples
    x = x[pad.size: pad.size + samples.size]
    for attempt in range(5):
        clip = mp3.encode(x, rate)
        decoded = mp3.decode(clip.data)
        envelope = _peak_envelope(decoded)
        peak = 20.0 * math.log10(max(float(envelope.max(initial=0.0)), 1e-10))
        if peak <= ceiling_db or attempt == 4:
            break
        # the encoder raised some peaks: pull those places down locally and encode again; loudness
        # barely moves. The decoded frames hold the input from sample ``clip.lead`` on.
        log.debug("encoded true peak %.2f dBTP; limiting those peaks and re-encoding", peak)
        aligned = np.zeros(x.size, dtype=np.float32)
        window = envelope[clip.lead: clip.lead + x.size]
        aligned[: window.size] = window
        gain = _gain_curve(aligned, rate, db_to_gain(ceiling_db - 0.2))
        if gain is not None:
            x = (x * gain).astype(np.float32)
    if peak > ceiling_db:
        log.warning("a clip's true peak is %.2f dBTP, above the %.2f dBTP ceiling", peak, ceiling_db)
    # the decoded frames already hold a little silence at each end
    before, after = silence(context - clip.lead / rate, rate), silence(context - clip.tail / rate, rate)
    return EncodedClip(clip, peak, block_powers(np.concatenate([before, decoded, after]), rate))
