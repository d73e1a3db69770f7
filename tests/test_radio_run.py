"""radio.run end to end on a small issue: real piper and espeak-ng, real MP3 files, the speech cache."""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from paperradio import radio
from paperradio.config import Settings, load_settings
from paperradio.errors import RadioError
from paperradio.models import Issue, Section, Writeup
from paperradio.radio import audio
from paperradio.radio.script import PART_PAUSE, episode_script
from tests.samples import sample_issue
from tests.speech_server import SECONDS_PER_CHAR, SpeechServer

pytestmark = pytest.mark.slow

TARGET, CEILING = -16.0, -1.0


def small_issue() -> Issue:
    """2 featured picks and 1 per Radiostation section."""
    issue = sample_issue()
    layout: list[tuple[Section, int]] = [("featured", 2), ("nlp", 1), ("cv", 1), ("ml", 1)]
    picks = [p for section, n in layout for p in issue.section(section)[:n]]
    return dataclasses.replace(issue, picks=tuple(picks))


def tts_files(settings: Settings) -> dict[Path, float]:
    return {p: p.stat().st_mtime for p in (settings.cache_dir / "tts").rglob("*.wav")}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Issue, Issue, Settings, float, int]:
    settings = load_settings(overrides={"home": str(tmp_path_factory.mktemp("home")), "workers": 2})
    issue = small_issue()
    calls: list[int] = []
    started = time.monotonic()
    out = radio.run(issue, settings, progress=calls.append)
    return issue, out, settings, time.monotonic() - started, sum(calls)


def test_files_exist_and_match_the_records(rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    issue, out, settings, _seconds, progress = rendered
    folder = settings.home / "audio" / str(issue.week)
    assert progress == len(issue.picks) * 2
    assert all(not p.audio for p in issue.picks)  # the input is not touched
    assert out.picks[0].audio["en"].path == "en/featured-01-2604.10000.mp3"
    assert set(out.episodes) == {"en", "zh"}
    segments = [p.audio[lang] for p in out.picks for lang in ("en", "zh")]
    segments += [e.audio for e in out.episodes.values()]
    for segment in segments:
        path = folder / segment.path
        assert not Path(segment.path).is_absolute() and path.is_file()
        decoded, rate = audio.read_audio(path)
        assert decoded.size / rate == pytest.approx(segment.seconds, abs=0.05)
        assert audio.loudness(decoded, rate) == pytest.approx(TARGET, abs=1.0)
        assert audio.true_peak(decoded) <= CEILING
        assert segment.text and segment.voice
    assert out.episodes["en"].audio.path == "episode.en.mp3"
    assert out.picks[0].audio["zh"].voice.startswith("espeak-ng:cmn-latn-pinyin + piper:")


def test_episode_measurements(rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    _issue, out, _settings, _seconds, _progress = rendered
    for lang, episode in out.episodes.items():
        assert episode.language == lang
        assert episode.loudness_lufs == pytest.approx(TARGET, abs=1.0)
        assert episode.true_peak_dbfs <= CEILING
        picks = sum(p.audio[lang].seconds for p in out.picks)
        # the picks, plus intro, four headings, outro and pauses
        assert picks + 30 < episode.audio.seconds < picks + 150


def test_chapters(rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    _issue, out, _settings, _seconds, _progress = rendered
    en = out.episodes["en"]
    titles = [c.title for c in en.chapters]
    assert titles[:3] == ["Introduction", "Featured papers",
                          "Featured 1: Sparse Mixture-of-Experts Routing for Long-Context Language Models"]
    assert titles[3].startswith("Featured 2: Diffusion Transformers")
    assert titles[4:] == ["NLP Radiostation", "CV Radiostation", "ML Radiostation"]
    assert [c.title for c in out.episodes["zh"].chapters][:2] == ["开场", "精选论文"]
    for episode in out.episodes.values():
        starts = [c.start for c in episode.chapters]
        assert starts[0] == 0.0
        assert all(a < b for a, b in itertools.pairwise(starts))
        assert starts[-1] < episode.audio.seconds
        # a featured paper's chapter lasts as long as its segment, plus the pause after it (less the
        # encoder's silent ends of the clips around it, which count towards the pause)
        first = out.picks[0].audio[episode.language].seconds
        assert PART_PAUSE - 0.1 <= starts[3] - starts[2] - first <= PART_PAUSE


def test_chapters_start_where_their_speech_starts(rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    _issue, out, settings, _seconds, _progress = rendered
    for episode in out.episodes.values():
        decoded, rate = audio.read_audio(settings.home / "audio" / str(out.week) / episode.audio.path)
        loud = np.abs(decoded) > 0.01
        for chapter in episode.chapters[1:]:
            at = round(chapter.start * rate)
            assert not loud[at - round(0.5 * rate): at].any()  # the pause before the chapter
            assert loud[at: at + round(0.15 * rate)].any()  # its first words


def test_english_content_is_rendered_once(rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    issue, _out, settings, _seconds, _progress = rendered
    scripts = [episode_script(issue, settings, lang) for lang in ("en", "zh")]
    lines = {(line.voice, line.text) for s in scripts
             for part in [*s.episode, *s.segments.values()] for line in part.lines}
    assert len(tts_files(settings)) == len(lines)
    zh_picks = [line for line in scripts[1].segments[0].lines if line.voice.engine == "piper"]
    assert zh_picks == list(scripts[0].segments[0].lines[1:])  # the zh segment reuses the en lines


def test_second_run_renders_nothing(rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    issue, out, settings, cold, _progress = rendered
    before = tts_files(settings)
    started = time.monotonic()
    again = radio.run(issue, settings)
    warm = time.monotonic() - started
    assert warm < max(1.0, cold / 10)
    assert again == out
    assert tts_files(settings) == before


def test_lost_files_are_rebuilt_from_the_speech_cache(rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    issue, out, settings, cold, _progress = rendered
    before = tts_files(settings)
    shutil.rmtree(settings.home / "audio" / str(issue.week) / "zh")
    started = time.monotonic()
    again = radio.run(issue, settings)
    assert time.monotonic() - started < cold
    assert tts_files(settings) == before
    assert (settings.home / "audio" / str(issue.week) / out.picks[0].audio["zh"].path).is_file()
    assert again.episodes == out.episodes


def test_one_edition_in_process(tmp_path: Path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path), "workers": 1, "editions": "en"})
    issue = dataclasses.replace(small_issue(), picks=small_issue().picks[2:3])
    out = radio.run(issue, settings)
    assert set(out.episodes) == {"en"} and set(out.picks[0].audio) == {"en"}
    assert [c.title for c in out.episodes["en"].chapters] == ["Introduction", "NLP Radiostation"]
    assert out.episodes["en"].true_peak_dbfs <= CEILING


def test_a_missing_voice_fails_before_rendering(tmp_path: Path) -> None:
    settings = load_settings(overrides={"home": str(tmp_path), "voice_en": "en_GB-nobody-low"})
    with pytest.raises(RadioError, match="piper voice 'en_GB-nobody-low' not found"):
        radio.run(small_issue(), settings)
    assert not (tmp_path / "audio").exists()


def test_webvtt_transcript_is_timed_from_the_episode(rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    _issue, out, settings, _seconds, _progress = rendered
    for lang, episode in out.episodes.items():
        assert episode.transcript == f"episode.{lang}.vtt"
        vtt = (settings.home / "audio" / str(out.week) / episode.transcript).read_text(encoding="utf-8")
        assert vtt.startswith("WEBVTT\n\n")
        timings = re.findall(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$", vtt, re.M)
        seconds = [(int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000,
                    int(h2) * 3600 + int(m2) * 60 + int(s2) + int(ms2) / 1000)
                   for h, m, s, ms, h2, m2, s2, ms2 in timings]
        assert len(seconds) >= 2 + len(out.picks)  # intro, each pick, outro at least
        assert seconds[0][0] == 0.0
        assert all(a[1] == b[0] and a[0] < a[1] for a, b in itertools.pairwise(seconds))
        assert seconds[-1][1] == pytest.approx(episode.audio.seconds, abs=0.002)
        starts = {round(s, 3) for s, _ in seconds}
        assert {round(c.start, 3) for c in episode.chapters} <= starts
        assert out.picks[0].paper.title.split(":")[0] in vtt


# --- an OpenAI-compatible speech API for English (a real local server), Chinese write-ups --------------

KEY = "sk-radio-test-0123456789"


@pytest.fixture
def speech_server() -> Iterator[SpeechServer]:
    with SpeechServer(api_key=KEY) as server:
        yield server


def api_settings(tmp_path: Path, server: SpeechServer, editions: str = "en") -> Settings:
    return load_settings(overrides={"home": str(tmp_path), "workers": 1, "editions": editions, "http_retries": 0,
                                    "tts_base_url": server.base_url, "tts_api_key": KEY})


def text_files(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*")
                   if p.is_file() and p.suffix in (".json", ".txt", ".vtt"))


def test_english_is_spoken_by_the_speech_api_when_configured(tmp_path: Path, speech_server: SpeechServer) -> None:
    settings = api_settings(tmp_path, speech_server)
    issue = dataclasses.replace(small_issue(), picks=small_issue().picks[2:3])
    out = radio.run(issue, settings)
    episode = out.episodes["en"]
    assert episode.audio.voice == "openai:alloy" and out.picks[0].audio["en"].voice == "openai:alloy"
    assert (tmp_path / "audio" / str(issue.week) / episode.audio.path).is_file()
    inputs = speech_server.inputs()
    assert any(issue.picks[0].paper.title.split(":")[0] in text for text in inputs)
    # the episode is the server's audio: as long as the text it was sent, plus the pauses
    assert episode.audio.seconds > sum(len(text) for text in inputs) * SECONDS_PER_CHAR * 0.8
    for request in speech_server.requests:  # the key goes in the header only
        assert request.headers["authorization"] == f"Bearer {KEY}"
        assert request.body["model"] == "tts-1" and request.body["voice"] == "alloy"
        assert KEY not in json.dumps(request.body)
    assert KEY not in text_files(tmp_path)


def test_a_chunk_left_out_is_used_now_and_asked_for_again_next_run(
        tmp_path: Path, speech_server: SpeechServer, caplog: pytest.LogCaptureFixture) -> None:
    settings = api_settings(tmp_path, speech_server)
    pick = small_issue().picks[0]
    # over 4096 characters (the speech API's limit) in few enough words for a featured segment (3 minutes)
    filler = "Transformer-based multilingual representations substantially outperform handcrafted alternatives. " * 45
    assert pick.writeup is not None
    writeup = dataclasses.replace(pick.writeup, paragraphs=(filler + "This last sentence is unspeakable.",))
    issue = dataclasses.replace(small_issue(), picks=(dataclasses.replace(pick, writeup=writeup),))
    speech_server.fail_always("unspeakable")
    with caplog.at_level(logging.WARNING, logger="paperradio.radio"):
        out = radio.run(issue, settings)
    segment = out.picks[0].audio["en"]
    assert segment.seconds > len(filler) * SECONDS_PER_CHAR * 0.9  # the rest of the paragraph is spoken
    incomplete = [r.getMessage() for r in caplog.records if "incomplete" in r.getMessage()]
    assert len(incomplete) == 1
    assert "en featured-01 is incomplete, not cached" in incomplete[0] and "chunk 2 of 2" in incomplete[0]
    assert len(speech_server.inputs("unspeakable")) == 1

    spoken = len(speech_server.requests)
    again = radio.run(issue, settings)  # only the incomplete line is asked for again, both of its chunks
    assert len(speech_server.requests) == spoken + 2
    assert len(speech_server.inputs("unspeakable")) == 2
    assert again.picks[0].audio["en"].seconds == pytest.approx(segment.seconds, abs=0.05)


def test_chinese_write_ups_are_spoken_in_chinese(tmp_path: Path, speech_server: SpeechServer) -> None:
    settings = api_settings(tmp_path, speech_server, editions="zh")
    featured, nlp = small_issue().picks[0], small_issue().picks[2]
    chinese = Writeup(("稀疏专家路由让长上下文模型的计算量降低了约 38%。", "在 4 个基准上优于稠密模型。"),
                      "长上下文模型的实用方案。", "稀疏路由", "稀疏路由让长上下文更便宜。", language="zh")
    picks = (dataclasses.replace(featured, translations={"zh": chinese}), nlp)
    issue = dataclasses.replace(small_issue(), picks=picks)
    out = radio.run(issue, settings)
    folder = tmp_path / "audio" / str(issue.week)
    script = (folder / "script.zh.txt").read_text(encoding="utf-8")
    transcript = (folder / "episode.zh.vtt").read_text(encoding="utf-8")
    for spoken in ("稀疏专家路由让长上下文模型的计算量降低了约百分之三十八。", "在四个基准上优于稠密模型。",
                   "推荐：长上下文模型的实用方案。"):
        assert spoken in script and spoken in transcript
    assert featured.writeup is not None and featured.writeup.paragraphs[1] not in script  # no English summary
    assert featured.paper.title in script  # titles stay as they are, read by the English voice
    assert any(featured.paper.title in text for text in speech_server.inputs())
    assert nlp.writeup is not None and nlp.writeup.line.split(" ")[0] in script  # untranslated: in English
    assert "未翻译的论文内容用英文播报。" in script
    assert out.picks[0].audio["zh"].voice == "espeak-ng:cmn-latn-pinyin + openai:alloy"


# The tests below edit the rendered week's script: they come last.

def test_an_edited_segment_is_the_only_one_spoken_again(
        rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    issue, out, settings, _seconds, _progress = rendered
    folder = settings.home / "audio" / str(issue.week)
    path = folder / "script.en.txt"
    old = next(p for p in episode_script(issue, settings, "en").episode if p.key == "featured-01").lines[-1].text
    path.write_text(path.read_text(encoding="utf-8").replace(old, "Why it matters: the editor says so.", 1),
                    encoding="utf-8")
    speech, segment = tts_files(settings), (folder / out.picks[0].audio["zh"].path).stat().st_mtime_ns
    edited = radio.run(issue, settings, script_files=[path])
    assert len(set(tts_files(settings)) - set(speech)) == 1  # one line spoken, by the engine
    assert tts_files(settings).items() >= speech.items()  # nothing else spoken again
    assert "the editor says so" in edited.picks[0].audio["en"].text
    assert "the editor says so" in edited.episodes["en"].audio.text
    assert "the editor says so" in (folder / "episode.en.vtt").read_text(encoding="utf-8")
    assert "the editor says so" in path.read_text(encoding="utf-8")
    assert edited.episodes["zh"] == out.episodes["zh"]  # the other edition is untouched
    assert (folder / out.picks[0].audio["zh"].path).stat().st_mtime_ns == segment
    episode = edited.episodes["en"]
    decoded, rate = audio.read_audio(folder / episode.audio.path)
    assert decoded.size / rate == pytest.approx(episode.audio.seconds, abs=0.01)
    assert audio.loudness(decoded, rate) == pytest.approx(TARGET, abs=1.0)
    assert audio.loudness(decoded, rate) == pytest.approx(episode.loudness_lufs, abs=0.1)
    assert audio.true_peak(decoded) <= CEILING
    assert episode.audio.seconds != out.episodes["en"].audio.seconds
    assert radio.run(issue, settings) == edited  # the edit sticks in later runs from the issue


def test_script_edits_not_rendered_are_kept(rendered: tuple[Issue, Issue, Settings, float, int]) -> None:
    issue, out, settings, _seconds, _progress = rendered
    folder = settings.home / "audio" / str(issue.week)
    path = folder / "script.en.txt"
    edited = path.read_text(encoding="utf-8").replace("Thanks for listening", "Thank you for listening")
    path.write_text(edited, encoding="utf-8")
    again = radio.run(issue, settings)  # edited by hand, not rendered: the issue's text is spoken, edits kept
    assert again.episodes["en"] == out.episodes["en"]
    assert (folder / "script.en.edited.txt").read_text(encoding="utf-8") == edited
    assert "Thanks for listening" in path.read_text(encoding="utf-8")
