"""Group focus: are the paper's authors, lately, a group that ships what practitioners follow?

Over the ``prior`` papers (the ``PRIOR_WEEKS`` before the ranked week) each paper gets a style between 0
and 1: the mean of its frontier share, a project page, a named artifact and a large team (``BIG_TEAM``
authors or more). An author's focus is the mean style of their prior papers; a paper's group focus is the
best focus among its authors, scaled down for an author with fewer than ``FULL_AFTER`` prior papers (one
lucky paper is not a habit). Authors with ``COMMON_NAME_PAPERS`` or more prior papers are skipped: such a key
is several namesakes (see rank/authors.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..models import Paper
from .score import artifact, frontier, project_page

BIG_TEAM = 8
FULL_AFTER = 3
COMMON_NAME_PAPERS = 30


def style(paper: Paper) -> float:
    """Mean of frontier share, project page, named artifact and big team (0-1)."""
    return (frontier(paper) + project_page(paper) + artifact(paper) + (len(paper.authors) >= BIG_TEAM)) / 4


class GroupFocus:
    def __init__(self, prior: Sequence[Paper]) -> None:
        styles: dict[str, list[float]] = defaultdict(list)
        for paper in prior:
            value = style(paper)
            for key in {a.key for a in paper.authors}:
                styles[key].append(value)
        self._focus = {key: sum(v) / len(v) * min(1.0, len(v) / FULL_AFTER)
                       for key, v in styles.items() if len(v) < COMMON_NAME_PAPERS}

    def score(self, paper: Paper) -> float:
        return max((self._focus.get(a.key, 0.0) for a in paper.authors), default=0.0)
