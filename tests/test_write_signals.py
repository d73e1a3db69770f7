"""detect_signals: acceptance and code release, as stated in comments and abstract."""

from __future__ import annotations

import dataclasses

import pytest

from paperradio.write.signals import Signals, detect_signals
from tests.samples import make_paper


@pytest.mark.parametrize(
    ("comments", "lead"),
    [
        ("Accepted to ICLR 2026; 12 pages", "Accepted at ICLR 2026."),
        ("CVPR 2025 Highlight. 22 pages", "Accepted at CVPR 2025 (highlight)."),
        ("ICCV 2025", "Accepted at ICCV 2025."),
        ("Accepted as ACL 2026 Findings", "Accepted at Findings of ACL 2026."),
        ("Accepted to Transactions on Machine Learning Research (TMLR)", "Accepted in TMLR."),
        ("Accepted at AAAI-26 ToM4AI Workshop", "Accepted at a workshop at AAAI-26."),
        ("Accepted to CL4Health @ LREC 2026", "Accepted at a workshop at LREC 2026."),
        ("Submitted to NeurIPS 2025", ""),
        ("10 pages, 5 figures. Under review for MIDL 2026", ""),
        ("Extended version of our ICML paper", ""),
        ("17 pages, 5 figures", ""),
        (None, ""),
    ],
)
def test_venue(comments: str | None, lead: str) -> None:
    paper = dataclasses.replace(make_paper(3), comments=comments)  # sample 3 has no code link
    assert detect_signals(paper).lead() == lead


def test_code_link_and_promise() -> None:
    with_link = make_paper(0)  # "Code is available at https://github.com/..." and ICLR 2026 comments
    assert detect_signals(with_link) == Signals(venue="ICLR 2026", code="available")
    assert detect_signals(with_link).lead() == "Accepted at ICLR 2026, with code available."
    promised = dataclasses.replace(make_paper(3), comments="Code will be released upon acceptance.")
    assert detect_signals(promised).lead() == "Code is promised."
    # Models being "available" in general says nothing about this paper's code.
    vague = dataclasses.replace(make_paper(3), abstract="Open models are increasingly available. We test.")
    assert detect_signals(vague).code is None
