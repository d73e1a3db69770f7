"""normalize: written paper text to words a speech engine reads aloud, never as symbols."""

from __future__ import annotations

import re

import pytest

from paperradio.radio.speech import normalize, spell
from tests.samples import ABSTRACTS, sample_issue


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # LaTeX math
        ("$O(n^2)$", "O of n squared"),
        (r"with $O(n \log n)$ cost", "with O of n log n cost"),
        (r"rate $O(1/\sqrt{T})$", "rate O of 1 over square root of T"),
        (r"a $3 \times 3$ kernel", "a 3 times 3 kernel"),
        (r"finite $\alpha$-th moment", "finite alpha-th moment"),
        (r"for $\alpha \in (1, 2]$", "for alpha in 1, 2"),
        (r"$\frac{1}{2}$ of it", "1 over 2 of it"),
        (r"$x_i^2$", "x sub i squared"),
        (r"$\mathbb{R}^d$", "R to the power d"),
        (r"$\mathcal{L}_{\text{DiT}}$ loss", "L sub D I T loss"),
        (r"$\ell_2$ norm", "ell sub 2 norm"),
        (r"$\beta = 0.9$", "beta equals 0.9"),
        (r"$k \leq n$", "k less than or equal to n"),
        (r"an \textbf{important} \ours{} result", "an important result"),
        ("plain O(n^2) scaling", "plain O of n squared scaling"),
        # numbers and units
        ("7.4%", "7.4 percent"),
        (r"by 7.4\% over", "by 7.4 percent over"),
        ("38 % less", "38 percent less"),
        ("1.8x faster", "1.8 times faster"),
        ("3\u00d7 faster", "3 times faster"),
        ("a 2x2 grid", "a 2 by 2 grid"),
        ("10M clips and 7B tokens", "10 million clips and 7 billion tokens"),
        ("a 2B-parameter model", "a 2 billion-parameter model"),
        ("100k steps", "100 thousand steps"),
        ("3\u20135 layers", "3 to 5 layers"),
        ("\u22125 dB", "minus 5 decibels"),
        ("a 20:1 ratio", "a 20 to 1 ratio"),
        ("~5% gain", "about 5 percent gain"),
        ("a 1.87* speedup, +10.8 points", "a 1.87 times speedup, plus 10.8 points"),
        ("Qwen3-8B", "Qwen 3 8 billion"),
        ("1,654 papers, 3 weeks", "1,654 papers, 3 weeks"),
        # URLs, citations, HTML
        ("Code is available at https://github.com/example/sparseroute.", "Code is available online."),
        ("see www.example.org for details", "see for details"),
        ("as shown [12] and [3, 4] and [5-7].", "as shown and and."),
        ("prior work [Smith et al., 2020] shows", "prior work shows"),
        ("<b>Diffusion</b> Transformers", "Diffusion Transformers"),
        ("this &amp; that", "this and that"),
        ("mail me@example.org now", "mail now"),
        # abbreviations
        ("e.g., this", "for example, this"),
        ("i.e. that", "that is that"),
        ("Smith et al. found", "Smith and colleagues found"),
        ("ours vs. theirs", "ours versus theirs"),
        # acronyms and words
        ("LLM", "L L M"),
        ("LLMs", "L L M's"),
        ("GPT", "G P T"),
        ("GPT-2 pre-training", "G P T 2 pre-training"),
        ("a CNN", "a C N N"),
        ("An API", "An eh P I"),
        ("ImageNet", "Image Net"),
        ("NASA data", "NASA data"),
        ("BLEU and COCO", "BLEU and COCO"),
        ("UCF-101", "U C F 101"),
        ("SparseRoute on LongBench", "Sparse Route on Long Bench"),
        ("ReAct", "Re Act"),
        ("ResNet50", "Res Net 50"),
        ("ChatGPT", "Chat G P T"),
        ("arXiv", "archive"),
        ("AI safety", "AI safety"),
        ("RAG and LoRA", "rag and Lora"),
        ("Yann LeCun", "Yann Le Cun"),
        # odd Unicode
        ("\u201cquoted\u201d \u2014 text", "quoted, text"),
        ("\u00fcn\u00efc\u00f6d\u00e9 caf\u00e9", "unicode cafe"),
        ("Emoji \U0001f600 here", "Emoji here"),
        ("CJK \u89c6\u9891 inside", "C J K inside"),
        ("alpha \u03b1 and \u2248 2", "alpha alpha and approximately 2"),
        ("x \u2264 y \u2192 z", "x less than or equal to y to z"),
        ("zero\u200bwidth\u00a0space", "zerowidth space"),
        ("line\nbreak\tand\x00null", "line break and null"),
        ("", ""),
        ("$$", ""),
    ],
)
def test_normalize_english(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("本周 10 篇 NLP 精选论文。", "本周 10 篇 自然语言处理 精选论文。"),
        ("论文 1", "论文 1"),
        ("在 arXiv 上 <b>发布</b>", "在 预印本平台 上 发布"),
        ("表情 \U0001f600 符号 $x$", "表情 符号"),
    ],
)
def test_normalize_chinese(raw: str, expected: str) -> None:
    assert normalize(raw, "zh") == expected


def test_spell_reads_a_as_the_letter() -> None:
    assert spell("LLM") == "L L M"
    assert spell("RAG") == "R eh G"


_SYMBOLS = re.compile(r"[$\\{}<>^_%|~#@&*=\[\]]")


def test_sample_texts_become_plain_words() -> None:
    issue = sample_issue()
    texts = [t for title, abstract, _ in ABSTRACTS for t in (title, abstract)]
    texts += [p.writeup.line for p in issue.picks if p.writeup] + [p.paper.title for p in issue.picks]
    for text in texts:
        spoken = normalize(text)
        assert spoken.isascii(), spoken
        assert not _SYMBOLS.search(spoken), spoken
        assert "http" not in spoken
        assert re.search(r"[A-Za-z]{3}", spoken)


@pytest.mark.parametrize(
    "raw",
    ["\x00\x07control", "\ufffd\ufffd", "\U0001f9d1\u200d\U0001f52c scientist", "\u0645\u0631\u062d\u0628\u0627",
     "$\\frac{\\frac{1}{2}}{\\sqrt{\\sqrt{x}}}$", "{{{", "}}}", "$unclosed math", "\\", "<<<>>>", "%%%", "---",
     "\u2603" * 50, "a" * 5000, "[1][2][3]", "(((", "e.g.e.g.", "$" * 7],
)
def test_normalize_never_fails_and_leaves_no_symbols(raw: str) -> None:
    spoken = normalize(raw)
    assert spoken.isascii()
    assert not _SYMBOLS.search(spoken)
    normalize(raw, "zh")
