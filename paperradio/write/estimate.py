"""What a write run will ask the language model endpoint, and cost, worked out without calling it.

`paperradio write --estimate` prints it. Tokens are estimated, not counted with the model's tokenizer:
English text at 4 characters a token (the usual rule of thumb for GPT-style tokenizers), and a Chinese
answer at one token a character, about half as many characters as its English. A write-up not written
yet is counted at a typical length. Requests whose answer is already cached cost nothing and are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..models import Pick, Writeup
from . import abstractive, translation
from .chat import require_endpoint
from .extractive import write_paper
from .writers import Cache

CHARS_PER_TOKEN = 4
ZH_TOKENS_PER_EN_CHAR = 0.5
TYPICAL_ANSWER_CHARS = {True: 1400, False: 450}
"""Typical length of an English write-up in characters: featured (True) or Radiostation (False)."""


@dataclass(frozen=True)
class Estimate:
    model: str
    base_url: str
    writeups: int
    """Write-up requests to make (picks without a cached answer)."""
    translations: int
    cached: int
    """Requests skipped because their answer is cached."""
    prompt_tokens: int
    answer_tokens: int
    price_input: float
    price_output: float
    """US dollars per million tokens."""

    @property
    def cost(self) -> float:
        return (self.prompt_tokens * self.price_input + self.answer_tokens * self.price_output) / 1e6

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.base_url, "writeups": self.writeups,
                "translations": self.translations, "cached": self.cached, "prompt_tokens": self.prompt_tokens,
                "answer_tokens": self.answer_tokens, "price_input": self.price_input,
                "price_output": self.price_output, "cost": round(self.cost, 6)}

    def text(self) -> str:
        if not self.model:
            return "no language model endpoint configured: the run makes no requests and costs nothing"
        return (f"{self.writeups} write-ups and {self.translations} translations to request from {self.model} at "
                f"{self.base_url} ({self.cached} cached)\n"
                f"~{self.prompt_tokens:,} prompt tokens + ~{self.answer_tokens:,} answer tokens "
                f"(estimated: 4 characters a token)\n"
                f"~${self.cost:.4f} at ${self.price_input:g} / ${self.price_output:g} per million prompt / answer "
                "tokens")


def _tokens(text: str) -> int:
    return -(-len(text) // CHARS_PER_TOKEN)


def estimate(picks: Sequence[Pick], settings: Settings, cache: Cache | None = None) -> Estimate:
    """The requests a ``write.run`` of ``picks`` with ``settings`` would make, and their tokens and cost."""
    writes_llm, translates = settings.writer == "llm", translation.wanted(settings)
    if not (writes_llm or translates):
        return Estimate("", "", 0, 0, 0, 0, 0, settings.llm_price_input, settings.llm_price_output)
    require_endpoint(settings)
    model = settings.llm_model
    writeups = translations = cached = prompt = answer = 0
    for pick in picks:
        paper, featured = pick.paper, pick.section == "featured"
        english: Writeup | None = None
        if writes_llm:
            stored = cache.cache_get(abstractive.NAMESPACE, abstractive.cache_key(model, paper, featured)) \
                if cache else None
            if stored is not None:
                cached += 1
                english = abstractive.as_writeup(stored)
            else:
                writeups += 1
                prompt += _tokens(abstractive.system_prompt(featured)) + _tokens(abstractive.paper_prompt(paper))
                answer += TYPICAL_ANSWER_CHARS[featured] // CHARS_PER_TOKEN
        elif settings.writer == "extractive":
            english = write_paper(paper, featured=featured)
        if not translates:
            continue
        if english is not None and cache is not None and \
                cache.cache_get(translation.NAMESPACE, translation.cache_key(model, pick, english)) is not None:
            cached += 1
            continue
        translations += 1
        english_chars = len(translation.source_text(english)) if english else TYPICAL_ANSWER_CHARS[featured]
        prompt += _tokens(translation.SYSTEM) + -(-english_chars // CHARS_PER_TOKEN)
        answer += round(english_chars * ZH_TOKENS_PER_EN_CHAR)
    return Estimate(model, settings.llm_base_url, writeups, translations, cached, prompt, answer,
                    settings.llm_price_input, settings.llm_price_output)
