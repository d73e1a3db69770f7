"""A language model behind an OpenAI-compatible chat-completions API, answering in checked JSON.

Any server speaking ``POST {base_url}/chat/completions`` works: llama.cpp, vLLM, Ollama, OpenAI. Each
request asks for structured output (``response_format`` with a JSON schema); a server that ignores it is
tolerated by taking the first JSON object out of the answer's text. Every answer is validated against the
same schema, then by the caller's own check; a rejected answer is retried like a 5xx. Requests go through
the shared polite client (backoff on 429/5xx and timeouts, honouring Retry-After), without arXiv's
3-second spacing. The API key travels only in the Authorization header and is scrubbed from messages.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from ..config import Settings
from ..errors import ConfigError, WriteError
from ..sources._http import PoliteClient, Politeness
from .writers import Cache

log = logging.getLogger(__name__)

Json = dict[str, Any]
Check = Callable[[Json], str | None]
"""The caller's check of a schema-valid answer: the problem with it, or None."""

FAILURES_IN_A_ROW = 3
"""Items the endpoint failed on in a row (after retries) before a run stops asking it."""
_BACKOFF = 2.0
_MAX_WAIT = 120.0
_TEMPERATURE = 0.2  # faithful rather than inventive


def require_endpoint(settings: Settings) -> None:
    """ConfigError unless an endpoint and a model are configured."""
    if not settings.llm_base_url:
        raise ConfigError("the language model writer needs an endpoint: set llm_base_url (e.g. "
                          "http://127.0.0.1:8080/v1 for llama.cpp) and llm_model, or use writer = \"extractive\"")
    if not settings.llm_model:
        raise ConfigError("llm_base_url is set but llm_model is empty: set the name of the model the endpoint serves")


def completions_url(base_url: str) -> str:
    return base_url.rstrip("/") + "/chat/completions"


def answer_key(model: str, *parts: object) -> str:
    """A cache key that always starts with the model: another model's answers are not reused."""
    return json.dumps([model, *parts], ensure_ascii=False)


def json_object(content: str) -> Json | None:
    """The JSON object in a model's answer: the whole text, else the first object inside prose or a fence."""
    decoder = json.JSONDecoder()
    for start, char in enumerate(content):
        if char != "{":
            continue
        try:
            value, _end = decoder.raw_decode(content, start)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def schema_problem(value: Any, schema: Mapping[str, Any], where: str = "answer") -> str | None:
    """The first way ``value`` breaks ``schema``, or None. Covers the JSON Schema subset this package
    sends: object (properties, required, additionalProperties false), array (items, min/maxItems) and
    string (min/maxLength)."""
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return f"{where} is not an object"
        properties: Mapping[str, Any] = schema.get("properties", {})
        missing = [name for name in schema.get("required", ()) if name not in value]
        if missing:
            return f"{where} lacks {', '.join(missing)}"
        if schema.get("additionalProperties") is False and (extra := sorted(set(value) - set(properties))):
            return f"{where} has unexpected {', '.join(extra)}"
        for name, sub in properties.items():
            if name in value and (problem := schema_problem(value[name], sub, f"{where}.{name}")):
                return problem
    elif kind == "array":
        if not isinstance(value, list):
            return f"{where} is not a list"
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            return f"{where} has {len(value)} items, not {schema.get('minItems', 0)}-{schema.get('maxItems', 'any')}"
        for i, item in enumerate(value):
            if problem := schema_problem(item, schema.get("items", {}), f"{where}[{i}]"):
                return problem
    elif kind == "string":
        if not isinstance(value, str):
            return f"{where} is not a string"
        if not schema.get("minLength", 0) <= len(value.strip()) <= schema.get("maxLength", len(value.strip())):
            return f"{where} has {len(value.strip())} characters, outside {schema.get('minLength', 0)}-" \
                   f"{schema.get('maxLength', 'any')}"
    return None


_LOCAL_ONLY = frozenset({"minLength", "maxLength"})
"""Checked here but not sent: OpenAI's strict mode rejects schemas with string length limits."""


def wire_schema(schema: Any) -> Any:
    """``schema`` as sent in ``response_format``: without the keywords only checked locally."""
    if isinstance(schema, dict):
        return {k: wire_schema(v) for k, v in schema.items() if k not in _LOCAL_ONLY}
    return schema


class _Answer:
    """``accept`` for the polite client: parses and checks each answer once, keeping it or its problem."""

    def __init__(self, schema: Json, check: Check) -> None:
        self.schema, self.check = schema, check
        self.value: Json | None = None
        self.usage: Mapping[str, Any] = {}
        self.problem = ""

    def __call__(self, response: httpx.Response) -> bool:
        try:
            body = response.json()
            content = body["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            self.problem = "the body is not a chat completion"
            return False
        found = json_object(content) if isinstance(content, str) else None
        if found is None:
            self.problem = "the answer holds no JSON object"
            return False
        problem = schema_problem(found, self.schema) or self.check(found)
        if problem:
            self.problem = problem
            return False
        self.value, self.usage = found, body.get("usage") or {}
        return True


def _no_check(_answer: Json) -> str | None:
    return None


class ChatClient:
    """One run's connection to the endpoint; counts calls and tokens, and stops asking after
    ``FAILURES_IN_A_ROW`` failed items (a dead or misconfigured server must not cost minutes per paper)."""

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 wall_clock: Callable[[], float] = time.time) -> None:
        require_endpoint(settings)
        self.model = settings.llm_model
        self.url = completions_url(settings.llm_base_url)
        self._key = settings.llm_api_key
        politeness = Politeness(interval=0.0, min_interval=0.0, retries=settings.http_retries, backoff=_BACKOFF,
                                max_wait=_MAX_WAIT, timeout=settings.llm_timeout)
        self._http = PoliteClient(settings.contact_email, politeness, transport=transport, clock=clock, sleep=sleep,
                                  wall_clock=wall_clock, error=WriteError)
        self.calls = self.cache_hits = self.prompt_tokens = self.answer_tokens = 0
        self._failed_in_a_row = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def ask(self, system: str, user: str, *, schema_name: str, schema: Json, check: Check = _no_check,
            cache: Cache | None = None, namespace: str = "", key: str = "") -> Json:
        """The endpoint's JSON answer to one request, valid against ``schema`` and passing ``check``.

        With ``cache``, a stored answer under (namespace, key) is returned without a request, and a new
        one is stored at once (the checkpoint a re-run resumes from). Raises WriteError after retries.
        """
        if cache is not None and (stored := cache.cache_get(namespace, key)) is not None:
            self.cache_hits += 1
            return dict(stored)
        if self._failed_in_a_row >= FAILURES_IN_A_ROW:
            raise WriteError(f"{self.model} at {self.url} failed {FAILURES_IN_A_ROW} times in a row; "
                             "not asked again in this run")
        body = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "temperature": _TEMPERATURE,
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": schema_name, "strict": True, "schema": wire_schema(schema)}},
        }
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        answer = _Answer(schema, check)
        self.calls += 1
        try:
            self._http.post(self.url, body, headers=headers, accept=answer)
        except WriteError as exc:
            self._failed_in_a_row += 1
            last = f" (last answer rejected: {answer.problem})" if answer.problem else ""
            raise WriteError(self._scrub(f"{self.model}: {exc}{last}")) from None
        assert answer.value is not None  # accepted
        self._failed_in_a_row = 0
        self.prompt_tokens += int(answer.usage.get("prompt_tokens") or 0)
        self.answer_tokens += int(answer.usage.get("completion_tokens") or 0)
        if cache is not None:
            cache.cache_put(namespace, key, answer.value)
        return answer.value

    def _scrub(self, message: str) -> str:
        """A server may echo the key in an error body; never pass it on."""
        return message.replace(self._key, "***") if self._key else message

    def summary(self) -> str:
        return (f"{self.calls} requests to {self.model}, {self.cache_hits} answers from the cache, "
                f"{self.prompt_tokens} prompt and {self.answer_tokens} answer tokens reported")
