from __future__ import annotations

import dataclasses

import pytest

from paperradio.rank.sections import field_of
from tests.samples import make_paper


def paper(categories: tuple[str, ...], title: str = "A method", abstract: str = "We propose a method."):
    return dataclasses.replace(make_paper(0), categories=categories, title=title, abstract=abstract)


@pytest.mark.parametrize(
    ("categories", "field"),
    [
        (("cs.CL",), "nlp"),
        (("cs.CL", "cs.CV"), "nlp"),
        (("cs.CV", "cs.CL"), "cv"),
        (("eess.IV",), "cv"),
        (("cs.LG", "cs.CL"), "ml"),
        (("stat.ML",), "ml"),
    ],
)
def test_primary_category_decides_for_the_fields_own_categories(categories: tuple[str, ...], field: str) -> None:
    assert field_of(paper(categories)) == field


def test_cs_ai_about_image_generation_is_cv() -> None:
    p = paper(("cs.AI",), "Diffusion for Image Generation", "We generate images with a diffusion model and video.")
    assert field_of(p) == "cv"


def test_cs_ai_about_language_models_is_nlp() -> None:
    p = paper(("cs.AI",), "LLM Agents that Read", "Large language models (LLMs) answer questions from text.")
    assert field_of(p) == "nlp"


def test_cs_ai_cross_listed_to_cl_leans_nlp() -> None:
    assert field_of(paper(("cs.AI", "cs.CL"))) == "nlp"


def test_cs_ai_without_signal_is_ml() -> None:
    assert field_of(paper(("cs.AI",), "Planning under uncertainty", "We solve a problem.")) == "ml"


def test_other_primaries_need_a_cross_list() -> None:
    assert field_of(paper(("cs.IT",), "Channel coding", "We bound the capacity.")) is None
    assert field_of(paper(("cs.GR", "cs.CV"), "Rendering scenes", "Neural rendering of 3D scenes.")) == "cv"
    # vocabulary alone does not pull an unrelated primary into a field
    assert field_of(paper(("cs.IT",), "Image coding", "We compress images.")) is None
