"""clean_text and its batch form clean_texts: the one text normalization every source applies."""

from __future__ import annotations

import random

from paperradio.sources._text import clean_text, clean_texts
from paperradio.sources.arxiv_api import _text

# Pieces that each take a different path through the checks: pairs of spaces (at even and odd offsets once
# joined), every kind of whitespace, decomposed accents, non-breaking and Unicode spaces, references.
PIECES = ["a", "bc", " ", "  ", "\n", "\t", "\r", "\x0c", "\x1f", "é", "e\u0301", "\u00a0", "\u2028",
          "&amp;", "&#32;", "&#x20;&#x20;", "&lt;", "x"]


def _batches(seed: int) -> list[list[bytes]]:
    rng = random.Random(seed)
    return [["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 10))).encode()
             for _ in range(rng.randint(0, 7))] for _ in range(3000)]


def test_the_batch_form_cleans_each_text_like_clean_text() -> None:
    for raws in _batches(1):
        assert clean_texts(raws) == [clean_text(raw.decode()) for raw in raws], raws


def test_texts_with_references_are_cleaned_after_decoding() -> None:
    for raws in _batches(2):
        assert clean_texts(raws, _text) == [clean_text(_text(raw)) for raw in raws], raws
    # a reference that decodes to a space must not leave two spaces behind
    assert clean_texts([b"one&#32; two", b"plain"], _text) == ["one two", "plain"]


def test_a_pair_of_spaces_is_found_at_either_offset_and_in_any_text() -> None:
    texts = [b"ab", b"c  d", b"e", b"fg  h", b"  i", b"j  "]
    assert clean_texts(texts) == ["ab", "c d", "e", "fg h", "i", "j"]
    assert clean_texts([]) == []
    assert clean_texts([b"", b""]) == ["", ""]
