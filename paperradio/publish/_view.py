"""What a reader sees of an issue, worked out once for every format (Markdown, HTML, feed).

The view holds plain, unescaped text; each renderer escapes it for its own syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from ..models import FIELDS, Episode, Field, Figure, Issue, Pick, Segment, Week
from ..write import FALLBACK_METHOD, plain_text
from . import i18n

MAX_AUTHORS = 3
"""Authors named before "et al."."""

_SPACE_RE = re.compile(r"\s+")


def display_text(text: str) -> str:
    """Display cleaning of source text (titles, headlines, abstracts, chapter titles): the one call point.

    ``plain_text`` strips HTML tags, turns LaTeX into Unicode and collapses whitespace. The result is
    still plain text that every renderer escapes for its own syntax.
    """
    return plain_text(text)


def _collapse(text: str) -> str:
    """Writer output is already clean (the write stage calls ``plain_text``); only join its lines."""
    return _SPACE_RE.sub(" ", text).strip()


def clock(seconds: float) -> str:
    """1:05 or 1:02:03, as players show durations."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def audio_href(segment: Segment) -> str:
    """Where a segment is published, relative to the issue folder, as a URL path."""
    return "audio/" + quote(segment.path, safe="/")


def figure_href(figure: Figure) -> str:
    """Where a key figure is published, relative to the issue folder, as a URL path."""
    return "figures/" + quote(figure.path, safe="/")


def week_dates(strings: i18n.Strings, week: Week) -> str:
    return strings.week.format(week=week, monday=week.monday.isoformat(), friday=week.friday.isoformat())


def headline(issue: Issue) -> str:
    """"N Papers & Radios | <headline 1>; <headline 2>" from the first two featured picks."""
    featured = issue.section("featured")
    leading = featured or sorted(issue.picks, key=lambda p: (p.section != "featured", p.rank))
    heads = [display_text(p.writeup.headline if p.writeup else p.paper.title) for p in leading[:2]]
    title = f"{len(featured) or len(issue.picks)} Papers & Radios"
    heads = [h for h in heads if h]
    return f"{title} | {'; '.join(heads)}" if heads else title


@dataclass(frozen=True)
class AudioView:
    href: str
    seconds: float

    @property
    def clock(self) -> str:
        return clock(self.seconds)


@dataclass(frozen=True)
class FigureView:
    href: str
    caption: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class PickView:
    anchor: str
    number: int
    title: str
    url: str
    authors: str
    affiliations: str
    paragraphs: tuple[str, ...]
    summary_language: str
    recommendation: str
    credit: str
    audio: AudioView | None
    figure: FigureView | None = None
    fallback: bool = False
    """The write-up is the extractive stand-in for a language model's that failed."""
    line: str = ""
    """What the paper does, in one sentence (shown under a Radiostation pick)."""

    @property
    def stop(self) -> str:
        """What ends the title in a Radiostation line ("Title. (from X)"): a full stop unless it has one."""
        return "" if self.title.endswith((".", "?", "!")) else "."


@dataclass(frozen=True)
class SectionView:
    field: Field
    anchor: str
    heading: str
    picks: tuple[PickView, ...]


@dataclass(frozen=True)
class ChapterView:
    title: str
    start: float

    @property
    def clock(self) -> str:
        return clock(self.start)


@dataclass(frozen=True)
class EpisodeView:
    audio: AudioView
    chapters: tuple[ChapterView, ...]


@dataclass(frozen=True)
class IssueView:
    strings: i18n.Strings
    week: str
    headline: str
    dates: str
    pool: str
    notice: str
    featured: tuple[PickView, ...]
    sections: tuple[SectionView, ...]
    episode: EpisodeView | None
    others: tuple[i18n.Strings, ...]
    """The other editions published alongside, for links."""

    @property
    def pick_count(self) -> int:
        return len(self.featured) + sum(len(s.picks) for s in self.sections)


def _authors(pick: Pick, strings: i18n.Strings) -> tuple[str, str]:
    names = [a.name for a in pick.paper.authors]
    authors = ", ".join(names[:MAX_AUTHORS])
    if len(names) > MAX_AUTHORS:
        authors += f" {strings.et_al}"
    places = list(dict.fromkeys(a.affiliation for a in pick.paper.authors if a.affiliation))
    affiliations = "; ".join(places[:MAX_AUTHORS])
    if len(places) > MAX_AUTHORS:
        affiliations += f" {strings.et_al}"
    return authors, affiliations


def _figure(pick: Pick) -> FigureView | None:
    figure = pick.writeup.figure if pick.writeup else None
    if figure is None:
        return None
    caption = display_text(figure.caption)
    # The image's text alternative: the caption's first sentence (the caption itself follows in full).
    alt = re.split(r"(?<=[.!?])\s", caption, maxsplit=1)[0]
    return FigureView(figure_href(figure), caption, alt, figure.width, figure.height)


def _pick(pick: Pick, strings: i18n.Strings, number: int, with_audio: bool) -> PickView:
    authors, affiliations = _authors(pick, strings)
    writeup = pick.writeup_in(strings.language)
    if writeup is not None:
        paragraphs = tuple(p for p in (_collapse(p) for p in writeup.paragraphs) if p)
        recommendation = _collapse(writeup.recommendation)
        summary_language = writeup.language
    else:
        paragraphs, recommendation, summary_language = (display_text(pick.paper.abstract),), "", "en"
    segment = pick.audio.get(strings.language) if with_audio else None
    return PickView(
        anchor=f"{pick.section}-{pick.rank}",
        number=number,
        title=display_text(pick.paper.title),
        url=pick.paper.url,
        authors=authors,
        affiliations=affiliations,
        paragraphs=paragraphs,
        summary_language=summary_language,
        recommendation=recommendation,
        credit=pick.credit.line,
        audio=AudioView(audio_href(segment), segment.seconds) if segment else None,
        figure=_figure(pick) if pick.section == "featured" else None,
        fallback=writeup is not None and writeup.method == FALLBACK_METHOD,
        line=_collapse(writeup.line) if writeup is not None else "",
    )


def _episode(episode: Episode | None) -> EpisodeView | None:
    if episode is None:
        return None
    chapters = tuple(ChapterView(display_text(c.title), c.start) for c in episode.chapters)
    return EpisodeView(AudioView(audio_href(episode.audio), episode.audio.seconds), chapters)


def issue_view(issue: Issue, language: str, editions: Sequence[str], with_audio: bool) -> IssueView:
    """The issue as the ``language`` edition shows it; ``editions`` are all editions published."""
    strings = i18n.strings(language)
    featured = tuple(
        _pick(p, strings, n, with_audio) for n, p in enumerate(issue.section("featured"), start=1)
    )
    sections = []
    for name in FIELDS:
        picks = tuple(_pick(p, strings, n, with_audio) for n, p in enumerate(issue.section(name), start=1))
        if picks:
            heading = strings.section[name].format(count=len(picks))
            sections.append(SectionView(name, name, heading, picks))
    foreign = sorted({p.summary_language for p in featured if p.summary_language != language})
    partly = len(foreign) == 1 and any(p.summary_language == language for p in featured)
    notice = " ".join(i18n.untranslated_notice(strings, lang, partly=partly) for lang in foreign)
    week = issue.week
    return IssueView(
        strings=strings,
        week=str(week),
        headline=headline(issue),
        dates=week_dates(strings, week),
        pool=strings.pool.format(picks=len(issue.picks), pool=issue.pool_size) if issue.pool_size else "",
        notice=notice,
        featured=featured,
        sections=tuple(sections),
        episode=_episode(issue.episodes.get(language)) if with_audio else None,
        others=tuple(i18n.strings(e) for e in editions if e != language),
    )
