"""feed.xml: the podcast feed (RSS 2.0 with the Apple Podcasts and Podcasting 2.0 namespaces).

One item per issue that has an English episode, newest first. Next to each episode this writes
``chapters.json`` (Podcasting 2.0 JSON chapters) and ``transcript.txt``. The feed is built with
ElementTree, never by pasting strings, and is deterministic: publishing twice changes nothing.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, time
from email.utils import format_datetime
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urljoin, urlsplit

from ..config import Settings
from ..models import FIELDS, Episode, Issue
from ._audio import publish_segment, published_name
from ._cover import cover_png
from ._view import display_text, headline
from .publisher import Publication

log = logging.getLogger(__name__)

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
for _prefix, _uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM)):
    ET.register_namespace(_prefix, _uri)

FEED_LANGUAGE = "en"
COVER = "cover.png"
FEED = "feed.xml"
CATEGORY = "Technology"
PUBLISH_TIME = time(12, 0, tzinfo=UTC)
"""Issues are dated the Friday of their week, at noon UTC."""
DESCRIPTION = (
    "A weekly digest of arXiv: the featured papers of the week summarised, then ten NLP, ten computer "
    "vision and ten machine learning papers in one line each, read aloud."
)
_PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""The namespace the Podcasting 2.0 spec prescribes for ``podcast:guid``."""


@dataclass(frozen=True)
class FeedItem:
    issue: Issue
    episode: Episode
    length: int
    """Bytes of the published audio file."""
    audio: str
    chapters: str
    transcript: str | None
    timed_transcript: str | None = None
    """Paths relative to the output folder; the timed transcript is WebVTT, when the radio stage wrote one."""


def base_url(settings: Settings) -> str:
    return settings.site_url if settings.site_url.endswith("/") else settings.site_url + "/"


def absolute(settings: Settings, relative: str) -> str:
    return urljoin(base_url(settings), quote(relative, safe="/"))


def podcast_guid(settings: Settings) -> str:
    """The channel's ``podcast:guid``: UUIDv5 of the feed URL without scheme and trailing slash."""
    url = absolute(settings, FEED)
    bare = url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(_PODCAST_GUID_NAMESPACE, bare))


def episode_guid(settings: Settings, issue: Issue) -> str:
    """A tag URI (RFC 4151) that stays the same however often the issue is published."""
    host = urlsplit(base_url(settings)).hostname or "localhost"
    return f"tag:{host},{issue.week.year}:paperradio/{issue.week}/{FEED_LANGUAGE}"


def pub_date(issue: Issue) -> str:
    return format_datetime(datetime.combine(issue.week.friday, PUBLISH_TIME))


def itunes_duration(seconds: float) -> str:
    hours, rest = divmod(max(0, round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def chapters_json(issue: Issue, episode: Episode, settings: Settings) -> str:
    """The episode's chapters in the Podcasting 2.0 JSON chapters format, version 1.2.0."""
    data = {
        "version": "1.2.0",
        "title": headline(issue),
        "podcastName": settings.podcast_title,
        "chapters": [
            {"startTime": round(c.start, 3), "title": display_text(c.title)} for c in episode.chapters
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _item_description(issue: Issue) -> str:
    featured = [display_text(p.paper.title) for p in issue.section("featured")]
    counts = ", ".join(f"{len(issue.section(f))} {f.upper()}" for f in FIELDS if issue.section(f))
    parts = []
    if featured:
        parts.append(f"Featured: {'; '.join(featured)}.")
    if counts:
        parts.append(f"Radiostation: {counts} papers.")
    return " ".join(parts) or headline(issue)


def _sub(parent: ET.Element, tag: str, text: str | None = None, /, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def render_feed(settings: Settings, items: list[FeedItem]) -> bytes:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    site, cover = base_url(settings), absolute(settings, COVER)
    _sub(channel, "title", settings.podcast_title)
    _sub(channel, "link", site)
    _sub(channel, "description", DESCRIPTION)
    _sub(channel, "language", FEED_LANGUAGE)
    _sub(channel, "generator", "paperradio")
    if items:
        _sub(channel, "lastBuildDate", pub_date(items[0].issue))
    _sub(channel, f"{{{ATOM}}}link", href=absolute(settings, FEED), rel="self", type="application/rss+xml")
    image = _sub(channel, "image")
    _sub(image, "url", cover)
    _sub(image, "title", settings.podcast_title)
    _sub(image, "link", site)
    _sub(channel, f"{{{ITUNES}}}author", settings.podcast_title)
    owner = _sub(channel, f"{{{ITUNES}}}owner")
    _sub(owner, f"{{{ITUNES}}}name", settings.podcast_title)
    _sub(owner, f"{{{ITUNES}}}email", settings.contact_email)
    _sub(channel, f"{{{ITUNES}}}image", href=cover)
    _sub(channel, f"{{{ITUNES}}}category", text=CATEGORY)
    _sub(channel, f"{{{ITUNES}}}explicit", "false")
    _sub(channel, f"{{{ITUNES}}}type", "episodic")
    _sub(channel, f"{{{PODCAST}}}guid", podcast_guid(settings))
    for item in items:
        _item(channel, settings, item)
    ET.indent(rss, space="  ")
    xml: bytes = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


def _item(channel: ET.Element, settings: Settings, item: FeedItem) -> None:
    issue, episode = item.issue, item.episode
    element = _sub(channel, "item")
    _sub(element, "title", headline(issue))
    _sub(element, "link", absolute(settings, f"{issue.week}/"))
    _sub(element, "description", _item_description(issue))
    kind = mimetypes.guess_type(item.audio)[0] if not item.audio.endswith(".mp3") else None
    _sub(element, "enclosure", url=absolute(settings, item.audio), length=str(item.length),
         type=kind or "audio/mpeg")
    _sub(element, "guid", episode_guid(settings, issue), isPermaLink="false")
    _sub(element, "pubDate", pub_date(issue))
    _sub(element, f"{{{ITUNES}}}duration", itunes_duration(episode.audio.seconds))
    _sub(element, f"{{{ITUNES}}}episodeType", "full")
    _sub(element, f"{{{ITUNES}}}explicit", "false")
    _sub(element, f"{{{PODCAST}}}chapters", url=absolute(settings, item.chapters),
         type="application/json+chapters")
    if item.timed_transcript:
        _sub(element, f"{{{PODCAST}}}transcript", url=absolute(settings, item.timed_transcript), type="text/vtt",
             language=FEED_LANGUAGE)
    if item.transcript:
        _sub(element, f"{{{PODCAST}}}transcript", url=absolute(settings, item.transcript), type="text/plain",
             language=FEED_LANGUAGE)


def _feed_item(publication: Publication, issue: Issue) -> FeedItem | None:
    episode = issue.episodes.get(FEED_LANGUAGE)
    if episode is None or (issue.week == publication.issue.week and not publication.with_audio):
        return None
    out, settings = publication.out, publication.settings
    audio = publish_segment(out, settings, issue, episode.audio)
    if audio is None:
        log.warning("%s: episode audio %s not found; left out of the podcast feed",
                    issue.week, episode.audio.path)
        return None
    name = published_name(issue, episode.audio)
    folder = PurePosixPath(name).parent
    chapters = str(folder / "chapters.json")
    out.write_text(chapters, chapters_json(issue, episode, settings))
    transcript = None
    if episode.audio.text.strip():
        transcript = str(folder / "transcript.txt")
        out.write_text(transcript, episode.audio.text.strip() + "\n")
    timed = None
    if episode.transcript:
        vtt = settings.home / "audio" / str(issue.week) / episode.transcript
        if vtt.is_file():
            timed = str(folder / PurePosixPath(episode.transcript).name)
            out.write_text(timed, vtt.read_text(encoding="utf-8"))
    return FeedItem(issue, episode, Path(audio).stat().st_size, name, chapters, transcript, timed)


def publish(publication: Publication) -> None:
    publication.out.write_bytes(COVER, cover_png())
    items = [item for issue in publication.archive if (item := _feed_item(publication, issue))]
    publication.out.write_bytes(FEED, render_feed(publication.settings, items))
    log.info("podcast feed: %d episode(s)", len(items))
