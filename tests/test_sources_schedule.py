from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from paperradio.sources.schedule import (
    announced_at,
    announcement_date,
    is_announcement_day,
    latest_complete_week_monday,
    week_is_complete,
)

ET = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("submitted", "listed"),
    [
        # Monday before the 14:00 ET deadline: announced Monday evening, listed Tuesday.
        (datetime(2026, 4, 13, 13, 59, tzinfo=ET), date(2026, 4, 14)),
        # Monday after the deadline: next batch, listed Wednesday.
        (datetime(2026, 4, 13, 14, 0, tzinfo=ET), date(2026, 4, 15)),
        # Thursday before the deadline: listed Friday.
        (datetime(2026, 4, 16, 9, 0, tzinfo=ET), date(2026, 4, 17)),
        # Friday before the deadline: announced Sunday evening, listed Monday.
        (datetime(2026, 4, 17, 13, 0, tzinfo=ET), date(2026, 4, 20)),
        # Friday after the deadline and the weekend roll into Monday's batch, listed Tuesday.
        (datetime(2026, 4, 17, 15, 0, tzinfo=ET), date(2026, 4, 21)),
        (datetime(2026, 4, 18, 12, 0, tzinfo=ET), date(2026, 4, 21)),
        (datetime(2026, 4, 19, 23, 0, tzinfo=ET), date(2026, 4, 21)),
        # UTC input: 18:30 UTC is 14:30 EDT, after the deadline.
        (datetime(2026, 4, 14, 18, 30, tzinfo=UTC), date(2026, 4, 16)),
        # Naive times are taken as UTC: 17:00 UTC is 13:00 EDT, before the deadline.
        (datetime(2026, 4, 14, 17, 0), date(2026, 4, 15)),
        # Winter time: 18:30 UTC is 13:30 EST, before the deadline.
        (datetime(2026, 1, 13, 18, 30, tzinfo=UTC), date(2026, 1, 14)),
        # Thanksgiving 2026 (Thursday 26 Nov): no listing that day; Wednesday's batch lists Friday.
        (datetime(2026, 11, 25, 10, 0, tzinfo=ET), date(2026, 11, 27)),
        # No deadline on the holiday itself: Thursday submissions join Friday's batch, listed Monday.
        (datetime(2026, 11, 26, 10, 0, tzinfo=ET), date(2026, 11, 30)),
    ],
)
def test_announcement_date_follows_the_14h_eastern_deadline(submitted: datetime, listed: date) -> None:
    assert announcement_date(submitted) == listed


def test_weekends_and_holidays_have_no_listing() -> None:
    assert not is_announcement_day(date(2026, 4, 18))
    assert not is_announcement_day(date(2025, 12, 25))
    assert is_announcement_day(date(2026, 4, 13))


def test_a_week_is_complete_once_its_friday_listing_is_announced() -> None:
    monday = date(2026, 4, 13)
    assert not week_is_complete(monday, datetime(2026, 4, 16, 19, 59, tzinfo=ET))
    assert week_is_complete(monday, datetime(2026, 4, 16, 20, 0, tzinfo=ET))
    assert latest_complete_week_monday(datetime(2026, 4, 16, 12, 0, tzinfo=ET)) == date(2026, 4, 6)
    assert latest_complete_week_monday(datetime(2026, 4, 18, 12, 0, tzinfo=ET)) == monday
    # Thanksgiving week 2026: Friday still lists, so the week completes on Thursday evening.
    assert week_is_complete(date(2026, 11, 23), datetime(2026, 11, 26, 20, 0, tzinfo=ET))
    assert announced_at(date(2026, 4, 13)) == datetime(2026, 4, 12, 20, 0, tzinfo=ET)
