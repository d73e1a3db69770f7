"""Live ingestion: store what today's arXiv announcement gives, completed from the arXiv API.

The RSS feed says which papers were announced (new, cross-listed, replaced) but not their affiliations,
comments, journal references or first-announcement day; the API does. One run:

1. fetch the day's feed for the configured categories (an empty weekday feed is an error, see arxiv_rss);
2. ask the API, by id, for every listed paper the store lacks or holds at an older version;
3. store papers and announcements (and every dropped item with its reason) in one transaction, under the
   source key ``arxiv-rss:<categories>:<day>``.

Only papers announced as new count as new. A cross-list or replacement of a paper the store lacks stores
that paper with its real first-announcement day (from the API), counted as backfilled; a replacement of a
stored paper updates it. Running the same day twice changes nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..config import Settings
from ..models import Announcement, Paper
from ..store import Store
from ._http import PoliteClient, Politeness
from .arxiv_api import fetch_by_ids
from .arxiv_rss import RssItem, fetch_announcements

log = logging.getLogger(__name__)


@dataclass
class LiveReport:
    """Counts of one live ingest; ``skipped`` holds (item, reason) of everything dropped."""

    source: str
    day: date
    fetched: int = 0
    """Items in the feed, readable or not."""
    new: int = 0
    """Papers announced as new today and stored for the first time."""
    updated: int = 0
    """Stored papers replaced by a newer version."""
    cross_listed: int = 0
    """Cross-list announcements ("cross", not "replace-cross") recorded for the first time."""
    backfilled: int = 0
    """Papers first stored because of a cross-list or replacement (announced on an earlier day)."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        prefix = "dry run, nothing stored: " if self.dry_run else ""
        return (f"{prefix}{self.day}: fetched {self.fetched}, new {self.new}, updated {self.updated}, "
                f"cross-listed {self.cross_listed}, backfilled {self.backfilled}, skipped {len(self.skipped)}")


def polite_client(settings: Settings) -> PoliteClient:
    """The one client of a run, with the configured contact, interval and retries."""
    return PoliteClient(settings.contact_email,
                        Politeness(interval=settings.request_interval, retries=settings.http_retries))


def _merge(listed: Paper, api: Paper | None) -> Paper:
    """The fullest record of a listed paper: the API's, unless the API still serves an older version."""
    if api is None:
        return listed
    if api.version >= listed.version:
        return api
    log.debug("API has %s v%d, the feed v%d: keeping the feed's text", api.arxiv_id, api.version, listed.version)
    return dataclasses.replace(listed, submitted=api.submitted, comments=api.comments,
                               journal_ref=api.journal_ref or listed.journal_ref, doi=listed.doi or api.doi)


def _resolve(items: list[RssItem], stored: Paper | None, api: Paper | None) -> Paper | str:
    """The paper to store for one id's listing lines, or why none can be."""
    latest = max(items, key=lambda i: i.paper.version).paper
    merged = _merge(latest, api)
    if any(i.announcement.kind == "new" for i in items):
        return dataclasses.replace(merged, announced=items[0].announcement.day)
    if stored is not None:
        return dataclasses.replace(merged, announced=stored.announced,
                                   submitted=merged.submitted or stored.submitted)
    if api is not None:
        return merged  # the API's record carries the first-announcement day from v1's submission
    kinds = "/".join(sorted({i.announcement.kind for i in items}))
    return (f"the arXiv API has no record of {latest.arxiv_id}: its {kinds} announcement is kept, but the "
            f"paper is not stored (its first announcement day is unknown)")


def ingest_announcements(
    store: Store,
    client: PoliteClient,
    *,
    categories: Sequence[str],
    rss_base_url: str,
    api_base_url: str,
    dry_run: bool = False,
    api_batch: int = 100,
) -> LiveReport:
    """Fetch today's announcements of ``categories`` and store them; ``dry_run`` fetches but stores nothing."""
    page = fetch_announcements(client, categories, rss_base_url)
    source = f"arxiv-rss:{'+'.join(categories)}:{page.day.isoformat()}"
    report = LiveReport(source=source, day=page.day, fetched=len(page.items) + len(page.skipped),
                        skipped=list(page.skipped), dry_run=dry_run)
    by_id: dict[str, list[RssItem]] = {}
    for item in page.items:
        by_id.setdefault(item.paper.arxiv_id, []).append(item)
    stored = store.papers_by_id(list(by_id))
    wanted = [i for i, items in by_id.items()
              if i not in stored or stored[i].version < max(it.paper.version for it in items)]
    api = {p.arxiv_id: p for p in fetch_by_ids(client, wanted, api_base_url, batch=api_batch)} if wanted else {}

    known = {(a.arxiv_id, a.kind, a.category) for a in store.announcements(page.day, page.day)}
    announcements: list[Announcement] = [item.announcement for item in page.items]
    report.cross_listed = len({(a.arxiv_id, a.category) for a in announcements
                               if a.kind == "cross" and (a.arxiv_id, a.kind, a.category) not in known})
    papers: list[Paper] = []
    for arxiv_id in wanted:
        items = by_id[arxiv_id]
        paper = _resolve(items, stored.get(arxiv_id), api.get(arxiv_id))
        if isinstance(paper, str):
            log.warning("%s", paper)
            report.skipped.append((arxiv_id, paper))
            continue
        papers.append(paper)
        if arxiv_id in stored:
            report.updated += 1
        elif any(i.announcement.kind == "new" for i in items):
            report.new += 1
        else:
            report.backfilled += 1
    if not dry_run:
        added, updated = store.add_papers(papers, source=source, lines_done=report.fetched, skips=report.skipped,
                                          completed=True, announcements=announcements)
        if (added, updated) != (report.new + report.backfilled, report.updated):
            log.warning("store counted %d added and %d updated, expected %d and %d (a concurrent writer?)",
                        added, updated, report.new + report.backfilled, report.updated)
    log.info("%s", report.summary())
    return report
