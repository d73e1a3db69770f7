"""The Chinese edition's write-ups: each English write-up translated through the language model endpoint.

Only the writer's own text is translated (paragraphs, recommendation, Radiostation line); titles, author
names and credits are never sent, so the edition prints them exactly as the English one does, and the
prompt asks to keep names, technical terms and numbers as in the original. Answers are cached per (paper
and version, kind, prompt version, model, language, English text), committed one by one. A pick whose
translation fails keeps only its English write-up: the Chinese edition prints it with a note.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
from collections.abc import Callable, Sequence

from ..config import Settings
from ..errors import WriteError
from ..models import Pick, Writeup
from .chat import ChatClient, Json, answer_key
from .clean import plain_text
from .writers import Cache

log = logging.getLogger(__name__)

PROMPT_VERSION = "zh-1"
NAMESPACE = "llm-translation"
LANGUAGE = "zh"

SYSTEM = """You translate entries of a weekly digest of research papers from English into Simplified \
Chinese. The input is a JSON object with "paragraphs", "recommendation" and "line"; answer with one JSON \
object with the same keys, the same number of paragraphs in the same order, each translated faithfully: \
add nothing and leave nothing out. Keep exactly as in the English original, in Latin letters: paper \
titles; names of people, labs, models, datasets, benchmarks and methods; acronyms and technical terms \
without a settled Chinese translation; every number with its unit. No Markdown."""

_TEXT = {"type": "string", "minLength": 1, "maxLength": 2000}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def wanted(settings: Settings) -> bool:
    """Translate when an endpoint is configured and the Chinese edition is published."""
    return bool(settings.llm_base_url) and LANGUAGE in settings.editions


def translation_schema(paragraphs: int) -> Json:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["paragraphs", "recommendation", "line"],
        "properties": {
            "paragraphs": {"type": "array", "minItems": paragraphs, "maxItems": paragraphs, "items": _TEXT},
            "recommendation": _TEXT,
            "line": _TEXT,
        },
    }


def source_text(writeup: Writeup) -> str:
    """The user message: the English write-up's translatable fields as JSON."""
    return json.dumps({"paragraphs": list(writeup.paragraphs), "recommendation": writeup.recommendation,
                       "line": writeup.line}, ensure_ascii=False, indent=1)


def cache_key(model: str, pick: Pick, writeup: Writeup) -> str:
    """Includes a digest of the English text: a new English write-up is translated afresh."""
    digest = hashlib.sha256(source_text(writeup).encode()).hexdigest()[:16]
    kind = "featured" if pick.section == "featured" else "radiostation"
    return answer_key(model, pick.paper.arxiv_id, pick.paper.version, kind, PROMPT_VERSION, LANGUAGE, digest)


def untranslated(answer: Json) -> str | None:
    """The check on every answer: each field must actually be Chinese."""
    fields = {"recommendation": answer["recommendation"], "line": answer["line"],
              **{f"paragraphs[{i}]": p for i, p in enumerate(answer["paragraphs"])}}
    english = [name for name, text in fields.items() if not _CJK.search(text)]
    return f"not translated into Chinese: {', '.join(english)}" if english else None


def _as_writeup(answer: Json, english: Writeup) -> Writeup:
    # The headline names the contribution in the issue title, which stays in English like the titles.
    return dataclasses.replace(english, paragraphs=tuple(plain_text(p) for p in answer["paragraphs"]),
                               recommendation=plain_text(answer["recommendation"]),
                               line=plain_text(answer["line"]), language=LANGUAGE)


def translate(picks: Sequence[Pick], settings: Settings, cache: Cache | None = None,
              connect: Callable[[Settings], ChatClient] = ChatClient) -> list[Pick]:
    """The picks with a Chinese write-up in ``translations`` where the endpoint made one; same order."""
    out: list[Pick] = []
    failed = 0
    with connect(settings) as client:
        for pick in picks:
            english = pick.writeup
            if english is None:
                out.append(pick)
                continue
            try:
                answer = client.ask(SYSTEM, source_text(english), schema_name="translation",
                                  schema=translation_schema(len(english.paragraphs)), check=untranslated,
                                  cache=cache, namespace=NAMESPACE, key=cache_key(client.model, pick, english))
            except WriteError as exc:
                log.warning("translate: %s stays in English: %s", pick.paper.arxiv_id, exc)
                failed += 1
                out.append(pick)
                continue
            translations = {**pick.translations, LANGUAGE: _as_writeup(answer, english)}
            out.append(dataclasses.replace(pick, translations=translations))
        log.info("translate: %s; %d of %d picks left in English", client.summary(), failed, len(picks))
    return out

