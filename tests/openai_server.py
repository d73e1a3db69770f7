"""A real local server on 127.0.0.1 speaking the OpenAI chat-completions protocol, for the LLM tests.

``POST /v1/chat/completions`` is answered from the request, deterministically:
- a write-up request (``response_format`` schema named "writeup") gets a valid write-up built from the
  abstract's own sentences, as many paragraphs as the schema asks for;
- a translation request ("translation") gets a "Chinese rendering": each text marked 【译】 with a few
  common English words swapped for Chinese ones; names, terms and numbers stay as they were.

Behaviours are switched per request: ``script(*modes)`` serves modes in order before the normal answers,
``fail_after(n, mode)`` answers normally n times and then always with ``mode``. Modes: "ok", "429" (with
Retry-After: 7), "500", "malformed" (a cut-off JSON body), "schema" (an answer breaking the schema),
"invented" (a number the abstract does not have), "prose" (the JSON inside prose and a code fence, as from
a server ignoring response_format), "echo-key" (a 401 quoting the Authorization header), "slow" (an
answer later than the client's timeout). Every request is recorded in ``seen``; only time is fake
(``FakeTime``: the client's backoff sleeps return at once and are recorded).

Run it alone for a demo: ``python -m tests.openai_server --port 8765`` (base URL http://127.0.0.1:8765/v1).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from paperradio.config import Settings
from paperradio.write.chat import ChatClient
from tests.arxiv_server import FakeTime
from tests.loopback import LoopbackServer, OwnedServer

MODES = ("ok", "429", "500", "malformed", "schema", "invented", "prose", "echo-key", "slow")
SLOW_SECONDS = 1.0

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_GLOSSARY = {
    "The problem": "问题", "The idea": "思路", "The evidence": "证据", "In short": "简介",
    "Worth reading for this result": "推荐理由", "We propose": "我们提出", "We present": "我们提出",
    "We introduce": "我们引入", "We study": "我们研究", "We prove": "我们证明", "improves": "提升",
    "accuracy": "准确率", "baseline": "基线",
}
_GLOSSARY_RE = re.compile("|".join(rf"\b{re.escape(w)}\b" for w in sorted(_GLOSSARY, key=len, reverse=True)))


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def kind(self) -> str:
        """"writeup" or "translation": the name of the schema the request asks for."""
        return str(self.body.get("response_format", {}).get("json_schema", {}).get("name", ""))

    @property
    def user(self) -> str:
        return str(self.body["messages"][-1]["content"])


def writeup(seen: Seen) -> dict[str, Any]:
    """A valid write-up from the abstract in the request: the paragraphs are its sentences, in order."""
    fields = dict(line.split(": ", 1) for line in seen.user.splitlines() if ": " in line)
    sentences = [s for s in _SENTENCE.split(fields["Abstract"]) if s]
    schema = seen.body["response_format"]["json_schema"]["schema"]["properties"]["paragraphs"]
    count = max(schema["minItems"], min(schema["maxItems"], 3, len(sentences)))
    if count == 1:  # a Radiostation paragraph: one or two sentences
        sentences = sentences[:2]
    groups = [sentences[i * len(sentences) // count:(i + 1) * len(sentences) // count] for i in range(count)]
    for group in groups:  # short paragraphs, as the schema wants
        while len(group) > 1 and len(" ".join(group)) > 1100:
            group.pop()
    labels = ("The problem", "The idea", "The evidence") if count > 1 else ("In short",)
    paragraphs = [f"{label}: {' '.join(group) or fields['Title']}" for label, group in zip(labels, groups,
                                                                                          strict=False)]
    short = sorted((s for s in sentences if len(s) < 300), key=len) or [sentences[0][:300]]
    result = [s for s in short if any(c.isdigit() for c in s)] or short
    return {
        "paragraphs": paragraphs,
        "recommendation": f"Worth reading for this result: {result[0]}",
        "headline": fields["Title"].split(":")[0][:100],
        "line": next((s for s in sentences if s.startswith("We ") and s in short), short[0]),
    }


def chinese(text: str) -> str:
    """The deterministic "translation": 【译】 and a glossary; everything else kept as it was."""
    return "【译】" + _GLOSSARY_RE.sub(lambda m: _GLOSSARY[m[0]], text)


def translation(seen: Seen) -> dict[str, Any]:
    english = json.loads(seen.user)
    return {"paragraphs": [chinese(p) for p in english["paragraphs"]],
            "recommendation": chinese(english["recommendation"]), "line": chinese(english["line"])}


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]
    delay: float = 0.0


def _completion(seen: Seen, content: str) -> Reply:
    prompt = sum(len(m["content"]) for m in seen.body["messages"])
    body = {"id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": seen.body.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt // 4, "completion_tokens": len(content) // 4,
                      "total_tokens": prompt // 4 + len(content) // 4}}
    return Reply(200, json.dumps(body, ensure_ascii=False).encode(), {"Content-Type": "application/json"})


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps({"error": {"message": message, "type": "test"}}).encode()
    return Reply(status, body, {"Content-Type": "application/json", **(headers or {})})


def answer(seen: Seen, mode: str) -> Reply:
    """The reply to one request in one mode."""
    if seen.path != "/v1/chat/completions":
        return _error(404, f"no route {seen.path}")
    if mode == "429":
        return _error(429, "rate limited", {"Retry-After": "7"})
    if mode == "500":
        return _error(500, "the model crashed")
    if mode == "echo-key":
        return _error(401, f"Incorrect API key provided: {seen.headers.get('authorization', '')}")
    good = translation(seen) if seen.kind == "translation" else writeup(seen)
    if mode == "malformed":
        return Reply(200, _completion(seen, json.dumps(good)).body[:60], {"Content-Type": "application/json"})
    if mode == "schema":
        return _completion(seen, json.dumps({"paragraphs": good["paragraphs"][:1], "summary": "no line"}))
    if mode == "invented":
        good["paragraphs"][-1] += " It reaches 99.9% on every benchmark."
    if mode == "prose":
        return _completion(seen, f"Sure! Here it is:\n```json\n{json.dumps(good, indent=2)}\n```\nAnything else?")
    reply = _completion(seen, json.dumps(good, ensure_ascii=False))
    return Reply(reply.status, reply.body, reply.headers, SLOW_SECONDS) if mode == "slow" else reply


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; do not wait for an ACK between
    server: OwnedServer[OpenAIServer]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, json.loads(self.rfile.read(length)))
        reply = self.server.owner.reply(seen)
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        for name, value in {**reply.headers, "Content-Length": str(len(reply.body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass



class OpenAIServer(LoopbackServer):
    """Serve chat completions on a free loopback port (or ``port``); ``seen`` lists every request."""

    def __init__(self, port: int = 0) -> None:
        self.time = FakeTime()
        self.seen: list[Seen] = []
        self._script: deque[str] = deque()
        self._healthy_left: int | None = None
        self._failing = "ok"
        self._lock = threading.Lock()
        super().__init__(_Handler, port)

    @property
    def url(self) -> str:
        """The base URL, as llm_base_url takes it."""
        return f"{self.origin}/v1"

    def script(self, *modes: str) -> None:
        """Answer the next requests in these modes, one each, then as before."""
        assert set(modes) <= set(MODES), modes
        with self._lock:
            self._script.extend(modes)

    def fail_after(self, answers: int, mode: str) -> None:
        """Answer normally ``answers`` more times, then always in ``mode``."""
        assert mode in MODES, mode
        with self._lock:
            self._healthy_left, self._failing = answers, mode

    def heal(self) -> None:
        with self._lock:
            self._script.clear()
            self._healthy_left, self._failing = None, "ok"

    def reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            if self._script:
                mode = self._script.popleft()
            elif self._healthy_left is None or self._healthy_left > 0:
                mode = "ok"
                if self._healthy_left is not None:
                    self._healthy_left -= 1
            else:
                mode = self._failing
        try:
            return answer(seen, mode)
        except Exception as exc:  # a bug in the fixture: make it visible on the client side
            return _error(599, f"fixture server error: {exc.__class__.__name__}: {exc}")

    def kinds(self) -> list[str]:
        return [s.kind for s in self.seen]

    def connect(self, settings: Settings) -> ChatClient:
        """A client of this server on the fake clock: backoff and Retry-After waits cost no real time."""
        return ChatClient(settings, clock=self.time.clock, sleep=self.time.sleep, wall_clock=self.time.wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    port = parser.parse_args().port
    with OpenAIServer(port) as server:
        print(f"serving chat completions at {server.url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
