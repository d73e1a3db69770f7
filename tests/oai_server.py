"""A real OAI-PMH server on 127.0.0.1 for the harvester's tests, and the XML it serves.

The server answers from a ``responder`` (query parameters -> status, headers, body); ``script`` holds
canned answers served first, one per request, for 503s, truncated pages and the like. Every request's
parameters are kept in ``requests``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "oai"

Reply = tuple[int, dict[str, str], bytes]
Responder = Callable[[dict[str, str]], Reply]

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<responseDate>2024-02-01T10:00:00Z</responseDate>\n'
         '<request verb="ListRecords">http://127.0.0.1/oai</request>\n')


class FakeTime:
    """Clock and sleep for PoliteClient: sleeping advances the clock at once and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class OAIServer:
    def __init__(self, responder: Responder, delay: float = 0.0) -> None:
        self.responder = responder
        self.delay = delay
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                params = dict(parse_qsl(urlsplit(self.path).query))
                server.requests.append(params)
                if server.delay:
                    time.sleep(server.delay)
                status, headers, body = server.script.popleft() if server.script else server.responder(params)
                self.send_response(status)
                for name, value in {"Content-Type": "text/xml; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/oai"

    def start(self) -> OAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def serving(responder: Responder, delay: float = 0.0) -> Iterator[OAIServer]:
    server = OAIServer(responder, delay).start()
    try:
        yield server
    finally:
        server.stop()


def ok(body: bytes) -> Reply:
    return 200, {}, body


def chain(pages: Sequence[bytes]) -> Responder:
    """Page 0 for a fresh request, page n for resumption token ``tok<n>``; other tokens are refused."""

    def respond(params: dict[str, str]) -> Reply:
        token = params.get("resumptionToken")
        if token is None:
            return ok(pages[0])
        if token.startswith("tok") and token[3:].isdigit() and 0 < int(token[3:]) < len(pages):
            return ok(pages[int(token[3:])])
        return ok(error_page("badResumptionToken", "The value of the resumptionToken argument is invalid or expired."))

    return respond


def fixture(name: str) -> Responder:
    """Serve one file of tests/fixtures/oai/ for every request."""
    body = (FIXTURES / name).read_bytes()
    return lambda _params: ok(body)


def list_records(records: Sequence[str], token: str | None = None, cursor: int = 0, size: int | None = None) -> bytes:
    """A ListRecords page; with ``size`` it ends with a resumption token element (empty on the last page)."""
    tail = ""
    if size is not None or token is not None:
        size_attr = f' completeListSize="{size}"' if size is not None else ""
        tail = f'<resumptionToken cursor="{cursor}"{size_attr}>{token or ""}</resumptionToken>\n'
    return (_HEAD + "<ListRecords>\n" + "".join(records) + tail + "</ListRecords>\n</OAI-PMH>\n").encode()


def chain_pages(pages: Sequence[Sequence[str]]) -> list[bytes]:
    """ListRecords pages linked by tokens tok1, tok2 ... as :func:`chain` serves them."""
    size = sum(len(p) for p in pages)
    out, cursor = [], 0
    for index, records in enumerate(pages):
        token = f"tok{index + 1}" if index + 1 < len(pages) else None
        out.append(list_records(records, token, cursor, size))
        cursor += len(records)
    return out


def error_page(code: str, message: str) -> bytes:
    return (_HEAD + f'<error code="{code}">{escape(message)}</error>\n</OAI-PMH>\n').encode()


def _header(arxiv_id: str, status: str = "") -> str:
    attr = f' status="{status}"' if status else ""
    return (f"<header{attr}><identifier>oai:arXiv.org:{arxiv_id}</identifier><datestamp>2024-01-20</datestamp>"
            "<setSpec>cs</setSpec></header>")


def raw_record(arxiv_id: str, dates: Sequence[str] = ("Mon, 8 Jan 2024 10:00:00 GMT",), title: str = "",
               authors: str = "Ada Lovelace and Alan Turing", categories: str = "cs.CL cs.LG") -> str:
    """An arXivRaw record with one <version> per date (v1, v2 ...)."""
    versions = "".join(f'<version version="v{n}"><date>{d}</date><size>12kb</size><source_type>D</source_type>'
                       "</version>" for n, d in enumerate(dates, start=1))
    return (f"<record>{_header(arxiv_id)}<metadata>"
            '<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">'
            f"<id>{arxiv_id}</id><submitter>Ada Lovelace</submitter>{versions}"
            f"<title>{escape(title or 'Paper ' + arxiv_id)}</title><authors>{escape(authors)}</authors>"
            f"<categories>{categories}</categories><comments>5 pages</comments>"
            f"<abstract>  An abstract of {arxiv_id}\nover two lines.\n</abstract></arXivRaw></metadata></record>\n")


def arxiv_record(arxiv_id: str, created: str = "2024-01-08", updated: str = "", title: str = "",
                 authors: Sequence[tuple[str, str]] = (("Lovelace", "Ada"),), categories: str = "cs.CL") -> str:
    """An arXiv-format record; ``authors`` as (keyname, forenames)."""
    people = "".join(f"<author><keyname>{k}</keyname><forenames>{f}</forenames></author>" for k, f in authors)
    updated_element = f"<updated>{updated}</updated>" if updated else ""
    return (f"<record>{_header(arxiv_id)}<metadata>"
            '<arXiv xmlns="http://arxiv.org/OAI/arXiv/">'
            f"<id>{arxiv_id}</id><created>{created}</created>{updated_element}<authors>{people}</authors>"
            f"<title>{escape(title or 'Paper ' + arxiv_id)}</title><categories>{categories}</categories>"
            f"<abstract>An abstract of {arxiv_id}.</abstract></arXiv></metadata></record>\n")


def deleted_record(arxiv_id: str) -> str:
    return f"<record>{_header(arxiv_id, 'deleted')}</record>\n"
