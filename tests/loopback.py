"""What the local test servers share: a threaded HTTP server on 127.0.0.1, run in a daemon thread.

A test server subclasses :class:`LoopbackServer` with its request handler; the handler reaches the test
server (its scripts, its record of requests) as ``self.server.owner``.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

Owner = TypeVar("Owner")


class OwnedServer(ThreadingHTTPServer, Generic[Owner]):
    daemon_threads = True
    owner: Owner

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up; the test sees the outcome on the client side


class LoopbackServer:
    """Serves ``handler`` on a free loopback port (or ``port``) while used as a context manager."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0) -> None:
        self._httpd: OwnedServer[Any] = OwnedServer(("127.0.0.1", port), handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
