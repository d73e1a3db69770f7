"""Author track records from the store's history, and who a pick is credited to.

Names are ambiguous: the key "wang wei" stands for hundreds of people. So an author's record on a paper
counts only the history papers that we can tie to *this* person: those that share a co-author with the
paper at hand (a group's students and collaborators recur). A namesake's papers share none and do not
count. Links through co-authors whose own name key is very common (``HUB_PAPERS`` or more papers) are
ignored, as they are as likely to be namesakes themselves. (Chaining links transitively was tried and
merged common names back together.)

Giant teams (``HUGE_TEAM`` authors or more, such as a 300-author model report) tie strangers together by
accident: a common name on such a team shares a co-author with half the field. So a giant-team history paper
links nobody; on a giant-team paper a history paper must share ``HUGE_TEAM_LINKS`` co-authors to count; and
an author of a giant team whose own name key is common gets no record there at all (their evidence would be
a namesake's); and only the first or last author of a giant team is credited, unless the paper is signed by
a collective ("Kimi Team"), which is then credited. A record then holds, over the history window before the week: linked
papers, of which as senior (last) author of a team of three or more, distinct co-authors on them (degree in
the co-author network) and papers in the last 90 days. The track score grows with the logarithm of
each, so one prolific year does not drown everything else.

Online (setting ``author_sources``, rank/enrich.py): an author's h-index from OpenAlex or Semantic Scholar,
matched to this paper's byline, adds ``ONLINE_WEIGHT * log(1 + h-index)`` to the track score, and the
evidence quotes it ("h-index 85, 120k citations (OpenAlex)").
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..models import Authorship, Credit, Paper

if TYPE_CHECKING:
    from ..sources.scholar import AuthorMetrics

RECENT_DAYS = 90
SENIOR_MIN_TEAM = 3
LAST_AUTHOR_BONUS = 0.5  # editors credit the senior (last) author when the records are close
CO_CREDIT_RATIO = 0.85  # a second author is credited too when nearly as notable
HUB_PAPERS = 60
ONLINE_WEIGHT = 1.0  # log(1 + h-index): h-index 20 alone clears the default credit threshold of 3
HUGE_TEAM = 30
HUGE_TEAM_LINKS = 2
_COLLECTIVE = re.compile(r"^\s*team\s|\s(team|consortium|collaboration)\s*$", re.I)
"""An author that is a group signing the paper ("Kimi Team", "Team Seedance", "ATLAS Collaboration")."""


@dataclass(frozen=True)
class _Slot:
    """One history paper of one author."""

    announced: date
    senior: bool
    team: frozenset[str]


@dataclass(frozen=True)
class AuthorRecord:
    papers: int
    senior: int
    recent: int
    coauthors: int
    namesake_papers: int
    """Papers under the same name key that could not be tied to this person."""
    online: AuthorMetrics | None = None
    """Metrics from a scholarly index, matched to this paper's byline (when ``author_sources`` is set)."""

    @property
    def score(self) -> float:
        return (
            math.log1p(self.papers)
            + 1.5 * math.log1p(self.senior)
            + 0.5 * math.log1p(self.coauthors)
            + 0.5 * math.log1p(self.recent)
            + (ONLINE_WEIGHT * math.log1p(self.online.h_index) if self.online and self.online.h_index else 0.0)
        )

    def evidence(self) -> str:
        text = (f"{_count(self.papers, 'linked paper')} in the past year, {self.senior} as senior author, "
                f"{self.recent} in the last {RECENT_DAYS} days, {_count(self.coauthors, 'co-author')}")
        if self.namesake_papers:
            text += f" ({self.namesake_papers} more under the same name not linked)"
        if self.online is not None:
            text = f"{text}; {self.online.evidence()}" if self.papers else self.online.evidence()
        return text


def _count(n: int, noun: str) -> str:
    """ "1 linked paper", "3 linked papers"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


NO_RECORD = AuthorRecord(0, 0, 0, 0, 0)


class History:
    """Authorships before a week, indexed by author key."""

    def __init__(self, authorships: Iterable[Authorship], until: date) -> None:
        self.until = until
        teams: dict[str, list[Authorship]] = defaultdict(list)
        for slot in authorships:
            if slot.announced < until and slot.author_key:
                teams[slot.arxiv_id].append(slot)
        self._slots: dict[str, list[_Slot]] = defaultdict(list)
        for members in teams.values():
            # a giant team's members are kept as a paper of each, but link nobody (see the module doc)
            keys = frozenset(m.author_key for m in members) if len(members) < HUGE_TEAM else frozenset()
            for m in members:
                senior = m.position == m.author_count - 1 and m.author_count >= SENIOR_MIN_TEAM
                self._slots[m.author_key].append(_Slot(m.announced, senior, keys - {m.author_key}))
        self._hubs = frozenset(k for k, slots in self._slots.items() if len(slots) >= HUB_PAPERS)

    def record(self, key: str, paper: Paper) -> AuthorRecord:
        """The record of author ``key`` as tied to ``paper``'s team."""
        slots = self._slots.get(key)
        if not slots:
            return NO_RECORD
        giant = len(paper.authors) >= HUGE_TEAM
        if giant and key in self._hubs:
            return AuthorRecord(0, 0, 0, 0, namesake_papers=len(slots))
        team = {a.key for a in paper.authors} - {key} - self._hubs
        needed = HUGE_TEAM_LINKS if giant else 1
        linked = [s for s in slots if len(s.team & team) >= needed]
        recent_from = self.until - timedelta(days=RECENT_DAYS)
        return AuthorRecord(
            papers=len(linked),
            senior=sum(s.senior for s in linked),
            recent=sum(s.announced >= recent_from for s in linked),
            coauthors=len(set().union(*(s.team for s in linked))) if linked else 0,
            namesake_papers=len(slots) - len(linked),
        )


def author_scores(paper: Paper, history: History, online: Mapping[str, AuthorMetrics] | None = None,
                  ) -> list[tuple[float, int, AuthorRecord]]:
    """(track score, position, record) of each author, best first; the last author gets a small bonus.
    ``online`` holds this paper's authors' index metrics by author key (rank/enrich.py)."""
    last = len(paper.authors) - 1
    scored = []
    for position, author in enumerate(paper.authors):
        record = history.record(author.key, paper)
        if online and author.key in online:
            record = dataclasses.replace(record, online=online[author.key])
        bonus = LAST_AUTHOR_BONUS if position == last and last > 0 and (record.papers or record.online) else 0.0
        scored.append((record.score + bonus, position, record))
    return sorted(scored, key=lambda s: (-s[0], -s[1]))


def credit(paper: Paper, scored: list[tuple[float, int, AuthorRecord]], threshold: float) -> Credit:
    """Credit the most notable author(s) by evidence, or nobody when no one clears ``threshold``.

    A giant team signed by a collective ("Kimi Team") is credited to it, as editors do; otherwise only its
    first and last authors may be credited: a name deep in a 300-author list is not who the paper is from.
    A smaller paper signed by a collective ("CocoaBench Team") credits its notable researchers, and the
    collective only when none clears the threshold.
    """
    last = len(paper.authors) - 1
    collective = next((a.name for a in paper.authors if _COLLECTIVE.search(a.name)), None)
    signed = Credit((collective,), f"{collective}: the collective author of this {last + 1}-author paper") \
        if collective else None
    if len(paper.authors) >= HUGE_TEAM:
        if signed:
            return signed
        scored = [s for s in scored if s[1] in (0, last)]
    if not scored or scored[0][0] < threshold:
        return signed or Credit((), "no author's linked track record clears the threshold")
    best = scored[0][0]
    chosen = [scored[0]] + [s for s in scored[1:2] if s[0] >= threshold and s[0] >= CO_CREDIT_RATIO * best]
    names, evidence = [], []
    for _score, position, record in chosen:
        author = paper.authors[position]
        role = "last author" if position == last else "first author" if position == 0 else f"author {position + 1}"
        names.append(author.name)
        evidence.append(f"{author.name} ({role}): {record.evidence()}")
    return Credit(tuple(names), "; ".join(evidence))
