"""Role cues: which sentences state the problem, the method, the results, or a code release."""

from __future__ import annotations

import pytest

from paperradio.write.roles import primary_role, score_roles


@pytest.mark.parametrize(
    ("sentence", "position", "role"),
    [
        ("Large language models struggle with contexts longer than their training window.", 0.0, "problem"),
        ("However, existing methods remain limited on long inputs.", 0.3, "problem"),
        ("We propose SparseRoute, a router with 5-20× compression for 1,000+ experts.", 0.5, "method"),
        ("In this paper, we introduce a benchmark for tool use.", 0.2, "method"),
        ("On LongBench, SparseRoute improves accuracy by 7.4% over the best baseline.", 0.8, "result"),
        ("Extensive experiments show that our method outperforms the state-of-the-art.", 1.0, "result"),
        ("Code is available at https://github.com/example/sparseroute.", 1.0, "code"),
        ("Our code and models will be made publicly available.", 1.0, "code"),
        # "publications" is not "public", and text data sets are no release.
        ("Large text data sets, such as publications and websites, inherit two kinds of features.", 0.0,
         "problem"),
    ],
)
def test_primary_role(sentence: str, position: float, role: str) -> None:
    assert primary_role(score_roles(sentence, position)) == role


def test_numbers_exclude_model_names_and_years() -> None:
    assert score_roles("We compare GPT-4o, o3-mini and Llama-3 in 2025.", 0.5).numbers == 0
    assert score_roles("It is 4.64× faster and 7.4% better on 12 tasks.", 0.5).numbers == 3


def test_a_dimension_is_no_quantity() -> None:
    assert score_roles("We maintain per-frame 3D geometry and 2D masks for routing.", 0.5).numbers == 0
    assert score_roles("It reaches 30 FPS in 3D scenes, 2.5x faster.", 0.5).numbers == 2


def test_a_list_item_number_is_no_quantity() -> None:
    # after 2604.14041 (Seek-and-Solve): a list of principles was taken for the key result
    assert score_roles("Our construction is guided by two core principles: (1) strict grounding in daily "
                       "activities, and (2) challenging query design.", 0.6).numbers == 0
    assert score_roles("Steps: 1) it gains 5 points (from 12 to 17) with 3) no extra data (21.5%).", 0.6).numbers == 5
