"""Short headlines from paper titles, cut only at word boundaries."""

from __future__ import annotations

import re

from .clean import plain_text

HEADLINE_LIMIT = 60
"""Longest headline, in characters."""

# A headline must not end on a word that promises more ("Routing for", "Agents and").
_DANGLING_TEXT = """
a an and as at by for from in into of on or over the through to towards toward under using via vs
versus with without beyond across between among based its their our your is are can do does
"""
_DANGLING = frozenset(_DANGLING_TEXT.split())
_OPEN_ENDINGS = (",", ";", ":", "-", "–", "—")
_BREAKS = (" — ", " – ", " - ", "; ", ", ", " via ", " with ", " using ", " through ", " by ", " for ",
           " in ", " on ")
_COLON = re.compile(r":\s+")


def headline(title: str, limit: int = HEADLINE_LIMIT) -> str:
    """A short phrase for the issue title: the part before a colon, a clause of the title, or its first words.

    Never longer than ``limit`` characters and never cut inside a word (except a single word that is
    itself longer than ``limit``); "" for an empty title.
    """
    text = plain_text(title).strip().rstrip(".").strip()
    if not text:
        return ""
    parts = _COLON.split(text, maxsplit=1)
    if len(parts) == 2:
        head, tail = parts[0].strip(), parts[1].strip()
        if len(head.split()) >= 2:
            return _shorten(head, limit)  # "Agents That Read the Manual: ..." -> the catchy part
        if len(text) <= limit:
            return text
        # A one-word head is usually a system name; the tail says what it is.
        budget = limit - len(head) - 2
        if budget > 10:
            named = f"{head}: {_shorten(tail, budget, min_words=2)}"
            if len(named) <= limit and len(named.split()) >= 3:
                return named
        return _shorten(head, limit)
    return _shorten(text, limit)


def _shorten(text: str, limit: int, min_words: int = 3) -> str:
    if len(text) <= limit:
        return text
    prefixes = []
    for marker in _BREAKS:
        cut = text.find(marker)
        if cut > 0 and len(text[:cut]) <= limit and len(text[:cut].split()) >= min_words:
            prefixes.append(text[:cut])
    if prefixes:
        return _tidy(max(prefixes, key=len))
    return _fit(text, limit)


def _fit(text: str, limit: int) -> str:
    """The longest run of whole words within ``limit``, tidied so it does not end mid-phrase."""
    words: list[str] = []
    for word in text.split():
        if len(" ".join([*words, word])) > limit:
            break
        words.append(word)
    if not words:
        return text[:limit].rstrip()  # a single giant token: nothing better is possible
    return _tidy(" ".join(words))


def _tidy(text: str) -> str:
    words = text.split()
    while len(words) > 1:
        last = words[-1]
        bare = last.rstrip(",;:-–—").lower()
        if bare in _DANGLING or not bare or (last.endswith(_OPEN_ENDINGS) and len(words) > 2):
            words.pop()
            continue
        break
    out = " ".join(words).rstrip(",;:-–— ")
    # Drop an aside that the cut left open: "Foo (with bar" -> "Foo".
    if out.count("(") > out.count(")"):
        out = out[:out.rfind("(")].rstrip(",;:-–— ")
    return out or text
