"""The records that flow through the pipeline: sources -> store -> rank -> write -> radio -> publish.

Every record is a frozen dataclass with ``to_dict``/``from_dict`` so it can cross a process boundary,
be stored as JSON, or be printed with ``--json``. A stage reads records and returns new ones; it never
mutates its input.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

Field = Literal["nlp", "cv", "ml"]
"""The three research fields of the Radiostation."""

Section = Literal["featured", "nlp", "cv", "ml"]
"""Where a pick appears in the issue."""

FIELDS: tuple[Field, ...] = ("nlp", "cv", "ml")
JOURNAL_SOURCE = "journal:"
"""``Paper.source`` prefix of papers from journal feeds (sources/journal_rss.py): "journal:nature"."""
SECTIONS: tuple[Section, ...] = ("featured", "nlp", "cv", "ml")

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def author_key(name: str) -> str:
    """Normalize an author name for matching across papers: "<surname> <first given name>".

    Accents are folded, case and punctuation dropped, suffixes such as "Jr." and middle names removed:
    "José M. Álvarez Jr." and "Jose Alvarez" share the key "alvarez jose". A name given only by
    initials keeps the initial ("alvarez j") and stays apart: we would rather split one researcher
    than merge namesakes. docs/ranking.md states the policy for ambiguous names.
    """
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"[^\w\s-]", " ", folded)
    parts = [p.strip("-") for p in folded.split() if p.strip("-") and p not in _NAME_SUFFIXES]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return f"{parts[-1]} {parts[0]}"


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd"})


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    affiliation: str | None = None

    @property
    def key(self) -> str:
        return author_key(self.name)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Author:
        return cls(name=data["name"], affiliation=data.get("affiliation"))


@dataclass(frozen=True, slots=True)
class Paper:
    """One arXiv paper (or a journal paper with ``source`` other than "arxiv")."""

    arxiv_id: str
    title: str
    abstract: str
    authors: tuple[Author, ...]
    categories: tuple[str, ...]
    """arXiv categories, primary first."""
    announced: date
    """The day the paper first appeared in arXiv's daily "new" listing."""
    submitted: datetime | None = None
    """Submission time of v1 (UTC), when known."""
    version: int = 1
    comments: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    source: str = "arxiv"

    @property
    def primary_category(self) -> str:
        return self.categories[0] if self.categories else ""

    @property
    def from_journal(self) -> bool:
        return self.source.startswith(JOURNAL_SOURCE)

    @property
    def url(self) -> str:
        """The abstract page: arXiv's, or for a journal paper its DOI link."""
        if self.from_journal and self.doi:
            return f"https://doi.org/{self.doi}"
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        """arXiv's PDF; a journal paper has no stable PDF address, so its DOI link (a landing page)."""
        if self.from_journal:
            return self.url
        return f"https://arxiv.org/pdf/{self.arxiv_id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "arxiv_id": self.arxiv_id,
            "title": self.title,
            "abstract": self.abstract,
            "authors": [a.to_dict() for a in self.authors],
            "categories": list(self.categories),
            "announced": self.announced.isoformat(),
            "submitted": self.submitted.isoformat() if self.submitted else None,
            "version": self.version,
            "comments": self.comments,
            "journal_ref": self.journal_ref,
            "doi": self.doi,
            "source": self.source,
            "url": self.url,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Paper:
        submitted = data.get("submitted")
        return cls(
            arxiv_id=data["arxiv_id"],
            title=data["title"],
            abstract=data["abstract"],
            authors=tuple(Author.from_dict(a) for a in data["authors"]),
            categories=tuple(data["categories"]),
            announced=date.fromisoformat(data["announced"]),
            submitted=datetime.fromisoformat(submitted) if submitted else None,
            version=int(data.get("version", 1)),
            comments=data.get("comments"),
            journal_ref=data.get("journal_ref"),
            doi=data.get("doi"),
            source=data.get("source", "arxiv"),
        )


@dataclass(frozen=True)
class Week:
    """An announcement week: arXiv's listings of Monday to Friday of one ISO week."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """Parse "2026-W16"; raise ValueError with the expected format otherwise."""
        match = _WEEK_RE.match(text.strip())
        if not match:
            raise ValueError(f"bad week {text!r}: expected YYYY-Www, for example 2026-W16")
        year, number = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ValueError(f"bad week {text!r}: {year} has no ISO week {number}") from None
        return cls(year, number)

    @classmethod
    def containing(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def friday(self) -> date:
        return self.monday + timedelta(days=4)

    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(5)]

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


@dataclass(frozen=True)
class Credit:
    """Who a pick is credited to ("from X, Y") and the evidence for it."""

    names: tuple[str, ...]
    evidence: str
    """Plain-language evidence, e.g. "last author; 14 papers in the archive, 9 as senior author"."""

    @property
    def line(self) -> str:
        """The credit as editors print it; says so when nobody on the paper has a track record."""
        if not self.names:
            return "(no established author on record)"
        return f"(from {', '.join(self.names)})"

    def to_dict(self) -> dict[str, Any]:
        return {"names": list(self.names), "evidence": self.evidence, "line": self.line}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Credit:
        return cls(names=tuple(data["names"]), evidence=data["evidence"])


@dataclass(frozen=True)
class Figure:
    """The key figure of a featured paper: a PNG cropped from its PDF with the caption.

    ``path`` is relative to the figures folder: ``<home>/cache/figures/`` where the write stage crops it,
    ``<out>/<week>/figures/`` where publish copies it.
    """

    path: str
    caption: str
    page: int
    """1-based page of the PDF it was cropped from."""
    width: int
    """Pixels."""
    height: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Figure:
        return cls(path=data["path"], caption=data["caption"], page=int(data["page"]), width=int(data["width"]),
                   height=int(data["height"]))


@dataclass(frozen=True)
class Writeup:
    """What the writer produced for one pick."""

    paragraphs: tuple[str, ...]
    """2-4 paragraphs for a featured pick (problem, idea, evidence); one for a Radiostation pick."""
    recommendation: str
    """One line: why this paper is worth your time."""
    headline: str
    """A short phrase for the issue title."""
    line: str
    """One sentence for the Radiostation list and its audio."""
    method: str = "extractive"
    language: str = "en"
    figure: Figure | None = None
    """The paper's key figure (featured picks)."""
    figure_note: str = ""
    """Why a featured pick has no figure (e.g. the PDF could not be downloaded); empty otherwise."""

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["paragraphs"] = list(self.paragraphs)
        data["figure"] = self.figure.to_dict() if self.figure else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Writeup:
        return cls(
            paragraphs=tuple(data["paragraphs"]),
            recommendation=data["recommendation"],
            headline=data["headline"],
            line=data["line"],
            method=data.get("method", "extractive"),
            language=data.get("language", "en"),
            figure=Figure.from_dict(data["figure"]) if data.get("figure") else None,
            figure_note=data.get("figure_note", ""),
        )


@dataclass(frozen=True)
class Segment:
    """A rendered piece of audio.

    ``path`` is relative to the week's audio folder: ``<home>/audio/<week>/`` where the radio stage
    renders it, ``<out>/<week>/audio/`` where publish copies it.
    """

    path: str
    seconds: float
    voice: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Segment:
        return cls(path=data["path"], seconds=float(data["seconds"]), voice=data["voice"], text=data["text"])


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    """Seconds from the start of the episode."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Chapter:
        return cls(title=data["title"], start=float(data["start"]))


@dataclass(frozen=True)
class Episode:
    """The full spoken episode of one edition of an issue."""

    language: str
    audio: Segment
    chapters: tuple[Chapter, ...]
    loudness_lufs: float
    true_peak_dbfs: float
    transcript: str | None = None
    """WebVTT transcript, relative to the week's audio folder like ``audio.path``."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "audio": self.audio.to_dict(),
            "chapters": [c.to_dict() for c in self.chapters],
            "loudness_lufs": self.loudness_lufs,
            "true_peak_dbfs": self.true_peak_dbfs,
            "transcript": self.transcript,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Episode:
        return cls(
            language=data["language"],
            audio=Segment.from_dict(data["audio"]),
            chapters=tuple(Chapter.from_dict(c) for c in data["chapters"]),
            loudness_lufs=float(data["loudness_lufs"]),
            true_peak_dbfs=float(data["true_peak_dbfs"]),
            transcript=data.get("transcript"),
        )


@dataclass(frozen=True)
class Pick:
    """A paper chosen for the issue, with everything later stages add to it."""

    paper: Paper
    section: Section
    field: Field
    """The paper's research field, also for featured picks."""
    rank: int
    """1-based position within the section."""
    score: float
    features: Mapping[str, float]
    """Score breakdown: each feature's weighted contribution to ``score``."""
    credit: Credit
    writeup: Writeup | None = None
    audio: Mapping[str, Segment] = dataclasses.field(default_factory=dict)
    """Spoken segment per language ("en", "zh")."""
    translations: Mapping[str, Writeup] = dataclasses.field(default_factory=dict)
    """``writeup`` in other languages ("zh"), when a translation service made them."""

    def writeup_in(self, language: str) -> Writeup | None:
        """The write-up in ``language`` if translated, else the original (English) one."""
        return self.translations.get(language, self.writeup)

    def to_dict(self) -> dict[str, Any]:
        return {
            "arxiv_id": self.paper.arxiv_id,
            "section": self.section,
            "field": self.field,
            "rank": self.rank,
            "score": round(self.score, 6),
            "features": {k: round(v, 6) for k, v in self.features.items()},
            "credit": self.credit.to_dict(),
            "paper": self.paper.to_dict(),
            "writeup": self.writeup.to_dict() if self.writeup else None,
            "audio": {lang: seg.to_dict() for lang, seg in self.audio.items()},
            "translations": {lang: w.to_dict() for lang, w in self.translations.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pick:
        return cls(
            paper=Paper.from_dict(data["paper"]),
            section=data["section"],
            field=data["field"],
            rank=int(data["rank"]),
            score=float(data["score"]),
            features=dict(data["features"]),
            credit=Credit.from_dict(data["credit"]),
            writeup=Writeup.from_dict(data["writeup"]) if data.get("writeup") else None,
            audio={lang: Segment.from_dict(s) for lang, s in (data.get("audio") or {}).items()},
            translations={lang: Writeup.from_dict(w) for lang, w in (data.get("translations") or {}).items()},
        )


@dataclass(frozen=True)
class Issue:
    """One weekly issue: the picks of an announcement week and its episodes."""

    week: Week
    picks: tuple[Pick, ...]
    episodes: Mapping[str, Episode] = dataclasses.field(default_factory=dict)
    """Full episode per language ("en", "zh")."""
    pool_size: int = 0
    """How many papers of the week were considered."""

    def section(self, name: Section) -> list[Pick]:
        return sorted((p for p in self.picks if p.section == name), key=lambda p: p.rank)

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": str(self.week),
            "monday": self.week.monday.isoformat(),
            "friday": self.week.friday.isoformat(),
            "pool_size": self.pool_size,
            "picks": [p.to_dict() for p in self.picks],
            "episodes": {lang: e.to_dict() for lang, e in self.episodes.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Issue:
        return cls(
            week=Week.parse(data["week"]),
            picks=tuple(Pick.from_dict(p) for p in data["picks"]),
            episodes={lang: Episode.from_dict(e) for lang, e in (data.get("episodes") or {}).items()},
            pool_size=int(data.get("pool_size", 0)),
        )


@dataclass(frozen=True)
class Authorship:
    """One author slot of one paper in the store's history, the raw material of track records."""

    arxiv_id: str
    announced: date
    author_key: str
    position: int
    """0-based position in the author list."""
    author_count: int


@dataclass(frozen=True)
class Announcement:
    """One line of an arXiv daily announcement: a paper listed as new, cross-listed, or replaced."""

    arxiv_id: str
    day: date
    kind: str
    """"new", "cross", "replace" or "replace-cross", as arXiv's feeds say."""
    category: str
    """The listing (category) it was announced in; for a cross-list, the category it was cross-listed to."""
    version: int = 1
