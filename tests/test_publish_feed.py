from __future__ import annotations

import dataclasses
import json
import re
import struct
import uuid
import xml.etree.ElementTree as ET
import zlib
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from paperradio.models import Week
from paperradio.publish import run
from paperradio.publish._view import headline
from paperradio.publish.podcast import itunes_duration

from .publish_samples import CHAPTERS, SITE_URL, issue_of, settings_for, with_audio
from .samples import sample_issue

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Three issues: this week's and last week's with an English episode, one before without."""
    settings = settings_for(tmp_path)
    current = with_audio(sample_issue(), settings.home)
    archive = [issue_of(Week(2026, 14), settings.home, episode=False), issue_of(Week(2026, 15), settings.home)]
    run(current, tmp_path / "site", settings, archive=archive)
    return tmp_path / "site"


def local(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return site / url[len(SITE_URL):]


def text(element: ET.Element, path: str) -> str:
    found = element.find(path, NS)
    assert found is not None, path
    assert found.text and found.text.strip(), path
    return found.text


def test_feed_declares_rss_2_and_the_podcast_namespaces(site: Path) -> None:
    raw = (site / "feed.xml").read_text(encoding="utf-8")
    assert raw.startswith("<?xml version='1.0' encoding='utf-8'?>")
    assert f'xmlns:itunes="{NS["itunes"]}"' in raw and f'xmlns:podcast="{NS["podcast"]}"' in raw
    root = ET.fromstring(raw)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert len(root.findall("channel")) == 1


def test_channel_has_what_rss_and_apple_podcasts_require(site: Path) -> None:
    channel = ET.parse(site / "feed.xml").getroot().find("channel")
    assert channel is not None
    assert text(channel, "title") == "paperradio weekly"
    assert text(channel, "link") == SITE_URL
    assert "arXiv" in text(channel, "description")
    assert text(channel, "language") == "en"
    assert text(channel, "itunes:explicit") == "false"
    assert text(channel, "itunes:author") == "paperradio weekly"
    assert text(channel, "itunes:owner/itunes:email") == "paperradio@example.org"
    category = channel.find("itunes:category", NS)
    assert category is not None and category.get("text") == "Technology"
    image = channel.find("itunes:image", NS)
    assert image is not None and image.get("href") == SITE_URL + "cover.png"
    assert text(channel, "image/url") == SITE_URL + "cover.png"
    self_link = channel.find("atom:link", NS)
    assert self_link is not None and self_link.get("href") == SITE_URL + "feed.xml"
    assert uuid.UUID(text(channel, "podcast:guid")).version == 5
    assert text(channel, "lastBuildDate") == "Fri, 17 Apr 2026 12:00:00 +0000"


def test_cover_is_a_valid_1400_pixel_square_png(site: Path) -> None:
    data = (site / "cover.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        tag, body = data[offset + 4:offset + 8], data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert zlib.crc32(tag + body) == crc, tag
        chunks[tag] = body
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (width, height, depth, colour) == (1400, 1400, 8, 2)
    assert len(zlib.decompress(chunks[b"IDAT"])) == 1400 * (1 + 1400 * 3)
    assert list(chunks)[-1] == b"IEND"


def test_one_item_per_issue_with_an_english_episode_newest_first(site: Path) -> None:
    items = ET.parse(site / "feed.xml").getroot().findall("channel/item")
    assert [text(i, "title") for i in items] == [headline(sample_issue())] * 2
    assert [text(i, "link") for i in items] == [SITE_URL + "2026-W16/", SITE_URL + "2026-W15/"]
    guids = [i.find("guid") for i in items]
    assert all(g is not None and g.get("isPermaLink") == "false" for g in guids)
    assert [g.text for g in guids if g is not None] == [
        "tag:radio.example.org,2026:paperradio/2026-W16/en", "tag:radio.example.org,2026:paperradio/2026-W15/en"]
    dates = [parsedate_to_datetime(text(i, "pubDate")) for i in items]
    assert [d.date() for d in dates] == [date(2026, 4, 17), date(2026, 4, 10)]  # the Fridays
    assert all(d.utcoffset() is not None and d.weekday() == 4 for d in dates)


def test_enclosures_are_absolute_and_their_length_is_the_file_size(site: Path) -> None:
    for item in ET.parse(site / "feed.xml").getroot().findall("channel/item"):
        enclosure = item.find("enclosure")
        assert enclosure is not None
        assert enclosure.get("type") == "audio/mpeg"
        path = local(site, enclosure.get("url", ""))
        assert path.is_file() and path.suffix == ".mp3"
        assert int(enclosure.get("length", "-1")) == path.stat().st_size > 0
        assert text(item, "itunes:duration") == "00:12:34"
        assert re.fullmatch(r"\d\d:\d\d:\d\d", text(item, "itunes:duration"))
        assert text(item, "itunes:explicit") == "false"
        assert "Featured:" in text(item, "description")


def test_chapters_and_transcript_are_linked_and_valid(site: Path) -> None:
    item = ET.parse(site / "feed.xml").getroot().find("channel/item")
    assert item is not None
    chapters = item.find("podcast:chapters", NS)
    assert chapters is not None and chapters.get("type") == "application/json+chapters"
    path = local(site, chapters.get("url", ""))
    assert path == site / "2026-W16" / "audio" / "en" / "chapters.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == "1.2.0"
    assert data["chapters"][0] == {"startTime": 0.0, "title": "Intro"}
    assert [c["title"] for c in data["chapters"]][2] == "NLP <radio> & friends"
    starts = [c["startTime"] for c in data["chapters"]]
    assert starts == sorted(starts)
    transcript = item.find("podcast:transcript", NS)
    assert transcript is not None and transcript.get("type") == "text/plain"
    assert local(site, transcript.get("url", "")).read_text(encoding="utf-8").startswith("Welcome to the issue")


def test_issue_whose_audio_is_gone_is_left_out_of_the_feed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = settings_for(tmp_path)
    lost = issue_of(Week(2026, 15), tmp_path / "elsewhere")
    run(with_audio(sample_issue(), settings.home), tmp_path / "site", settings, archive=[lost])
    items = ET.parse(tmp_path / "site" / "feed.xml").getroot().findall("channel/item")
    assert len(items) == 1
    assert "2026-W15: episode audio en/episode.mp3 not found" in caplog.text


def test_feed_without_episodes_is_still_a_valid_channel(tmp_path: Path) -> None:
    run(sample_issue(), tmp_path / "site", settings_for(tmp_path, radio=False))
    root = ET.parse(tmp_path / "site" / "feed.xml").getroot()
    assert root.findall("channel/item") == []
    assert text(root, "channel/title") == "paperradio weekly"


def test_feed_is_deterministic(tmp_path: Path, site: Path) -> None:
    first = (site / "feed.xml").read_bytes()
    settings = settings_for(tmp_path)
    archive = [issue_of(Week(2026, 14), settings.home, episode=False), issue_of(Week(2026, 15), settings.home)]
    run(with_audio(sample_issue(), settings.home), site, settings, archive=archive)
    assert (site / "feed.xml").read_bytes() == first


@pytest.mark.parametrize(("seconds", "expected"), [(0, "00:00:00"), (754.2, "00:12:34"), (3725.6, "01:02:06")])
def test_itunes_duration(seconds: float, expected: str) -> None:
    assert itunes_duration(seconds) == expected


def test_published_mp3s_carry_id3_tags_chapters_and_cover(site: Path) -> None:
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    episode = site / "2026-W16" / "audio" / "en" / "episode.mp3"
    tags = ID3(episode)
    assert str(tags["TIT2"]) == "2026-W16: the week in papers (en)"
    assert str(tags["TDRC"]) == "2026-04-17"
    assert tags.getall("APIC")[0].data.startswith(b"\x89PNG")
    [toc] = tags.getall("CTOC")
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert list(toc.child_element_ids) == [c.element_id for c in chapters]
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [c.title for c in CHAPTERS]
    assert [c.start_time for c in chapters] == [round(c.start * 1000) for c in CHAPTERS]
    assert chapters[-1].end_time == 754200
    assert MP3(episode).info.length > 0  # still a playable MP3 after tagging
    pick = ID3(site / "2026-W16" / "audio" / "en" / "featured-01.mp3")
    assert str(pick["TIT2"]) == "Sparse Mixture-of-Experts Routing for Long-Context Language Models"
    assert not pick.getall("CHAP")


def test_a_webvtt_transcript_is_published_and_linked(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    issue = with_audio(sample_issue(), settings.home)
    vtt = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:05.000\nWelcome.\n"
    (settings.home / "audio" / str(issue.week) / "en" / "episode.vtt").write_text(vtt, encoding="utf-8")
    episode = dataclasses.replace(issue.episodes["en"], transcript="en/episode.vtt")
    run(dataclasses.replace(issue, episodes={"en": episode}), tmp_path / "site", settings)
    item = ET.parse(tmp_path / "site" / "feed.xml").getroot().find("channel/item")
    assert item is not None
    links = {t.get("type"): t.get("url") for t in item.findall("podcast:transcript", NS)}
    assert set(links) == {"text/vtt", "text/plain"}
    assert local(tmp_path / "site", links["text/vtt"] or "").read_text(encoding="utf-8") == vtt
