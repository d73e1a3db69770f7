"""Hugging Face Daily Papers: the community's upvotes of arXiv papers, an optional popularity signal.

Enabled by the setting ``popularity_sources = ["huggingface"]`` (off by default, and off in the editorial
benchmark, whose labels are these very lists). One request per day of the week and the Monday after
(``/api/daily_papers?date=YYYY-MM-DD``), since a paper announced on Friday is often listed on Monday.
The answer is a JSON list of entries, each with the paper (``paper.id`` its arXiv id, ``paper.upvotes``);
a paper listed on several days counts its highest count.

A day's list is cached in the store; upvotes keep coming for a few days, so a day is asked again until it is
``SETTLED_DAYS`` old, after which its cached list is final.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from ..errors import SourceError
from ._http import PoliteClient, Politeness
from .scholar import MAX_WAIT, CachedService, bare_id, count, error_message, json_body, records, text

SERVICE = "Hugging Face"
INTERVAL = 1.0
"""Seconds between requests: a handful a week, no need to press."""
SETTLED_DAYS = 7
"""A day's list older than this is final: its cached upvotes are not asked again."""
CACHE = "hf-daily"
"""Store cache namespace: ISO day -> {"asked": ISO day, "upvotes": {arXiv id: count}}."""

_explain = error_message("error", "message")
"""The Hub's error JSON: {"error": "Invalid date"}."""


def polite_client(contact: str, *, retries: int = 4, **timing: Any) -> PoliteClient:
    """A client with the Hub's manners; ``timing`` (clock, sleep, wall_clock) is for tests."""
    politeness = Politeness(interval=INTERVAL, min_interval=INTERVAL, service=SERVICE, retries=retries,
                            timeout=30.0, max_wait=MAX_WAIT)
    return PoliteClient(contact, politeness, **timing)


def week_days(monday: date) -> list[date]:
    """The days whose lists can hold the papers announced in the week of ``monday``: Monday to next Monday."""
    return [monday + timedelta(days=n) for n in range(8)]


def read_day(body: object) -> dict[str, int]:
    """arXiv id (without version) -> upvotes, from one day's answer; entries without both are skipped."""
    upvotes: dict[str, int] = {}
    for entry in records(body):
        paper = entry.get("paper")
        if not isinstance(paper, Mapping):
            continue
        arxiv_id, votes = text(paper.get("id")), count(paper.get("upvotes"))
        if arxiv_id and votes is not None:
            key = bare_id(arxiv_id)
            upvotes[key] = max(votes, upvotes.get(key, 0))
    return upvotes


class DailyPapers(CachedService):
    """Upvotes from the Daily Papers lists, cached in ``store``."""

    name = SERVICE

    def upvotes(self, days: Iterable[date]) -> dict[str, int]:
        """arXiv id (without version) -> the highest upvote count on any of ``days`` (future days skipped).

        Raises SourceError when the service fails; the days read before stay cached.
        """
        found: dict[str, int] = {}
        for day in days:
            if day > self._today:
                continue
            for arxiv_id, votes in self._day(day).items():
                found[arxiv_id] = max(votes, found.get(arxiv_id, 0))
        return found

    def _day(self, day: date) -> Mapping[str, int]:
        cached = self._store.cache_get(CACHE, day.isoformat())
        if isinstance(cached, Mapping) and isinstance(cached.get("upvotes"), Mapping):
            known: Mapping[str, int] = cached["upvotes"]
            settled = date.fromisoformat(cached["asked"]) - day >= timedelta(days=SETTLED_DAYS)
            if settled or self.offline or cached["asked"] == self._today.isoformat():
                return known
        if self.offline:
            return {}
        url = f"{self._base}/api/daily_papers"
        response = self._client.get(url, params={"date": day.isoformat(), "limit": "100"}, explain=_explain)
        body = json_body(self._client, response, SERVICE)
        if not isinstance(body, list):
            raise SourceError(f"{SERVICE}: {self._client.mask(response.url)} answered JSON that is not a list "
                              "of papers")
        upvotes = read_day(body)
        self._store.cache_put(CACHE, day.isoformat(), {"asked": self._today.isoformat(), "upvotes": upvotes})
        return upvotes
