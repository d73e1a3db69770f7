from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from paperradio.models import Author, Authorship, Paper
from paperradio.rank.authors import AuthorRecord, History, author_scores, credit
from tests.samples import make_paper

WEEK_START = date(2026, 4, 13)


def history_paper(i: int, names: list[str], days_ago: int = 30) -> list[Authorship]:
    authors = [Author(n) for n in names]
    return [Authorship(f"h{i}", WEEK_START - timedelta(days=days_ago), a.key, pos, len(authors))
            for pos, a in enumerate(authors)]


def paper_by(names: list[str]) -> Paper:
    return dataclasses.replace(make_paper(0), authors=tuple(Author(n) for n in names))


def senior_history() -> list[Authorship]:
    slots: list[Authorship] = []
    # Ines Senior leads a group: 12 papers as last author with her students and postdoc.
    for i in range(12):
        slots += history_paper(i, [f"Student {i % 3}", "Postdoc Pat", "Ines Senior"])
    # Wei Zhang is a common name: 30 papers of namesakes with unrelated teams.
    for i in range(30):
        slots += history_paper(100 + i, [f"Stranger {i}", "Wei Zhang", f"Other {i}"])
    return slots


def test_record_counts_only_papers_linked_by_a_coauthor() -> None:
    history = History(senior_history(), until=WEEK_START)
    paper = paper_by(["Student 1", "Postdoc Pat", "Wei Zhang", "Ines Senior"])
    ines = history.record(Author("Ines Senior").key, paper)
    assert (ines.papers, ines.senior) == (12, 12)
    wei = history.record(Author("Wei Zhang").key, paper)
    assert wei.papers == 0 and wei.namesake_papers == 30
    # with only one student on the paper, only that student's papers with Ines are linked
    alone = history.record(Author("Ines Senior").key, paper_by(["Student 1", "Ines Senior"]))
    assert (alone.papers, alone.namesake_papers) == (4, 8)


def test_history_after_the_week_start_is_ignored() -> None:
    slots = history_paper(1, ["A One", "B Two", "C Three"], days_ago=-1)
    history = History(slots, until=WEEK_START)
    assert history.record(Author("C Three").key, paper_by(["A One", "C Three"])).papers == 0


def test_credit_goes_to_the_senior_author_with_evidence() -> None:
    history = History(senior_history(), until=WEEK_START)
    paper = paper_by(["Student 1", "Postdoc Pat", "Wei Zhang", "Ines Senior"])
    given = credit(paper, author_scores(paper, history), threshold=3.0)
    assert given.names == ("Ines Senior",)
    assert "last author" in given.evidence and "12 linked papers" in given.evidence


def test_evidence_counts_in_words_a_reader_can_quote() -> None:
    assert AuthorRecord(1, 1, 1, 1, 0).evidence() == ("1 linked paper in the past year, 1 as senior author, "
                                                      "1 in the last 90 days, 1 co-author")
    assert AuthorRecord(3, 0, 0, 5, 2).evidence() == ("3 linked papers in the past year, 0 as senior author, "
                                                      "0 in the last 90 days, 5 co-authors (2 more under the same "
                                                      "name not linked)")


def test_accent_and_suffix_variants_are_the_same_person() -> None:
    slots: list[Authorship] = []
    for i in range(8):
        slots += history_paper(i, [f"Student {i % 4}", "Lab Mate", "José Álvarez Jr."])
    history = History(slots, until=WEEK_START)
    paper = paper_by(["Student 0", "Lab Mate", "Jose Alvarez"])
    assert credit(paper, author_scores(paper, history), threshold=3.0).names == ("Jose Alvarez",)


def test_nobody_is_credited_below_the_threshold() -> None:
    history = History(history_paper(1, ["A One", "B Two"]), until=WEEK_START)
    paper = paper_by(["A One", "B Two"])
    given = credit(paper, author_scores(paper, history), threshold=3.0)
    assert given.names == () and given.line == "(no established author on record)"


def test_two_comparable_seniors_are_both_credited() -> None:
    slots: list[Authorship] = []
    for i in range(10):
        slots += history_paper(i, [f"Student {i % 2}", "Alice Lead", "Bob Lead"])
        slots += history_paper(50 + i, [f"Student {i % 2}", "Bob Lead", "Alice Lead"])
    history = History(slots, until=WEEK_START)
    paper = paper_by(["Student 0", "Alice Lead", "Bob Lead"])
    assert set(credit(paper, author_scores(paper, history), threshold=3.0).names) == {"Alice Lead", "Bob Lead"}


def giant_team(n: int = 40) -> list[str]:
    return ["First Engineer", *(f"Engineer {k}" for k in range(n - 3)), "Hao Zhang", "Wei Wang"]


def common_name_history() -> list[Authorship]:
    """Hub names "Hao Zhang" and "Wei Wang": 80 namesake papers each, and a few that happen to share a
    co-author with the giant team below (one engineer each)."""
    slots: list[Authorship] = []
    for i in range(80):
        slots += history_paper(400 + i, [f"Stranger {i}", "Hao Zhang", f"Other {i}"])
        slots += history_paper(500 + i, [f"Passerby {i}", "Wei Wang", f"Visitor {i}"])
    for i in range(12):
        slots += history_paper(600 + i, [f"Engineer {i}", "Hao Zhang", f"Friend {i}"])
        slots += history_paper(700 + i, [f"Engineer {i + 12}", "Wei Wang", f"Guest {i}"])
    return slots


def test_common_names_on_a_giant_team_are_not_credited_by_accident() -> None:
    history = History(common_name_history(), until=WEEK_START)
    paper = paper_by(giant_team())
    hao = history.record(Author("Hao Zhang").key, paper)
    assert hao.papers == 0 and hao.namesake_papers == 92
    given = credit(paper, author_scores(paper, history), threshold=3.0)
    assert given.names == () and given.line == "(no established author on record)"
    # the same name on a small team, with the same shared co-author, keeps its linked record
    small = paper_by(["Engineer 3", "Hao Zhang"])
    assert history.record(Author("Hao Zhang").key, small).papers == 1


def test_a_giant_team_paper_links_nobody_and_needs_two_shared_coauthors() -> None:
    slots = history_paper(1, giant_team())  # one 40-author report with "Lead Rare" absent
    for i in range(6):
        # Lead Rare's group: one paper per engineer pair, so each history paper shares two names
        slots += history_paper(10 + i, [f"Engineer {2 * i}", f"Engineer {2 * i + 1}", "Lead Rare"])
    slots += history_paper(30, ["Engineer 20", "Casual Coauthor"])  # one shared name only
    history = History(slots, until=WEEK_START)
    team = [*giant_team()[:-1], "Casual Coauthor", "Lead Rare"]
    paper = paper_by(team)
    assert history.record(Author("Lead Rare").key, paper).papers == 6
    # the giant report ties Engineer 0 to every other engineer: it must not count as a link
    assert history.record(Author("Engineer 0").key, paper).papers == 1
    assert history.record(Author("Casual Coauthor").key, paper).papers == 0
    assert credit(paper, author_scores(paper, history), threshold=3.0).names == ("Lead Rare",)


def test_giant_teams_credit_their_collective_or_a_lead_position_only() -> None:
    slots: list[Authorship] = []
    for i in range(10):  # Rare Lead has a real record, tied to the team by two shared co-authors
        slots += history_paper(800 + i, ["Engineer 6", "Engineer 7", "Rare Lead"])
    history = History(slots, until=WEEK_START)
    engineers = giant_team()[:-2]
    signed = paper_by(["Model Team", *engineers, "Rare Lead"])
    given = credit(signed, author_scores(signed, history), threshold=3.0)
    assert given.names == ("Model Team",) and "collective author of this 40-author paper" in given.evidence
    buried = paper_by([*engineers[:10], "Rare Lead", *engineers[10:], "Hao Zhang"])
    assert history.record(Author("Rare Lead").key, buried).papers == 10
    assert credit(buried, author_scores(buried, history), threshold=3.0).names == ()
    led = paper_by([*engineers, "Hao Zhang", "Rare Lead"])
    assert credit(led, author_scores(led, history), threshold=3.0).names == ("Rare Lead",)
    seedance = paper_by(["Team Seedance", *engineers])
    assert credit(seedance, author_scores(seedance, history), threshold=3.0).names == ("Team Seedance",)


def test_a_small_collective_paper_credits_its_notable_researcher_first() -> None:
    history = History(senior_history(), until=WEEK_START)
    small = paper_by(["CocoaBench Team", "Student 1", "Postdoc Pat", "Ines Senior"])
    assert credit(small, author_scores(small, history), threshold=3.0).names == ("Ines Senior",)
    unknown = paper_by(["CocoaBench Team", "Ana Student", "Nobody Known"])
    assert credit(unknown, author_scores(unknown, history), threshold=3.0).names == ("CocoaBench Team",)
    assert credit(paper_by(["Steam Team-work Lab"]), [], threshold=3.0).names == ()
