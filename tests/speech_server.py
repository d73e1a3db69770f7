"""A real local OpenAI-compatible speech server (``POST /v1/audio/speech``), for the engine tests.

It answers the way the OpenAI endpoint does, with audio it synthesises: a sine tone at the voice's pitch,
10 ms per character of ``input``, as a streamed WAV (size fields left as placeholders, as a streaming server
sends them) or as raw 16-bit PCM at 24 kHz. It checks the Bearer key and the request fields, and answers a
wrong key with the 401 error body OpenAI sends, quoting the key it was given (so tests can check the client
never repeats it). Failures are scripted per text: :meth:`SpeechServer.script` queues answers (an HTTP
status, or ``SLOW`` to answer after the client's timeout) for the requests whose input contains a marker,
and :meth:`SpeechServer.fail_always` makes such requests fail for good.
"""

from __future__ import annotations

import json
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

import numpy as np

from tests.loopback import LoopbackServer, OwnedServer

SECONDS_PER_CHAR = 0.01
PITCH = {"alloy": 440.0, "echo": 330.0}
"""Hz of each voice's tone."""
MAX_INPUT = 4096
SLOW = "slow"
"""A scripted answer: wait ``slow_seconds`` (longer than the client's timeout), then answer normally."""


@dataclass(frozen=True)
class SpeechRequest:
    """One request as the server saw it."""

    headers: dict[str, str]
    body: dict[str, Any]


def tone(text: str, voice: str, rate: int) -> np.ndarray:
    """The audio the server sends for ``text``: 16-bit samples of the voice's tone."""
    t = np.arange(round(len(text) * SECONDS_PER_CHAR * rate)) / rate
    return np.round(0.5 * 32767 * np.sin(2 * np.pi * PITCH[voice] * t)).astype("<i2")


def streamed_wav(pcm: np.ndarray, rate: int) -> bytes:
    """A mono 16-bit WAV whose RIFF and data sizes are the 0xFFFFFFFF placeholders of a stream."""
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return (b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"LIST" + struct.pack("<I", 4) + b"INFO" + b"data" + struct.pack("<I", 0xFFFFFFFF) + pcm.tobytes())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: OwnedServer[SpeechServer]

    def do_POST(self) -> None:
        owner = self.server.owner
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        request = SpeechRequest({k.lower(): v for k, v in self.headers.items()}, body)
        status, payload, content_type, headers = owner.answer(self.path, request)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        pass



def _error(status: int, message: str) -> tuple[int, bytes, str, dict[str, str]]:
    body = json.dumps({"error": {"message": message, "type": "invalid_request_error"}}).encode()
    return status, body, "application/json", {}


class SpeechServer(LoopbackServer):
    """Serve ``/v1/audio/speech`` on a free loopback port; ``requests`` lists every request."""

    def __init__(self, api_key: str = "", rate: int = 24000, slow_seconds: float = 1.0) -> None:
        self.api_key = api_key
        self.rate = rate
        """Sample rate of the WAV answers (PCM answers are always 24 kHz, as OpenAI's are)."""
        self.slow_seconds = slow_seconds
        self.requests: list[SpeechRequest] = []
        self._scripts: dict[str, list[int | str]] = {}
        self._always: dict[str, int] = {}
        self._lock = threading.Lock()
        super().__init__(_Handler)

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    def script(self, marker: str, *answers: int | str) -> None:
        """Answer the next requests whose input contains ``marker`` with ``answers`` (statuses or SLOW), in
        order; after them such requests succeed."""
        with self._lock:
            self._scripts[marker] = list(answers)

    def fail_always(self, marker: str, status: int = 500) -> None:
        with self._lock:
            self._always[marker] = status

    def inputs(self, marker: str = "") -> list[str]:
        """The input of every request (containing ``marker``), in order."""
        return [str(r.body.get("input")) for r in self.requests if marker in str(r.body.get("input"))]

    def answer(self, path: str, request: SpeechRequest) -> tuple[int, bytes, str, dict[str, str]]:
        with self._lock:
            self.requests.append(request)
        if path != "/v1/audio/speech":
            return _error(404, f"no route {path}")
        if self.api_key and request.headers.get("authorization") != f"Bearer {self.api_key}":
            given = request.headers.get("authorization", "").removeprefix("Bearer ")
            return _error(401, f"Incorrect API key provided: {given}.")
        body = request.body
        text, voice, fmt = body.get("input"), body.get("voice"), body.get("response_format", "mp3")
        if not isinstance(text, str) or not text or len(text) > MAX_INPUT:
            return _error(400, f"input must be a string of 1 to {MAX_INPUT} characters")
        if voice not in PITCH or not body.get("model") or fmt not in ("wav", "pcm"):
            return _error(400, f"bad model, voice {voice!r} or response_format {fmt!r}")
        with self._lock:
            scripted = next((queue.pop(0) for marker, queue in self._scripts.items() if marker in text and queue), None)
            always = next((status for marker, status in self._always.items() if marker in text), None)
        if always is not None:
            return _error(always, "The server had an error while processing your request.")
        if scripted == SLOW:
            time.sleep(self.slow_seconds)
        elif isinstance(scripted, int):
            headers = {"Retry-After": "0"} if scripted == 429 else {}
            return *_error(scripted, f"scripted HTTP {scripted}")[:3], headers
        if fmt == "pcm":
            return 200, tone(text, voice, 24000).tobytes(), "audio/pcm", {}
        return 200, streamed_wav(tone(text, voice, self.rate), self.rate), "audio/wav", {}
