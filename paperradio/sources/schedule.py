"""arXiv's announcement schedule: which daily listing a submission first appears in.

arXiv closes each day's submissions at 14:00 US Eastern time, Monday to Friday, and announces them at
20:00 Eastern the same evening; the listing is dated the next day (00:00 GMT). Friday's batch is announced
on Sunday evening and dated Monday, so a week's listings run Monday to Friday. On arXiv holidays there is
neither a deadline nor an announcement: those submissions roll into the next batch.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
CUTOFF = time(14, 0)
ANNOUNCE_TIME = time(20, 0)

# Days arXiv announced no new papers (from arXiv's published holiday schedules). A missing holiday only
# shifts that day's batch by one listing day, so the list errs on the short side.
ARXIV_HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(d)
    for d in (
        "2024-11-28", "2024-12-25", "2025-01-01", "2025-11-27", "2025-12-25", "2026-01-01",
        "2026-11-26", "2026-12-25", "2027-01-01",
    )
)


def is_announcement_day(day: date) -> bool:
    """True for the weekdays that carry a daily listing."""
    return day.weekday() < 5 and day not in ARXIV_HOLIDAYS


def next_announcement_day(after: date) -> date:
    day = after + timedelta(days=1)
    while not is_announcement_day(day):
        day += timedelta(days=1)
    return day


def announcement_date(submitted: datetime) -> date:
    """The listing date of a paper whose v1 was submitted at ``submitted`` (timezone-aware, or UTC if naive).

    The batch closes at the first deadline (14:00 Eastern on an announcement day) at or after the
    submission; its listing is dated the next announcement day.
    """
    if submitted.tzinfo is None:
        submitted = submitted.replace(tzinfo=ZoneInfo("UTC"))
    local = submitted.astimezone(EASTERN)
    deadline_day = local.date()
    if local.time() >= CUTOFF or not is_announcement_day(deadline_day):
        deadline_day = next_announcement_day(deadline_day)
    return next_announcement_day(deadline_day)


def announced_at(listing_day: date) -> datetime:
    """When a listing goes public: 20:00 Eastern the evening before (Sunday evening for Monday's)."""
    return datetime.combine(listing_day - timedelta(days=1), ANNOUNCE_TIME, EASTERN)


def last_listing_day(monday: date) -> date | None:
    """The last announcement day of the week starting ``monday`` (None if arXiv announced nothing)."""
    days = [monday + timedelta(days=i) for i in range(5)]
    listed = [d for d in days if is_announcement_day(d)]
    return listed[-1] if listed else None


def week_is_complete(monday: date, now: datetime) -> bool:
    """Whether every listing of the week starting ``monday`` has been announced by ``now``."""
    last = last_listing_day(monday)
    return last is None or now >= announced_at(last)


def latest_complete_week_monday(now: datetime) -> date:
    """Monday of the most recent week whose listings have all been announced by ``now``."""
    monday = now.astimezone(EASTERN).date()
    monday -= timedelta(days=monday.weekday())
    return monday if week_is_complete(monday, now) else monday - timedelta(days=7)
