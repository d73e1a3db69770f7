"""The language-model writer, registered as "llm": write-ups in the model's own words, checked.

Each pick costs one request to the configured endpoint (see ``chat.py``); the answer must fit the
write-up schema (2-4 paragraphs for a featured pick, one for a Radiostation pick; recommendation,
headline, line) and may quote no number that is not in the paper's title, abstract or comments. Answers
are cached per (paper and version, kind, prompt version, model, language), each committed as it comes,
so a run that dies after 30 papers keeps the 30. A paper the endpoint fails on, after retries, gets the
extractive write-up instead, marked ``method = "extractive-fallback"``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from ..config import Settings
from ..errors import WriteError
from ..models import Paper, Pick, Writeup
from .chat import ChatClient, Json, answer_key, require_endpoint
from .clean import plain_text
from .extractive import write_paper
from .writers import Cache

log = logging.getLogger(__name__)

PROMPT_VERSION = "writeup-1"
"""Bump when the prompts or the schema change: cached answers of older prompts are then not reused."""
NAMESPACE = "llm-writeup"
METHOD = "llm"
FALLBACK_METHOD = "extractive-fallback"
"""``Writeup.method`` of a paper the endpoint failed on."""

_SYSTEM = """You are the editor of a weekly digest of research papers. From a paper's title, comments and \
abstract, write its entry as one JSON object with the keys "paragraphs", "recommendation", "headline", "line".
- "paragraphs": {paragraphs}
- "recommendation": one line on why the paper is worth a reader's time.
- "headline": a phrase of at most 8 words naming the contribution, for the issue title.
- "line": one sentence of at most 35 words saying what the paper does, for a list read aloud on the radio.
Use only what the abstract says: quote its numbers exactly and invent no number, name or claim. Write plain \
English sentences: no Markdown, no LaTeX, no lists."""
_FEATURED = ("2 to 4 short paragraphs, in this order: the problem the paper addresses; its idea or method; "
             "the evidence, with the abstract's own numbers (a fourth paragraph only for a further finding).")
_RADIOSTATION = "exactly 1 paragraph of one or two sentences: what the paper does and its main result."

_TEXT = {"type": "string", "minLength": 1, "maxLength": 1200}


def writeup_schema(featured: bool) -> Json:
    """The JSON schema of the answer, sent as ``response_format`` and checked on every answer."""
    count = (2, 4) if featured else (1, 1)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["paragraphs", "recommendation", "headline", "line"],
        "properties": {
            "paragraphs": {"type": "array", "minItems": count[0], "maxItems": count[1], "items": _TEXT},
            "recommendation": {"type": "string", "minLength": 1, "maxLength": 400},
            "headline": {"type": "string", "minLength": 1, "maxLength": 100},
            "line": {"type": "string", "minLength": 1, "maxLength": 400},
        },
    }


def system_prompt(featured: bool) -> str:
    return _SYSTEM.format(paragraphs=_FEATURED if featured else _RADIOSTATION)


def paper_prompt(paper: Paper) -> str:
    """The user message: the paper as plain text, one field a line."""
    lines = [f"Title: {plain_text(paper.title)}"]
    if paper.comments:
        lines.append(f"Comments: {plain_text(paper.comments)}")
    lines.append(f"Abstract: {plain_text(paper.abstract)}")
    return "\n".join(lines)


def cache_key(model: str, paper: Paper, featured: bool, language: str = "en") -> str:
    return answer_key(model, paper.arxiv_id, paper.version, "featured" if featured else "radiostation",
                          PROMPT_VERSION, language)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> set[str]:
    """Numbers as written, thousands separators dropped; a lone digit is too common to tell anything."""
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    return {n for n in found if len(n) > 1}


def invented_numbers(answer: Json, paper: Paper) -> str | None:
    """The check on every answer: numbers it quotes that the paper's listing does not have."""
    source = _numbers(plain_text(f"{paper.title} {paper.comments or ''} {paper.abstract}"))
    said = " ".join([*answer["paragraphs"], answer["recommendation"], answer["headline"], answer["line"]])
    invented = sorted(_numbers(said) - source)
    return f"numbers not in the abstract: {', '.join(invented)}" if invented else None


def as_writeup(answer: Json) -> Writeup:
    """The write-up of a checked answer, cleaned like the abstracts (a stray "$\\alpha$" or tag included)."""
    return Writeup(
        paragraphs=tuple(plain_text(p) for p in answer["paragraphs"]),
        recommendation=plain_text(answer["recommendation"]),
        headline=plain_text(answer["headline"]),
        line=plain_text(answer["line"]),
        method=METHOD,
        language="en",
    )


def fallback(paper: Paper, featured: bool) -> Writeup:
    """The extractive write-up, marked as standing in for the model's."""
    return dataclasses.replace(write_paper(paper, featured=featured), method=FALLBACK_METHOD)


@dataclass(frozen=True)
class AbstractiveWriter:
    """Registered as "llm". ``connect`` opens the endpoint (tests pass one on a fake clock)."""

    name: str = "llm"
    connect: Callable[[Settings], ChatClient] = ChatClient

    def write(self, picks: Sequence[Pick], settings: Settings, cache: Cache | None = None) -> list[Writeup]:
        require_endpoint(settings)
        writeups: list[Writeup] = []
        fell_back = 0
        with self.connect(settings) as client:
            for pick in picks:
                paper, featured = pick.paper, pick.section == "featured"
                try:
                    answer = client.ask(system_prompt(featured), paper_prompt(paper), schema_name="writeup",
                                      schema=writeup_schema(featured),
                                      check=partial(invented_numbers, paper=paper),
                                      cache=cache, namespace=NAMESPACE, key=cache_key(client.model, paper, featured))
                except WriteError as exc:
                    log.warning("write: %s falls back to the extractive writer: %s", paper.arxiv_id, exc)
                    writeups.append(fallback(paper, featured))
                    fell_back += 1
                    continue
                writeups.append(as_writeup(answer))
            log.info("write: %s; %d of %d picks fell back to the extractive writer", client.summary(), fell_back,
                     len(picks))
        return writeups
