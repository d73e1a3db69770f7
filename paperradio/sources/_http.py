"""The one polite HTTP client every arXiv source shares (RSS, API, OAI-PMH).

arXiv asks for at most one request every 3 seconds on a single connection. The client keeps one
connection, waits out the interval between requests, retries 429/503/5xx and timeouts with exponential
backoff honouring Retry-After, and names itself with a contact address.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC

import httpx

from ..errors import SourceError

log = logging.getLogger(__name__)

MIN_INTERVAL = 3.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Politeness:
    interval: float = MIN_INTERVAL
    """Seconds between the starts of two requests; never below ``MIN_INTERVAL``."""
    retries: int = 4
    backoff: float = 5.0
    """First retry wait in seconds; doubles each time unless Retry-After says otherwise."""
    max_wait: float = 300.0
    timeout: float = 60.0
    floor: float = MIN_INTERVAL
    """The shortest interval allowed: arXiv's 3 s, unless a source for another host sets its own."""

    def __post_init__(self) -> None:
        if self.interval < self.floor:
            whose = "arXiv's minimum" if self.floor == MIN_INTERVAL else "the minimum"
            raise SourceError(f"request interval {self.interval} s is below {whose} of {self.floor} s")


def user_agent(contact: str) -> str:
    from importlib.metadata import version

    return f"paperradio/{version('paperradio')} (+mailto:{contact}; weekly research digest)"


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


class PoliteClient:
    """GETs with arXiv's manners. ``clock`` and ``sleep`` are the time source, so tests can run a
    3-second schedule without waiting it out."""

    def __init__(
        self,
        contact: str,
        politeness: Politeness = Politeness(),
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.politeness = politeness
        self._clock, self._sleep, self._wall_clock = clock, sleep, wall_clock
        self._last_start: float | None = None
        self.requests = 0
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(contact)},
            timeout=politeness.timeout,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            transport=transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _wait_turn(self) -> None:
        if self._last_start is not None:
            remaining = self._last_start + self.politeness.interval - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last_start = self._clock()

    def get(self, url: str, params: Mapping[str, str] | None = None,
            accept: Callable[[httpx.Response], bool] | None = None,
            explain: Callable[[httpx.Response], str | None] | None = None) -> httpx.Response:
        """GET ``url``; retry transient failures, and responses ``accept`` rejects (e.g. an empty page).

        ``explain`` turns a non-retryable error response into the server's own one-line message (e.g. the
        arXiv API's error entry); without it, or when it returns None, the message quotes the body.
        """
        wait = self.politeness.backoff
        last_problem = ""
        for attempt in range(self.politeness.retries + 1):
            if attempt:
                log.warning("retrying %s in %.0f s (%s)", url, wait, last_problem)
                self._sleep(wait)
            self._wait_turn()
            self.requests += 1
            try:
                response = self._client.get(url, params=params)
            except httpx.TimeoutException:
                last_problem = "timed out"
                wait = min(self.politeness.backoff * 2**attempt, self.politeness.max_wait)
                continue
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                # The connection dropped mid-response (a truncated body): transient, like a timeout.
                last_problem = f"connection dropped: {exc}"
                wait = min(self.politeness.backoff * 2**attempt, self.politeness.max_wait)
                continue
            except httpx.TransportError as exc:
                raise SourceError(f"cannot reach {url}: {exc.__class__.__name__}: {exc}") from None
            log.info("GET %s -> %d", response.url, response.status_code)
            if response.status_code in RETRY_STATUSES:
                last_problem = f"HTTP {response.status_code}"
                hinted = _retry_after(response.headers.get("Retry-After"), self._wall_clock())
                backoff = self.politeness.backoff * 2**attempt
                wait = min(hinted if hinted is not None else backoff, self.politeness.max_wait)
                continue
            if response.status_code >= 400:
                detail = explain(response) if explain is not None else None
                if detail is None:
                    detail = " ".join(response.text[:200].split())
                raise SourceError(f"{response.url} answered HTTP {response.status_code}: {detail}")
            if accept is not None and not accept(response):
                last_problem = "empty or incomplete response"
                wait = min(self.politeness.backoff * 2**attempt, self.politeness.max_wait)
                continue
            return response
        raise SourceError(f"{url}: gave up after {self.politeness.retries + 1} attempts ({last_problem})")
