"""ID3 tags for the published MP3s: title, show, date, cover art, and chapter marks (CHAP/CTOC).

Tags are written on the published copy, in memory, so the radio stage's renders stay untouched and
publishing twice writes the same bytes.
"""

from __future__ import annotations

import io

from mutagen.id3 import APIC, CHAP, CTOC, ID3, TALB, TDRC, TIT2, TLAN, TPE1, CTOCFlags

from ..config import Settings
from ..models import Episode, Issue, Segment
from ._cover import cover_png

_COVER_SIZE = 600  # enough for players' artwork; the feed's 1400 px cover is a separate file
_LANGUAGES = {"en": "eng", "zh": "chi"}


def tag_mp3(data: bytes, title: str, settings: Settings, issue: Issue, language: str,
            episode: Episode | None = None) -> bytes:
    """``data`` with ID3v2.4 tags; an episode also gets its chapters and a table of contents."""
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text=settings.podcast_title))
    tags.add(TALB(encoding=3, text=f"{settings.podcast_title} {issue.week}"))
    tags.add(TDRC(encoding=3, text=issue.week.friday.isoformat()))
    tags.add(TLAN(encoding=3, text=_LANGUAGES.get(language, language)))
    tags.add(APIC(encoding=3, mime="image/png", type=3, desc="cover", data=cover_png(_COVER_SIZE)))
    if episode is not None and episode.chapters:
        ids = [f"ch{i}" for i in range(len(episode.chapters))]
        ends = [c.start for c in episode.chapters[1:]] + [episode.audio.seconds]
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                      sub_frames=[TIT2(encoding=3, text=title)]))
        for element_id, chapter, end in zip(ids, episode.chapters, ends, strict=True):
            tags.add(CHAP(element_id=element_id, start_time=round(chapter.start * 1000), end_time=round(end * 1000),
                          sub_frames=[TIT2(encoding=3, text=chapter.title)]))
    buffer = io.BytesIO(data)
    tags.save(buffer, v2_version=4)
    return buffer.getvalue()


def segment_title(issue: Issue, segment: Segment) -> tuple[str, str, Episode | None]:
    """(title, language, episode) of one of the issue's audio files."""
    for language, episode in issue.episodes.items():
        if episode.audio == segment:
            return f"{issue.week}: the week in papers ({language})", language, episode
    for pick in issue.picks:
        for language, audio in pick.audio.items():
            if audio == segment:
                return pick.paper.title, language, None
    return segment.path, "en", None
