"""The offline writer: picks and orders the abstract's own sentences, never rewrites them.

Every sentence of a write-up's paragraphs and line is a whole sentence of the cleaned abstract (at most
less an opener that points to a sentence not told: "Second, ...", "To address this, ..."), so numbers
and claims are exactly the authors'. Sentences are scored by LexRank centrality plus cues for
their role (problem, method, result): a problem, the idea and its evidence, told in the abstract's order.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import Settings
from ..models import Paper, Pick, Writeup
from .centrality import FloatArray, cosine_matrix, lexrank, tfidf_matrix, tokens
from .clean import plain_text
from .headline import headline
from .roles import Role, RoleScores, primary_role, score_roles
from .sentences import is_complete, split_sentences
from .signals import detect_signals
from .writers import Cache

log = logging.getLogger(__name__)

NO_ABSTRACT = "The arXiv listing has no abstract for this paper."
_PARAGRAPH_WORDS = 75  # "short paragraphs": a second sentence joins only while under this
_RADIO_WORDS = 60
_LINE_WORDS = 40
_BARE_WORDS = 6  # a line shorter than this ("We introduce EgoTL.") names a thing without saying what it is
_DUPLICATE = 0.6  # TF-IDF cosine above which two sentences say the same thing
_CENTRALITY_WEIGHT = 1.5
# A line stands alone in the list, so "To address this, we ..." (pointing back) is a weaker choice.
_ANAPHORA = re.compile(r"^(?:to (?:this end|(?:address|tackle|overcome|solve|mitigate|bridge|fill) (?:this|these|that|"
                       r"those|the (?:above|aforementioned)))|(?:together, )?(?:this|these|it|they|such))\b", re.I)
_TOGETHER = re.compile(r"^together,", re.I)  # "Together, these ..." sums up more than one sentence
# A sentence that turns against the one before it ("However, existing methods ...") needs that one first.
_CONTRAST = re.compile(r"^(?:however|but|yet|nevertheless|nonetheless|in contrast|unfortunately|"
                       r"despite (?:this|these|that|those))\b", re.I)


@dataclass(frozen=True)
class Scored:
    """One abstract sentence with everything the selection needs."""

    index: int
    text: str
    words: int
    complete: bool
    roles: RoleScores
    role: Role
    centrality: float

    @property
    def usable(self) -> bool:
        """A whole, self-contained sentence: ends properly, is not a heading or a bare link line."""
        return self.complete and self.words >= 5 and self.role != "code"

    def value(self, role: Role) -> float:
        penalty = 0.05 * max(0, self.words - 45) + (1.0 if self.words < 8 else 0.0)
        return self.roles.get(role) + _CENTRALITY_WEIGHT * self.centrality - penalty


@dataclass(frozen=True)
class ExtractiveWriter:
    """The built-in writer, registered as "extractive": deterministic, offline, fast."""

    name: str = "extractive"

    def write(self, picks: Sequence[Pick], settings: Settings, cache: Cache | None = None) -> list[Writeup]:
        return [write_paper(pick.paper, featured=pick.section == "featured") for pick in picks]


def write_paper(paper: Paper, *, featured: bool) -> Writeup:
    """The write-up of one paper: 2-4 paragraphs when featured (fewer only for a very short abstract),
    one paragraph of 1-2 sentences otherwise."""
    scored, similarity = score_sentences(plain_text(paper.abstract))
    pool = [s for s in scored if s.usable] or _rescue(scored)
    if featured:
        paragraphs = _featured_paragraphs(pool, similarity, total=len(scored))
    else:
        paragraphs = _radio_paragraphs(pool, similarity)
    texts = _told(paragraphs) or (NO_ABSTRACT,)
    title_line = plain_text(paper.title).rstrip(".") + "." if paper.title.strip() else NO_ABSTRACT
    line = _line(pool, _name(paper.title))
    return Writeup(
        paragraphs=texts,
        recommendation=_recommendation(paper, pool, line),
        headline=headline(paper.title) or f"arXiv {paper.arxiv_id}",
        line=_line_text(line, scored) if line else title_line,
        method="extractive",
        language="en",
    )


def score_sentences(text: str) -> tuple[list[Scored], FloatArray]:
    """Split cleaned text into sentences; score each for centrality and role; return the similarity too."""
    sentences = split_sentences(text)
    similarity = cosine_matrix(tfidf_matrix([tokens(s) for s in sentences]))
    centrality = lexrank(similarity)
    last = max(len(sentences) - 1, 1)
    out: list[Scored] = []
    for i, sentence in enumerate(sentences):
        roles = score_roles(sentence, i / last)
        out.append(Scored(i, sentence, len(sentence.split()), is_complete(sentence), roles,
                          primary_role(roles), float(centrality[i])))
    return out, similarity


def _rescue(scored: list[Scored]) -> list[Scored]:
    """With no usable sentence, settle for whole sentences of any length, then for anything non-empty."""
    whole = [s for s in scored if s.complete]
    return [s for s in whole if s.role != "code"] or whole or scored


def _featured_paragraphs(pool: list[Scored], similarity: FloatArray, total: int) -> list[list[Scored]]:
    chosen: set[int] = set()

    def pick(role: Role, candidates: list[Scored]) -> list[Scored]:
        return _pick(candidates, role, chosen, similarity, limit=2, words=_PARAGRAPH_WORDS)

    # The idea anchors the story: the problem is told from sentences before it, the evidence from
    # sentences after it, so the write-up reads in the abstract's own order where it can.
    method = pick("method", pool)
    anchor = method[0].index if method else None
    problem = pick("problem", [s for s in pool if anchor is None or s.index < anchor]) or pick("problem", pool)
    result = pick("result", [s for s in pool if anchor is None or s.index > anchor]) or pick("result", pool)
    paragraphs = [group for group in (problem, method, result) if group]
    if len(paragraphs) == 1 and len(paragraphs[0]) == 2:
        paragraphs = [[paragraphs[0][0]], [paragraphs[0][1]]]  # two sentences of one role: one each
    elif len(paragraphs) < 2:
        extra = _best_unused(pool, chosen, similarity)
        if extra is not None:
            chosen.add(extra.index)
            paragraphs.append([extra])
    paragraphs = [_with_context(group, pool, chosen, similarity) for group in paragraphs]
    # a problem or result taken from the other side of the idea ("MERRIN measures ...") is told in the
    # abstract's order, not before the sentence that introduces what it is about
    paragraphs.sort(key=lambda group: group[0].index)
    if len(paragraphs) == 3 and total >= 8:
        # Long abstracts often end on an implication or a second finding worth its own paragraph.
        last_used = max(s.index for group in paragraphs for s in group)
        extra = _best_unused([s for s in pool if s.index > last_used], chosen, similarity)
        if extra is not None and extra.centrality >= 0.5:
            paragraphs.append([extra])
    return paragraphs


def _told(paragraphs: list[list[Scored]]) -> tuple[str, ...]:
    """The paragraphs as printed. A sentence that goes on from the one before ("Second, we ...",
    "Moreover, ...") loses that opener unless the abstract's sentence before it is printed right before
    it: a "Second" with no "First" reads as if something were missing."""
    told: list[str] = []
    previous = -1
    for group in paragraphs:
        sentences = []
        for sentence in group:
            text = _as_sentence(sentence.text)
            sentences.append(text if sentence.index == previous + 1 else _without(_GOES_ON, text))
            previous = sentence.index
        told.append(" ".join(sentences))
    return tuple(told)


def _with_context(group: list[Scored], pool: list[Scored], chosen: set[int],
                  similarity: FloatArray) -> list[Scored]:
    """The paragraph with, before each of its sentences that turns against the one before ("However, ...")
    or points back ("This allows ..."), the sentence it depends on, unless that one is told already.
    "Together, these ..." sums up the two sentences before it and gets both."""
    by_index = {s.index: s for s in pool}
    told: list[Scored] = []
    for sentence in group:
        if _CONTRAST.match(sentence.text) or _ANAPHORA.match(sentence.text):
            reach = 2 if _TOGETHER.match(sentence.text) else 1
            needed = [by_index[i] for i in range(sentence.index - reach, sentence.index) if i in by_index]
            for before in needed:
                if before.index not in chosen and not _duplicates(before, chosen, similarity):
                    chosen.add(before.index)
                    told.append(before)
        told.append(sentence)
    return sorted(told, key=lambda s: s.index)


def _radio_paragraphs(pool: list[Scored], similarity: FloatArray) -> list[list[Scored]]:
    chosen: set[int] = set()
    picked = _pick(pool, "method", chosen, similarity, limit=1, words=_RADIO_WORDS)
    picked += _pick(pool, "result", chosen, similarity, limit=1, words=_RADIO_WORDS, strict=False)
    if len(picked) == 2 and sum(s.words for s in picked) > _RADIO_WORDS:
        picked = picked[:1]
    if not picked:
        best = _best_unused(pool, chosen, similarity)
        picked = [best] if best else []
    return [sorted(picked, key=lambda s: s.index)] if picked else []


def _pick(pool: list[Scored], role: Role, chosen: set[int], similarity: FloatArray, *, limit: int,
          words: int, strict: bool = True) -> list[Scored]:
    """Up to ``limit`` best sentences for ``role``, in abstract order.

    With ``strict`` only sentences whose primary role is ``role`` qualify; otherwise any unused one does.
    A second sentence must be nearly as good as the first and keep the paragraph short.
    """
    candidates = [s for s in pool if s.index not in chosen and (s.role == role or not strict)]
    candidates.sort(key=lambda s: (-s.value(role), s.index))
    group: list[Scored] = []
    for candidate in candidates:
        if len(group) == limit:
            break
        if _duplicates(candidate, chosen, similarity):
            continue
        if group and (candidate.value(role) < 0.6 * group[0].value(role)
                      or sum(s.words for s in group) + candidate.words > words):
            continue
        group.append(candidate)
        chosen.add(candidate.index)
    return sorted(group, key=lambda s: s.index)


def _best_unused(pool: Sequence[Scored], chosen: set[int], similarity: FloatArray) -> Scored | None:
    for candidate in sorted(pool, key=lambda s: (-(s.centrality + 0.3 * s.roles.result), s.index)):
        if candidate.index not in chosen and not _duplicates(candidate, chosen, similarity):
            return candidate
    return None


def _duplicates(candidate: Scored, chosen: set[int], similarity: FloatArray) -> bool:
    """True if the candidate repeats a chosen sentence: same words, or nearly the same content."""
    if not chosen or similarity.size == 0:
        return False
    rows = np.array(sorted(chosen))
    return bool((similarity[candidate.index, rows] > _DUPLICATE).any())


def _line(pool: list[Scored], name: str) -> Scored | None:
    """The sentence for the Radiostation list and its audio: what the paper does, briefly; the one that names
    the paper (``name``, from its title) is the likeliest to say what it is."""
    methods = [s for s in pool if s.role == "method"]
    for candidates in ([s for s in methods if s.words <= _LINE_WORDS],
                       [s for s in methods if s.words <= 1.5 * _LINE_WORDS],
                       [s for s in pool if s.words <= _LINE_WORDS]):
        if candidates:
            return min(candidates, key=lambda s: (-s.value("method") + bool(_ANAPHORA.match(s.text))
                                                  - bool(name and name in s.text), s.index))
    return min(pool, key=lambda s: (s.words, s.index)) if pool else None


def _line_text(line: Scored, scored: list[Scored]) -> str:
    """The line as printed. A bare announcement ("To address these gaps, we introduce EgoTL.") goes on with
    the abstract's next sentence, which says what the thing is."""
    text = _standalone(line.text)
    following = next((s for s in scored if s.index == line.index + 1), None)
    if len(text.split()) < _BARE_WORDS and following is not None and following.complete \
            and len(text.split()) + following.words <= _LINE_WORDS:
        text = f"{text} {_as_sentence(following.text)}"
    return text


def _name(title: str) -> str:
    """The paper's own name from a title like "HiVLA: A Hierarchical ..." ("" for a title without one)."""
    head, colon, _ = plain_text(title).partition(":")
    return head.strip() if colon and 0 < len(head.split()) <= 3 else ""


def _recommendation(paper: Paper, pool: list[Scored], idea: Scored | None) -> str:
    """Signals, then the key result, or else the idea (``idea``: the write-up's line, None without a pool).
    The featured summary usually tells that result too: the recommendation is its pull quote, the claim
    itself without the clause that reports it."""
    lead = detect_signals(paper).lead()
    # A result comes after the idea it is a result of (before it, it is motivation: "Recent advances enable
    # ..."), and stands alone after "Key result:" (not "Together, these enable ...").
    results = [s for s in pool if s.role == "result" and s.words <= _LINE_WORDS
               and (s.roles.numbers or s.roles.result >= 2.0) and not _ANAPHORA.match(s.text)
               and (idea is None or idea.role != "method" or s.index > idea.index)]
    if results:
        # The strongest result is a late, quantified claim; an early number is usually motivation.
        best = min(results, key=lambda s: (-(s.value("result") + s.index / len(pool)), s.index))
        claim = _without(_REPORTING, _standalone(best.text))
        # a sentence that goes on with the next item of a list ("...; and (4) strong agents ...") ends before it
        reason = f"Key result: {_LIST_TAIL.sub('.', claim)}"
    elif idea:
        reason = f"Key idea: {_standalone(idea.text)}"
    else:
        reason = "No abstract yet; the paper itself has the details."
    return " ".join(part for part in (lead, reason) if part)


_CONNECTIVE = re.compile(
    r"^(?:furthermore|moreover|in addition|additionally|finally|overall|specifically|in particular|"
    r"in this (?:paper|work|study|article)|"
    # a purpose or a basis that points back: "To resolve this fundamental trade-off, we ...", "With this, ..."
    r"(?:to \w+|with|building (?:on|upon)|based on) (?:this|these|them|that|those|such)\b[^,]*|to (?:this|that) end|"
    r"as a result|consequently|thus|hence|however|"
    r"therefore|notably|importantly|empirically|experimentally|in experiments),\s+",
    re.IGNORECASE,
)


# "Extensive experiments on X demonstrate that Y ...": the claim is Y. Hedges ("suggest") and a claim that
# would start with a pronoun ("it ...") keep the whole sentence.
_REPORTING = re.compile(
    r"^(?:(?:extensive|comprehensive|empirical|experimental|our|the|further|additional|thorough|systematic)\s+)*"
    r"(?:experiments|results|evaluations?|analys[ie]s|studies|findings|we)(?:\s+(?:on|in|across|with|over)\s+[^,]{1,60}?)?\s+"
    r"(?:show|demonstrate|reveal|confirm|verify)s?\s+that\s+(?!(?:it|they|this|these|its|their)\b)", re.I)


_LIST_TAIL = re.compile(r"\s*;\s*(?:and\s+)?\((?:\d{1,2}|[ivx]{1,4})\)\s.*$", re.S)


# Openers that go on from the sentence before: a list ("Second, ...") or an addition ("Moreover, ...").
_GOES_ON = re.compile(r"^(?:second(?:ly)?|third(?:ly)?|fourth(?:ly)?|next|then|lastly|finally|also|moreover|"
                      r"furthermore|additionally|in addition),\s+", re.I)


def _standalone(text: str) -> str:
    """A sentence that reads alone (a Radiostation line, after "Key result:"): no connective pointing back."""
    text = _as_sentence(text)
    while (trimmed := _without(_GOES_ON, _without(_CONNECTIVE, text))) != text:  # "Then, to do this, we ..."
        text = trimmed
    return text


def _without(opener: re.Pattern[str], sentence: str) -> str:
    """``sentence`` less a leading ``opener``, capitalized again."""
    trimmed = opener.sub("", sentence, count=1)
    return trimmed[:1].upper() + trimmed[1:] if trimmed != sentence else sentence


def _as_sentence(text: str) -> str:
    """The sentence as printed: unchanged when it ends properly, else closed with a full stop."""
    text = text.strip()
    return text if is_complete(text) else text.rstrip(",;:") + "."
