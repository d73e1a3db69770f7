"""Audio: loudness to the target, true peak under the ceiling, MP3 files, silence joins, resampling."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest

from paperradio.radio import audio, mp3

RATE = 22050


def tone(freq: float, seconds: float, amplitude: float, rate: int = RATE, phase: float = 0.0) -> audio.Samples:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t + phase)).astype(np.float32)


def speechlike(seconds: float = 8.0, seed: int = 0) -> audio.Samples:
    """Noise bursts with pauses and sharp clicks: a high peak-to-loudness ratio, as TTS output has."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    envelope = (np.sin(2 * np.pi * 3.0 * np.arange(n) / RATE) > -0.2).astype(np.float32)
    signal = (rng.standard_normal(n) * 0.05 * envelope).astype(np.float32)
    clicks = rng.choice(n, 40, replace=False)
    signal[clicks] = rng.choice([-0.95, 0.95], 40).astype(np.float32)
    return signal + tone(180, seconds, 0.05)


def test_true_peak_sees_between_the_samples() -> None:
    # a quarter-rate sine sampled 45 degrees off its crest: samples reach 0.707, the waveform 1.0
    x = tone(RATE / 4, 1.0, 1.0, phase=np.pi / 4)
    assert 20 * np.log10(np.abs(x).max()) == pytest.approx(-3.01, abs=0.01)
    assert audio.true_peak(x) == pytest.approx(0.0, abs=0.25)
    assert audio.true_peak(tone(997, 1.0, 0.5)) == pytest.approx(-6.02, abs=0.05)
    assert audio.true_peak(np.zeros(100, dtype=np.float32)) == float("-inf")


def test_loudness_of_a_known_tone() -> None:
    # BS.1770: a full-scale 997 Hz sine in one channel reads -3.01 LUFS, so one at -20 dBFS reads -23.01
    assert audio.loudness(tone(997, 5.0, 1.0, rate=48000), 48000) == pytest.approx(-3.01, abs=0.1)
    assert audio.loudness(tone(997, 5.0, 0.1, rate=48000), 48000) == pytest.approx(-23.01, abs=0.1)
    assert audio.loudness(np.zeros(RATE, dtype=np.float32), RATE) == audio.SILENT_LUFS


@pytest.mark.parametrize(
    "signal",
    [tone(440, 5.0, 0.02), tone(440, 5.0, 0.9), speechlike(), speechlike(seed=3) * 0.2],
    ids=["quiet-tone", "loud-tone", "speechlike", "quiet-speechlike"],
)
def test_master_reaches_target_under_ceiling(signal: audio.Samples) -> None:
    result = audio.master(signal, RATE, -16.0, -1.0)
    assert result.loudness_lufs == pytest.approx(-16.0, abs=0.5)
    assert audio.loudness(result.samples, RATE) == pytest.approx(-16.0, abs=0.5)
    assert result.true_peak_dbfs <= -1.0
    assert audio.true_peak(result.samples) <= -1.0
    assert np.abs(result.samples).max() < 1.0


def test_limiter_only_reduces() -> None:
    x = speechlike() * 4
    limited = audio.limit(x, RATE, -1.0)
    assert audio.true_peak(limited) <= -1.0 + 0.05
    assert np.all(np.abs(limited) <= np.abs(x) + 1e-6)
    quiet = tone(440, 1.0, 0.1)
    assert audio.limit(quiet, RATE, -1.0) is quiet


def test_an_encoded_clip_is_measured_after_encoding() -> None:
    rng = np.random.default_rng(7)
    noise = (rng.standard_normal(RATE * 6) * 0.3).astype(np.float32)
    result = audio.encode_mastered(np.concatenate([noise, speechlike()]), RATE, -16.0, -1.0)
    decoded = mp3.decode(result.clip.data)
    assert decoded.size == result.clip.samples
    assert decoded.size / RATE == pytest.approx(14.0, abs=0.1)
    assert audio.loudness(decoded, RATE) == pytest.approx(-16.0, abs=0.5)
    assert audio.true_peak(decoded) <= -1.0
    assert result.true_peak_dbfs == pytest.approx(audio.true_peak(decoded), abs=0.01)
    assert audio.gated_loudness(result.powers) == pytest.approx(audio.loudness(decoded, RATE), abs=0.01)


def test_loudness_matches_pyloudnorm() -> None:
    rng = np.random.default_rng(5)
    for seconds in (0.3, 1.0, 4.7):
        x = speechlike(seconds, seed=int(seconds * 10)) * np.float32(rng.uniform(0.2, 1.0))
        padded = np.concatenate([x, np.zeros(max(0, RATE // 2 - x.size), dtype=np.float32)]).astype(np.float64)
        assert audio.loudness(x, RATE) == pytest.approx(pyloudnorm.Meter(RATE).integrated_loudness(padded), abs=1e-6)


def test_joined_loudness_is_computed_from_the_blocks_of_the_parts() -> None:
    a, b = speechlike(5.0, seed=1), speechlike(3.0, seed=2) * np.float32(0.5)
    joined = np.concatenate([a, b])
    computed = audio.gated_loudness(np.concatenate([audio.block_powers(a, RATE), audio.block_powers(b, RATE)]))
    assert computed == pytest.approx(audio.loudness(joined, RATE), abs=0.1)
    assert audio.gated_loudness(np.zeros(5)) == audio.SILENT_LUFS


def test_join_puts_silence_between_parts() -> None:
    a, b, c = (np.full(100, v, dtype=np.float32) for v in (0.1, 0.2, 0.3))
    joined = audio.join([a, b, c], 0.01, 10000)
    assert joined.size == 300 + 2 * 100
    assert np.all(joined[100:200] == 0) and np.all(joined[300:400] == 0)
    assert joined[0] == np.float32(0.1) and joined[-1] == np.float32(0.3)
    assert audio.join([], 0.5, RATE).size == 0
    assert audio.silence(0.5, RATE).size == RATE // 2
    assert not audio.silence(0.5, RATE).any()


def test_trim_keeps_a_little_silence() -> None:
    x = np.concatenate([np.zeros(RATE), tone(440, 0.5, 0.5), np.zeros(RATE)])
    trimmed = audio.trim(x, RATE, keep=0.04)
    assert trimmed.size == pytest.approx(0.5 * RATE + 2 * 0.04 * RATE, abs=3)
    assert audio.trim(np.zeros(10, dtype=np.float32), RATE).size == 0


@pytest.mark.parametrize(("source", "target"), [(16000, 22050), (22050, 24000), (24000, 22050), (22050, 22050)])
def test_resample_keeps_pitch_length_and_level(source: int, target: int) -> None:
    x = tone(440, 2.0, 0.5, rate=source)
    y = audio.resample(x, source, target)
    assert y.size == round(x.size * target / source)
    spectrum = np.abs(np.fft.rfft(y))
    assert np.fft.rfftfreq(y.size, 1 / target)[spectrum.argmax()] == pytest.approx(440, abs=1)
    assert np.abs(y[target // 4: -target // 4]).max() == pytest.approx(0.5, abs=0.01)
