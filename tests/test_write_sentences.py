"""split_sentences: abbreviations, decimals, versions, initials, URLs, parentheses and line wraps."""

from __future__ import annotations

import pytest

from paperradio.write.clean import plain_text
from paperradio.write.sentences import is_complete, split_sentences
from tests.samples import ABSTRACTS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We test baselines, e.g. BERT and T5. They fail.", ["We test baselines, e.g. BERT and T5.", "They fail."]),
        ("It uses tokens, i.e. the subwords. Next one.", ["It uses tokens, i.e. the subwords.", "Next one."]),
        ("As Smith et al. (2020) showed, it works. We agree.",
         ["As Smith et al. (2020) showed, it works.", "We agree."]),
        ("Prior work by Smith et al. We improve on it.", ["Prior work by Smith et al.", "We improve on it."]),
        ("See Fig. 3 and Eq. 2 for details. Then stop.", ["See Fig. 3 and Eq. 2 for details.", "Then stop."]),
        ("Ours vs. GPT-4 wins. Good.", ["Ours vs. GPT-4 wins.", "Good."]),
        ("It takes approx. 5 hours. Fine.", ["It takes approx. 5 hours.", "Fine."]),
        ("Accuracy rises by 7.4% to 93.1. We stop.", ["Accuracy rises by 7.4% to 93.1.", "We stop."]),
        ("We use v1.2.3 of GPT-4.5 here. Ok.", ["We use v1.2.3 of GPT-4.5 here.", "Ok."]),
        ("Code: https://github.com/a/b.c. Data follow.", ["Code: https://github.com/a/b.c.", "Data follow."]),
        ("Written by J. R. R. Tolkien in 1937. It sold.", ["Written by J. R. R. Tolkien in 1937.", "It sold."]),
        ("We build a model A. We test it.", ["We build a model A.", "We test it."]),
        ("It runs fast (see Sec. 3. More below). Then it ends.",
         ["It runs fast (see Sec. 3. More below).", "Then it ends."]),
        ("A hard\nline wrap. And a\nsecond.", ["A hard line wrap.", "And a second."]),
        ("Is it good? Yes! It is.", ["Is it good?", "Yes!", "It is."]),
        ('They call it "magic." Then they stop.', ['They call it "magic."', "Then they stop."]),
        ("Datasets, tools, etc. The rest follows.", ["Datasets, tools, etc.", "The rest follows."]),
        ("Apples, pears etc. are fruit.", ["Apples, pears etc. are fruit."]),
        ("It helps in generative AI. We show it.", ["It helps in generative AI.", "We show it."]),
        ("The MR. Video frames follow.", ["The MR.", "Video frames follow."]),
        ("Dr. Smith agrees. So do we.", ["Dr. Smith agrees.", "So do we."]),
        ("the U.S. Army uses it. We too.", ["the U.S. Army uses it.", "We too."]),
        ("no terminal punctuation", ["no terminal punctuation"]),
        ("Heading without stop\n\nBody text here.", ["Heading without stop", "Body text here."]),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []


def test_joining_the_sentences_gives_back_the_text() -> None:
    for _, abstract, _ in ABSTRACTS:
        cleaned = plain_text(abstract)
        assert " ".join(split_sentences(cleaned)) == cleaned


def test_sample_abstract_sentences() -> None:
    sentences = split_sentences(plain_text(ABSTRACTS[1][1]))
    assert sentences == [
        "Video generation models are expensive to train.",
        "We study how diffusion transformers scale with data and compute.",
        "We introduce a compute-optimal recipe and train a 2B-parameter model on 10M clips.",
        "Our model reaches an FVD of 112 on UCF-101, a 23% improvement over prior work, e.g. Sora-like "
        "baselines.",
        "Results hold across three resolutions.",
    ]


@pytest.mark.parametrize(
    ("sentence", "complete"),
    [("It works.", True), ("Really?", True), ('He said "yes."', True), ("(As noted.)", True),
     ("Code at https://github.com/a/b", False), ("Project page:", False), ("", False)],
)
def test_is_complete(sentence: str, complete: bool) -> None:
    assert is_complete(sentence) is complete
