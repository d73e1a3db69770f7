"""Split abstract text into sentences without breaking at abbreviations, decimals, initials or URLs."""

from __future__ import annotations

import re

# Never a sentence end, whatever follows ("e.g. BERT", "Fig. 3", "vs. GPT-4"); compared lower-cased.
_ABBREVIATIONS = frozenset({
    "e.g.", "eg.", "i.e.", "ie.", "cf.", "vs.", "v.s.", "viz.", "approx.", "appr.", "resp.", "w.r.t.", "wrt.",
    "a.k.a.", "aka.", "incl.", "esp.", "fig.", "figs.", "eq.", "eqs.", "eqn.", "eqns.", "sec.", "secs.",
    "sect.", "tab.", "tbl.", "ch.", "chap.", "app.", "appx.", "alg.", "algo.", "def.", "thm.", "lem.",
    "prop.", "cor.", "ref.", "refs.", "vol.", "vols.",
})
# Titles only count as written ("Dr. Smith"): "MR. Video" (magnetic resonance) or "SR." end sentences.
_TITLES = frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sr.", "Jr.", "St.", "Mt.", "Inc.", "Ltd.", "Co.",
                     "Corp.", "Dept.", "Univ."})
# Usually not an end, but they can close a sentence: split only before a typical sentence opener.
_SOFT_ABBREVIATIONS = frozenset({
    "al.", "p.", "pp.", "no.", "nos.", "ca.", "min.", "max.", "avg.", "std.", "est.", "ex.", "ed.", "eds.",
    "op.", "orig.", "sq.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.",
    "nov.", "dec.",
})
_OPENERS = frozenset({
    "We", "Our", "The", "This", "These", "Those", "That", "In", "To", "It", "Its", "Experiments",
    "Experimental", "Extensive", "Results", "However", "Finally", "Moreover", "Additionally", "Furthermore",
    "Specifically", "Code", "Here", "Unlike", "While", "Although", "Despite", "Using", "By", "On", "For",
    "As", "With", "Through", "Overall", "Thus", "Therefore", "Hence", "Consequently", "Beyond", "A", "An",
    "Existing", "Current", "Recent", "Most", "Many", "Such", "Both", "Across", "When", "Further", "First",
    "Second", "Third", "Lastly", "Ablation", "Ablations", "Evaluations", "Evaluation", "Empirically",
    "Theoretically", "Notably", "Importantly", "Instead", "Then", "They", "Their", "Project", "Data",
    "Source", "All", "Each", "Comprehensive", "Previous", "Prior", "Given", "Since",
})
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
_LEADING = "([{\"'“‘"


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; whitespace (including hard line wraps) is collapsed, blank lines end one.

    Sentence-final punctuation and closing quotes or brackets stay with their sentence, so joining
    the result with single spaces gives back the whitespace-collapsed text.
    """
    sentences: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        flat = " ".join(block.split())
        if flat:
            sentences.extend(_split_block(flat))
    return sentences


def is_complete(sentence: str) -> bool:
    """True when the sentence ends with terminal punctuation (possibly inside quotes or brackets)."""
    return bool(_TERMINAL.search(sentence.strip()))


def _split_block(text: str) -> list[str]:
    protected = _paren_spans(text)
    out: list[str] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if any(lo < match.start() < hi for lo, hi in protected):
            continue
        if not _is_boundary(text, match.start(), end):
            continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _is_boundary(text: str, mark: int, end: int) -> bool:
    rest = text[end:].lstrip()
    if not rest:
        return True
    following = rest.split(" ", 1)[0]
    nxt = following.lstrip(_LEADING)[:1] or rest[0]
    if nxt.islower():
        return False  # "approx. the", "e.g. a", or a wrap inside a sentence
    if text[mark] != ".":
        return True
    if text.startswith("...", mark) or text.startswith("..", mark):
        return nxt.isupper()
    word = text[:mark + 1].rsplit(" ", 1)[-1].lstrip(_LEADING)
    lower = word.lower()
    opener = _is_opener(following)
    stem = word[:-1]
    if len(stem) >= 2 and stem.isalpha() and stem.isupper():
        return True  # an acronym ("AI.", "MR.", "VS.") ends the sentence; it is no abbreviation
    if lower in _ABBREVIATIONS or word in _TITLES:
        return False
    if lower == "etc.":
        return nxt.isupper()
    if lower in _SOFT_ABBREVIATIONS:
        return opener
    if len(word) == 2 and word[0].isupper():
        return opener  # an initial, as in "J. Smith", unless a sentence clearly starts next
    if _INITIALISM.match(word):
        return opener  # "U.S.", "i.e." variants
    return True


def _is_opener(word: str) -> bool:
    """Whether a word typically starts a sentence (and is unlikely to be a surname after an initial)."""
    bare = word.strip(_LEADING + ",;:").rstrip(",;:.")
    if bare in _OPENERS:
        return True
    # "Subsequently," / "Leveraging ...": long adverbs and gerunds; short ones collide with names (Ling).
    return (len(bare) >= 8 and bare.endswith("ly")) or (len(bare) >= 9 and bare.endswith("ing"))


def _paren_spans(text: str) -> list[tuple[int, int]]:
    """Spans of matched (...) and [...] pairs; a full stop inside one never ends the sentence."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    pairs = {")": "(", "]": "["}
    for i, char in enumerate(text):
        if char in "([":
            stack.append((char, i))
        elif char in pairs:
            # Unmatched closers such as "1)" in an enumeration are ignored.
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == pairs[char]:
                    spans.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    # A long parenthetical is more likely an unclosed list marker than a true aside.
    return [(lo, hi) for lo, hi in spans if hi - lo < 400]
