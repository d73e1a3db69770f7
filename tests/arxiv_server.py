"""A real local HTTP server that answers like arXiv (RSS, API), for the source tests.

The traffic is real (a ThreadingHTTPServer on 127.0.0.1, HTTP/1.1 keep-alive); only time is fake:
``FakeTime`` is the client's clock and sleep, so a 3-second schedule and a Retry-After of minutes run in
milliseconds, and the server stamps each request with the fake clock to check the spacing on the wire.

Replies come from scripts (served in order, the last one repeating) and from routes (a function of the
request, e.g. ``ArxivApi`` answering id_list and paged queries from a catalog file).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from paperradio.sources._http import PoliteClient, Politeness
from tests.loopback import LoopbackServer, OwnedServer

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"
CONTACT = "editor@example.org"
APRIL_14_2026 = 1_776_139_200.0
"""2026-04-14 04:00 UTC, the fake wall clock's start: right after that day's listing went out."""


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class FakeTime:
    """The client's clock and sleep: sleeping advances the clock at once and is recorded."""

    def __init__(self, wall_start: float = APRIL_14_2026) -> None:
        self.now = 0.0
        self.wall_start = wall_start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.wall_start + self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def http_date(self, after: float) -> str:
        """An HTTP date ``after`` seconds past the fake now, as a Retry-After header carries it."""
        return formatdate(self.wall() + after, usegmt=True)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/xml; charset=utf-8"
    delay: float = 0.0
    """Real seconds to wait before answering (to make the client time out)."""
    cut_at: int | None = None
    """Send only this many bytes of the body, then drop the connection."""


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it."""

    at: float
    """The fake clock when it arrived."""
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    peer: tuple[str, int]
    method: str = "GET"
    body: bytes = b""
    """The request body (a POST's JSON)."""


Route = Callable[[Seen], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; do not wait for an ACK between
    server: OwnedServer[ArxivServer]

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        seen = Seen(at=owner.time.now, path=parts.path, query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()}, peer=self.client_address[:2],
                    method=method, body=body)
        try:
            reply = owner.answer(seen)
        except Exception as exc:  # a bug in a test's route: make it visible on the client side
            reply = Reply(599, f"fixture server error: {exc.__class__.__name__}: {exc}".encode(),
                          content_type="text/plain")
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if reply.cut_at is None:
            self.wfile.write(reply.body)
        else:
            self.wfile.write(reply.body[: reply.cut_at])
            self.close_connection = True
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        pass



class ArxivServer(LoopbackServer):
    """Serve scripted arXiv answers on a free loopback port; ``seen`` lists every request."""

    def __init__(self, clock: FakeTime | None = None) -> None:
        self.time = clock or FakeTime()
        self.seen: list[Seen] = []
        self._scripts: dict[str, list[Reply]] = {}
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        super().__init__(_Handler)

    @property
    def url(self) -> str:
        return self.origin

    def script(self, path: str, *replies: Reply) -> None:
        """Answer ``path`` with ``replies`` in order; the last repeats unless a route takes over."""
        with self._lock:
            self._scripts[path] = list(replies)

    def route(self, path: str, route: Route) -> None:
        with self._lock:
            self._routes[path] = route

    def answer(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            queue = self._scripts.get(seen.path)
            route = self._routes.get(seen.path)
            if queue and (len(queue) > 1 or route is not None):
                return queue.pop(0)
        if route is not None:
            return route(seen)
        if queue:
            return queue[0]
        return Reply(404, b"no such page on the fixture server", content_type="text/plain")

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def client(self, headers: Mapping[str, str] | None = None, secrets: tuple[str, ...] = (),
               **politeness: Any) -> PoliteClient:
        """A PoliteClient on this server's fake clock."""
        return PoliteClient(CONTACT, Politeness(**politeness), clock=self.time.clock, sleep=self.time.sleep,
                            wall_clock=self.time.wall, headers=headers, secrets=secrets)


_ENTRY = re.compile(rb"  <entry>.*?</entry>\n", re.S)
_ENTRY_ID = re.compile(rb"<id>http://arxiv\.org/abs/(.+?)(v\d+)?</id>")
_HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" \
xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/fixture</id>
  <title>arXiv Query: search_query={query}&amp;id_list={ids}&amp;start={start}&amp;max_results={size}</title>
  <updated>2026-04-14T05:00:00Z</updated>
  <opensearch:itemsPerPage>{size}</opensearch:itemsPerPage>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>
"""


class ArxivApi:
    """A route answering like export.arxiv.org/api/query from the entries of a catalog feed:
    ``id_list`` selects entries (unknown ids are simply absent), ``start``/``max_results`` page."""

    def __init__(self, catalog: str) -> None:
        self.entries: list[tuple[str, bytes]] = []
        for entry in _ENTRY.findall(fixture(catalog)):
            match = _ENTRY_ID.search(entry)
            assert match, entry[:200]
            self.entries.append((match[1].decode(), entry))

    def __call__(self, seen: Seen) -> Reply:
        ids = [re.sub(r"v\d+$", "", i) for i in seen.query.get("id_list", "").split(",") if i]
        selected = [e for i, e in self.entries if not ids or i in ids]
        start, size = int(seen.query.get("start", "0")), int(seen.query.get("max_results", "10"))
        return self.page(selected[start : start + size], total=len(selected), start=start, size=size,
                         query=seen.query.get("search_query", ""), ids=",".join(ids))

    @staticmethod
    def page(entries: list[bytes], *, total: int, start: int = 0, size: int = 10, query: str = "",
             ids: str = "") -> Reply:
        head = _HEAD.format(query=query, ids=ids, start=start, size=size, total=total).encode()
        return Reply(body=head + b"".join(entries) + b"</feed>\n", content_type="application/atom+xml; charset=utf-8")
