from __future__ import annotations

from datetime import date

import pytest

from paperradio.models import Credit, Issue, Week, author_key
from tests.samples import sample_issue


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("José M. Álvarez Jr.", "alvarez jose"),
        ("Jose Alvarez", "alvarez jose"),
        ("JOSE ALVAREZ", "alvarez jose"),
        ("J. Alvarez", "alvarez j"),
        ("Jean-Luc Godard", "godard jean-luc"),
        ("Zoë Kravitz III", "kravitz zoe"),
        ("Yann LeCun", "lecun yann"),
        ("Björn Ommer", "ommer bjorn"),
        ("Madonna", "madonna"),
        ("", ""),
        (" - ", ""),
    ],
)
def test_author_key_folds_accents_suffixes_and_middle_names(name: str, key: str) -> None:
    assert author_key(name) == key


def test_week_parse_and_days() -> None:
    week = Week.parse("2026-W16")
    assert (week.monday, week.friday) == (date(2026, 4, 13), date(2026, 4, 17))
    assert str(week) == "2026-W16"
    assert Week.containing(date(2026, 4, 19)) == week
    assert len(week.days()) == 5


@pytest.mark.parametrize("text", ["2026-16", "2026-W99", "W16", "", "2026-W1"])
def test_bad_week_strings_are_rejected_with_the_expected_format(text: str) -> None:
    with pytest.raises(ValueError, match="bad week"):
        Week.parse(text)


def test_credit_line_says_when_nobody_is_credited() -> None:
    assert Credit(("A", "B"), "x").line == "(from A, B)"
    assert Credit((), "none").line == "(no established author on record)"


def test_issue_round_trips_through_dict() -> None:
    issue = sample_issue()
    again = Issue.from_dict(issue.to_dict())
    assert again == issue
    assert [p.rank for p in again.section("nlp")] == list(range(1, 11))
