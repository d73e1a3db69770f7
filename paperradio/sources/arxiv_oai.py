"""Bulk and backfill harvesting from arXiv's OAI-PMH interface (``https://oaipmh.arxiv.org/oai``).

``harvest`` walks a ``ListRecords`` list (one metadata format, optionally one set and a date range),
page by page along the resumption tokens, through the shared :class:`~._http.PoliteClient`. Each page's
papers, its skipped records and the token of the next page commit to the store in one transaction, under
a source key naming the request (:func:`harvest_key`). So a harvest killed at any point resumes from the
last committed page, losing and duplicating nothing, and a finished harvest is not fetched again.

The date range selects records by OAI *datestamp*, the day arXiv last changed a record's metadata (new
version, journal reference, bulk fixes), not by submission date: a range returns new papers and old ones
touched in it. Re-harvested papers are stored only when their version is newer than the stored one.

Responses arXiv gets wrong now and then are retried like HTTP errors: a truncated or malformed page, and
an empty page that still carries a resumption token. OAI-PMH errors (``badArgument``,
``badResumptionToken``...) are not retried: they raise :class:`OAIError` with arXiv's message, except
``noRecordsMatch``, which is an empty result. How each metadata format gives versions and announcement
dates is described in :mod:`._oai_xml`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import httpx

from ..errors import SourceError
from ..store import Store
from ._http import PoliteClient
from ._oai_xml import SUPPORTED_FORMATS, MalformedPage, OAIError, OAIPage, SkippedRecord, parse_page

__all__ = [
    "SUPPORTED_FORMATS",
    "HarvestReport",
    "MalformedPage",
    "OAIError",
    "OAIPage",
    "SkippedRecord",
    "harvest",
    "harvest_key",
    "parse_page",
]

log = logging.getLogger(__name__)

OAI_URL = "https://oaipmh.arxiv.org/oai"
"""arXiv's OAI-PMH endpoint (the older ``http://export.arxiv.org/oai2`` redirects here)."""


@dataclass
class HarvestReport:
    """Counts of one harvest run; a resumed run counts only what it fetched itself."""

    source: str
    pages: int = 0
    fetched: int = 0
    """Records that became papers."""
    new: int = 0
    updated: int = 0
    skipped: list[SkippedRecord] = field(default_factory=list)
    already_done: bool = False
    resumed: bool = False
    dry_run: bool = False

    @property
    def unchanged(self) -> int:
        return self.fetched - self.new - self.updated

    def summary(self) -> str:
        if self.already_done:
            return f"{self.source}: already harvested, nothing to do"
        would = "would be " if self.dry_run else ""
        return (f"fetched {self.fetched} in {self.pages} pages, {would}new {self.new}, {would}updated "
                f"{self.updated}, unchanged {self.unchanged}, skipped {len(self.skipped)}")


def harvest_key(metadata_prefix: str, set_spec: str | None, since: date | None, until: date | None) -> str:
    """The store's name for one harvest request: its progress and resumption token are kept under it."""
    return f"oai:{metadata_prefix}:{set_spec or '*'}:{since or ''}:{until or ''}"


def harvest(
    store: Store,
    client: PoliteClient,
    base_url: str = OAI_URL,
    metadata_prefix: str = "arXivRaw",
    set_spec: str | None = None,
    since: date | None = None,
    until: date | None = None,
    progress: Callable[[int], object] | None = None,
    dry_run: bool = False,
    *,
    restart: bool = False,
) -> HarvestReport:
    """Harvest the records of ``set_spec`` with datestamps from ``since`` to ``until`` into ``store``.

    ``until`` None means today (UTC), so an open-ended harvest is one source per day. ``progress``
    receives the number of records of each page. ``dry_run`` fetches and parses every page but writes
    nothing, counting what would be new or updated. ``restart`` ignores stored progress and starts the
    range over; papers already stored are kept and none is duplicated.
    """
    if metadata_prefix not in SUPPORTED_FORMATS:
        raise SourceError(f"metadata format {metadata_prefix!r} is not supported: harvest with "
                          f"{' or '.join(SUPPORTED_FORMATS)} (oai_dc has no category codes and no versions)")
    until = until or datetime.now(UTC).date()
    if since is not None and since > until:
        raise SourceError(f"harvest range starts {since} after it ends {until}; swap the dates")
    key = harvest_key(metadata_prefix, set_spec, since, until)
    report = HarvestReport(source=key, dry_run=dry_run)
    seen: dict[str, int] = {}  # a dry run's own versions, as the store would hold them by now
    done, completed = store.ingest_progress(key)
    token = store.ingest_cursor(key)
    if restart:
        done, completed, token = 0, False, None
    if completed:
        report.already_done = True
        log.info("%s: already harvested, nothing to do", key)
        return report
    params: dict[str, str]
    if token:
        report.resumed = True
        log.info("resuming %s after %d records", key, done)
        params = {"verb": "ListRecords", "resumptionToken": token}
    else:
        params = {"verb": "ListRecords", "metadataPrefix": metadata_prefix, "until": until.isoformat()}
        if set_spec:
            params["set"] = set_spec
        if since:
            params["from"] = since.isoformat()
    while True:
        page = _fetch(client, base_url, params)
        report.pages += 1
        done += page.records
        _store_page(store, key, page, done, report, seen)
        log.debug("page %d: %d records (%d papers, %d skipped); %s", report.pages, page.records,
                  len(page.papers), len(page.skipped), "more to come" if page.token else "list complete")
        if progress is not None:
            progress(page.records)
        if page.token is None:
            break
        if page.token == params.get("resumptionToken"):
            raise SourceError(f"{base_url} returned resumption token {page.token!r} again, which would loop "
                              "forever; try again later or report it to arXiv")
        params = {"verb": "ListRecords", "resumptionToken": page.token}
    log.info("%s", report.summary())
    return report


def _store_page(store: Store, key: str, page: OAIPage, done: int, report: HarvestReport,
                seen: dict[str, int]) -> None:
    report.fetched += len(page.papers)
    report.skipped.extend(page.skipped)
    for skip in page.skipped:
        log.debug("skipped %s: %s", skip.identifier, skip.reason)
    if report.dry_run:
        latest: dict[str, int] = {}
        for paper in page.papers:
            latest[paper.arxiv_id] = max(paper.version, latest.get(paper.arxiv_id, 0))
        known = {i: p.version for i, p in store.papers_by_id([i for i in latest if i not in seen]).items()}
        for arxiv_id, version in latest.items():
            before = seen.get(arxiv_id, known.get(arxiv_id))
            if before is None:
                report.new += 1
            elif version > before:
                report.updated += 1
            seen[arxiv_id] = max(version, before or 0)
        return
    skips = {s.identifier: s.reason for s in page.skipped}
    new, updated = store.add_papers(page.papers, source=key, lines_done=done, skips=list(skips.items()),
                                    completed=page.token is None, cursor=page.token)
    report.new += new
    report.updated += updated


class _PageCheck:
    """``accept`` for PoliteClient: parses each response once, and sends malformed pages and empty pages
    that still have a resumption token back to be retried."""

    def __init__(self, client: PoliteClient) -> None:
        self.client = client
        self.page: OAIPage | None = None
        self.refusal: OAIError | None = None
        self.rejected_request = -1
        self.problem = ""

    def __call__(self, response: httpx.Response) -> bool:
        try:
            self.page = parse_page(response.content)
        except OAIError as exc:  # arXiv's considered answer: retrying cannot change it
            self.refusal = exc
            return True
        except MalformedPage as exc:
            return self._reject(str(exc))
        if self.page.records == 0 and self.page.token is not None:
            return self._reject("an empty page that still has a resumption token")
        return True

    def _reject(self, problem: str) -> bool:
        self.rejected_request, self.problem = self.client.requests, problem
        return False


def _explain(response: httpx.Response) -> str | None:
    """arXiv's own words for an HTTP error that carries an OAI-PMH error document."""
    try:
        parse_page(response.content)
    except OAIError as exc:
        return str(exc)
    except SourceError:
        pass
    return None


def _fetch(client: PoliteClient, url: str, params: dict[str, str]) -> OAIPage:
    check = _PageCheck(client)
    try:
        client.get(url, params=params, accept=check, explain=_explain)
    except SourceError as exc:
        if check.rejected_request == client.requests:  # the last attempt was answered, but badly
            raise SourceError(f"{url} kept answering {check.problem} ({exc}); try again later: "
                              "the harvest resumes from the last stored page") from None
        raise
    if check.refusal is not None:
        raise check.refusal
    assert check.page is not None
    return check.page
