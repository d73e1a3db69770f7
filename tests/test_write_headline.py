"""headline: a short phrase for the issue title, never cut inside a word."""

from __future__ import annotations

import pytest

from paperradio.write.clean import plain_text
from paperradio.write.headline import HEADLINE_LIMIT, headline
from tests.samples import ABSTRACTS


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Agents That Read the Manual: Tool Documentation for LLM Planning", "Agents That Read the Manual"),
        ("Provable Convergence of Adam under Heavy-Tailed Noise",
         "Provable Convergence of Adam under Heavy-Tailed Noise"),
        ("Sparse Mixture-of-Experts Routing for Long-Context Language Models", "Sparse Mixture-of-Experts Routing"),
        ("DocAgent: Tools", "DocAgent: Tools"),
        ("DeepSWIP: Quotient-WMC Counterfactuals for Neural Probabilistic Logic Programs",
         "DeepSWIP: Quotient-WMC Counterfactuals"),
        ("A Very Long Title About Many Different Things That Goes On And On Without Any Break At All",
         "A Very Long Title About Many Different Things That Goes"),
        ("Learning the Unlearnable (with Surprisingly Little Data and Even Less Compute) Today",
         "Learning the Unlearnable"),
        ("", ""),
    ],
)
def test_headline(title: str, expected: str) -> None:
    assert headline(title) == expected


def test_sample_titles_fit_and_keep_whole_words() -> None:
    for title, _, _ in ABSTRACTS:
        short = headline(title)
        assert 0 < len(short) <= HEADLINE_LIMIT
        assert set(short.replace(":", " ").split()) <= set(plain_text(title).replace(":", " ").split())
    assert headline(ABSTRACTS[1][0]) == 'Diffusion Transformers & "Scaling"'
