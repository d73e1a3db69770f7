"""MP3 clips: encoded without their tag frame, level kept, joined by their bytes with silent frames between."""

from __future__ import annotations

import numpy as np
import pytest

from paperradio.errors import RadioError
from paperradio.radio import audio, mp3

RATE = 22050


def burst(seconds: float, seed: int) -> audio.Samples:
    """Noise with a little silence at each end, like a trimmed line of speech."""
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(round(seconds * RATE)) * 0.1).astype(np.float32)
    x[:800] = 0
    x[-800:] = 0
    return x


def test_a_clip_decodes_to_its_frames_with_the_input_after_its_lead() -> None:
    x = burst(1.7, 1)
    clip = mp3.encode(x, RATE)
    decoded = mp3.decode(clip.data)
    assert clip.data[:2] == b"\xff\xf3" and b"Info" not in clip.data[:300] and b"Xing" not in clip.data[:300]
    assert clip.samples_per_frame == 576 and decoded.size == clip.samples == clip.frames * 576
    assert clip.lead + x.size + clip.tail == clip.samples
    aligned = decoded[clip.lead: clip.lead + x.size]
    assert float(np.corrcoef(aligned, x)[0, 1]) > 0.9  # the input sits exactly ``lead`` samples in
    assert float(np.corrcoef(decoded[clip.lead + 1: clip.lead + 1 + x.size], x)[0, 1]) < 0.5
    assert len(clip.data) * 8 / (clip.samples / RATE) == pytest.approx(80_000, rel=0.02)  # constant 80 kbit/s


def test_encoding_keeps_the_level() -> None:
    t = np.arange(3 * RATE) / RATE
    x = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    clip = mp3.encode(x, RATE)
    decoded = mp3.decode(clip.data)[clip.lead: clip.lead + x.size]
    assert audio.loudness(decoded, RATE) == pytest.approx(audio.loudness(x, RATE), abs=0.05)


def test_clips_join_by_their_bytes_with_silent_frames_between() -> None:
    first, second = mp3.encode(burst(1.3, 2), RATE), mp3.encode(burst(0.9, 3), RATE)
    joined = first.data + mp3.silent_frames(first.data, 10) + second.data
    decoded = mp3.decode(joined)
    assert decoded.size == first.samples + 10 * 576 + second.samples
    gap = decoded[first.samples + 576: first.samples + 10 * 576]
    assert not gap.any()  # digital silence, once the last frame's overlap has played out
    np.testing.assert_allclose(decoded[first.samples + 10 * 576:], mp3.decode(second.data), atol=1e-6)
    np.testing.assert_allclose(decoded[: first.samples - 576], mp3.decode(first.data)[: first.samples - 576],
                               atol=1e-6)
    assert mp3.silent_frames(first.data, 0) == b""


def test_a_stream_that_is_not_mp3_is_refused() -> None:
    with pytest.raises(RadioError, match="no MPEG layer III frame at byte 0"):
        mp3.silent_frames(b"RIFF....WAVE", 3)
