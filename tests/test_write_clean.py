"""plain_text: arXiv title/abstract markup (LaTeX, HTML, odd Unicode, line wraps) to clean display text."""

from __future__ import annotations

import unicodedata

import pytest

from paperradio.write.clean import plain_text
from tests.samples import ABSTRACTS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"throughput up to 4.64$\times$ higher", "throughput up to 4.64× higher"),
        (r"reduction by 5.02 $\times$ and", "reduction by 5.02 × and"),
        (r"improves accuracy by 7.4\% over", "improves accuracy by 7.4% over"),
        (r"finite $\alpha$-th moment", "finite α-th moment"),
        (r"\textbf{Bold} and \emph{it} and \textit{x}", "Bold and it and x"),
        (r"the loss $\mathcal{L}$ is", "the loss L is"),
        (r"with $O(n^2)$ cost", "with O(n²) cost"),
        (r"at $O(n \log n)$ cost", "at O(n log n) cost"),
        (r"rate $O(1/\sqrt{T})$", "rate O(1/√T)"),
        (r"$\frac{1}{\sqrt{T}}$ and $\sqrt{n+1}$", "1/√T and √(n+1)"),
        (r"lr $10^{-3}$ at $90^\circ$", "lr 10⁻³ at 90°"),
        (r"$x_i$ and $\ell_1$ and $\mathbb{R}^d$", "xᵢ and ℓ₁ and ℝᵈ"),
        (r"for $\alpha \in (1, 2]$", "for α ∈ (1, 2]"),
        (r"Spearman \r{ho} = 0.34 and \b{eta}-VAE and \k{appa}", "Spearman ρ = 0.34 and β-VAE and κ"),
        (r"Caf\'e na\"ive Gau\ss{} \c{c}a {\"o}", "Café naïve Gauß ça ö"),
        (r"as shown~\cite{smith2020}. See Fig.~3", "as shown. See Fig. 3"),
        # a "~" before a number is "about", shown as "≈" (Markdown reads "~...~" as strikethrough)
        (r"for Claude (~8\%) and Qwen (~6%).", "for Claude (≈8%) and Qwen (≈6%)."),
        (r"~5% gain, $\sim$10\% less, [~3 s] and 3 ~ 5 runs", "≈5% gain, ≈10% less, [≈3 s] and 3 ~ 5 runs"),
        (r"models (\citep{a, b}) work", "models work"),
        (r"code \href{https://github.com/x/y}{here}", "code here (https://github.com/x/y)"),
        (r"at \url{https://github.com/x/y}.", "at https://github.com/x/y."),
        (r"\ours{} beats \method\ easily", "ours beats method easily"),
        (r"range 10--20 and a -- b but --help", "range 10–20 and a – b but --help"),
        (r"``quoted'' text", "“quoted” text"),
        (r"en dash \unicode{x2013}$ here", "en dash – here"),
        (r"costs \$5 million", "costs $5 million"),
        ("costs $5 and $10", "costs $5 and $10"),
        ("a stray $ sign", "a stray sign"),
        (r"unbalanced {brace and }} $x", "unbalanced brace and x"),
        (r"\textsuperscript{2} and \textcolor{red}{red} and {\em emph}", "² and red and emph"),
    ],
)
def test_latex_becomes_unicode(raw: str, expected: str) -> None:
    assert plain_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>Diffusion</b> <i>Transformers</i>", "Diffusion Transformers"),
        ('see <a href="https://x.org">the site</a>', "see the site"),
        ("line<br/>break<p>para</p>", "line break para"),
        ("Q&amp;A &lt;tag&gt; &quot;q&quot; &#39;s&#x27;", "Q&A <tag> \"q\" 's'"),
        # Abstracts use angle-bracket tokens literally: they are content, not markup.
        ("emits a <think> token and <SEG> masks", "emits a <think> token and <SEG> masks"),
        # Only ";"-terminated entities: html.unescape alone would make "¬ation".
        ("R&D with &notation", "R&D with &notation"),
        ("a $a<b$ comparison", "a a<b comparison"),
    ],
)
def test_html_is_stripped_and_unescaped(raw: str, expected: str) -> None:
    assert plain_text(raw) == expected


def test_unicode_is_normalized_and_invisible_characters_go() -> None:
    decomposed = "Jose\u0301 u\u0308ber"
    assert plain_text(decomposed) == "José über"
    assert unicodedata.is_normalized("NFC", plain_text(decomposed))
    assert plain_text("zero\u200bwidth soft\u00adhyphen bom\ufeff") == "zerowidth softhyphen bom"
    assert plain_text("non\u00a0breaking\u2009thin  spaces") == "non breaking thin spaces"
    assert plain_text("con\x00trol\x07 chars") == "control chars"
    assert plain_text("the ﬁrst ﬂow") == "the first flow"
    assert plain_text("emoji 👩\u200d💻 and 视频") == "emoji 👩\u200d💻 and 视频"


def test_line_wraps_and_whitespace_are_joined() -> None:
    raw = "Large language\nmodels struggle.\n  We propose a\nmixture-of-\nexperts router.\r\n\nDone."
    assert plain_text(raw) == "Large language models struggle. We propose a mixture-of-experts router. Done."


def test_glued_sentences_get_their_space_back() -> None:
    assert plain_text("on many tasks.However, it fails.To fix it") == "on many tasks. However, it fails. To fix it"
    # Domains, paths and decimals are left alone.
    assert plain_text("see github.com/Foo.Bar and 3.5 and www.Example.org") == \
        "see github.com/Foo.Bar and 3.5 and www.Example.org"


def test_sample_title_with_every_kind_of_markup() -> None:
    title = ABSTRACTS[1][0]
    assert plain_text(title) == 'Diffusion Transformers & "Scaling": L_DiT for Video — ünïcödé 视频'


def test_sample_abstracts_keep_their_numbers_and_lose_their_markup() -> None:
    cleaned = plain_text(ABSTRACTS[0][1])
    assert "O(n log n)" in cleaned
    assert "7.4%" in cleaned and "38%" in cleaned
    assert "$" not in cleaned and "\\" not in cleaned


@pytest.mark.parametrize(
    "raw",
    [None, 42, 3.5, "", "   ", "\\", "{", "}", "$", "$$", "\\frac", "\\sqrt[", "\\href{x}", "\\char",
     "\\unicode{zzz}", "\\unicode{x110000}", "\ud83d lone surrogate", "{" * 5000 + "x" + "}" * 5000,
     "$" * 101, "<b>" * 50, "&#99999999;", "\\" * 33],
)
def test_never_raises(raw: object) -> None:
    out = plain_text(raw)
    assert isinstance(out, str)
    assert out == out.strip()
    assert "  " not in out


def test_cleaning_is_idempotent_on_clean_text() -> None:
    for title, abstract, _ in ABSTRACTS:
        for text in (title, abstract):
            once = plain_text(text)
            assert plain_text(once) == once
