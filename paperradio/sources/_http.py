"""The one polite HTTP client every web service shares: the arXiv sources (RSS, API, OAI-PMH, PDFs), the
scholarly indexes (OpenAlex, Semantic Scholar), and the language model and speech endpoints.

arXiv asks for at most one request every 3 seconds on a single connection. The client keeps one
connection, waits out the interval between requests, retries 429/503/5xx and timeouts with exponential
backoff honouring Retry-After, and names itself with a contact address. The 3-second floor is arXiv's
(``Politeness.min_interval``); other services set their own floor. Secrets such as API keys are masked in
its logs and errors.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC

import httpx

from ..errors import PaperRadioError, SourceError

log = logging.getLogger(__name__)

MIN_INTERVAL = 3.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class _MaskSecrets(logging.Filter):
    """httpx logs every request's full URL at INFO; mask the secrets (API keys) clients registered there."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            for secret in self.secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, ()
        return True


_HTTPX_LOG = _MaskSecrets()
logging.getLogger("httpx").addFilter(_HTTPX_LOG)


@dataclass(frozen=True)
class Politeness:
    interval: float = MIN_INTERVAL
    """Seconds between the starts of two requests; never below ``min_interval``."""
    retries: int = 4
    backoff: float = 5.0
    """First retry wait in seconds; doubles each time unless Retry-After says otherwise."""
    max_wait: float = 300.0
    timeout: float = 60.0
    min_interval: float = MIN_INTERVAL
    """The service's floor for ``interval``: arXiv's 3 s unless another service is named."""
    service: str = "arXiv"

    def __post_init__(self) -> None:
        if self.interval < self.min_interval:
            raise SourceError(f"request interval {self.interval} s is below {self.service}'s minimum of "
                              f"{self.min_interval} s")


class HostUnavailable(SourceError):
    """The host cannot be reached (DNS failure, refused connection) or kept failing through every retry:
    callers with more requests for it in the same run skip them instead of waiting out the backoff again."""


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
    """Requests with arXiv's manners. ``clock`` and ``sleep`` are the time source, so tests can run a
    3-second schedule without waiting it out; ``error`` is the error class raised (the caller's stage).
    ``headers`` go with every request; each of ``secrets`` (API keys in headers or query parameters) is
    masked wherever a URL or message is logged or raised."""

    def __init__(
        self,
        contact: str,
        politeness: Politeness = Politeness(),
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
        error: type[PaperRadioError] = SourceError,
        headers: Mapping[str, str] | None = None,
        secrets: Collection[str] = (),
    ) -> None:
        self.politeness = politeness
        self._error = error
        self._secrets = tuple(s for s in secrets if s)
        _HTTPX_LOG.secrets.update(self._secrets)
        self._clock, self._sleep, self._wall_clock = clock, sleep, wall_clock
        self._last_start: float | None = None
        self.requests = 0
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(contact), **(headers or {})},
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

    def mask(self, text: object) -> str:
        """``text`` with the client's secrets replaced by ***."""
        text = str(text)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _wait_turn(self) -> None:
        if self._last_start is not None:
            remaining = self._last_start + self.politeness.interval - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last_start = self._clock()

    def _fetch(self, method: str, url: str, params: Mapping[str, str] | None, body: object,
               headers: Mapping[str, str] | None, max_bytes: int | None) -> httpx.Response:
        if max_bytes is None:
            return self._client.request(method, url, params=params, json=body, headers=headers)
        # Streamed, so an oversize answer is refused from its Content-Length or after max_bytes, not
        # after downloading all of it; and bounded in total time, which httpx's per-read timeout is not.
        deadline = time.monotonic() + self.politeness.timeout
        with self._client.stream(method, url, params=params, json=body, headers=headers) as response:
            declared = response.headers.get("Content-Length", "")
            received = bytearray()
            if declared.isdigit() and int(declared) > max_bytes:
                raise SourceError(f"{url}: answer of {int(declared) / 1e6:.1f} MB is over the "
                                  f"{max_bytes / 1e6:.1f} MB limit; not downloaded")
            for chunk in response.iter_raw():  # bytes on the wire; the new Response decodes them
                received += chunk
                if len(received) > max_bytes:
                    raise SourceError(f"{url}: answer is over the {max_bytes / 1e6:.1f} MB limit; "
                                      "download stopped")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout(f"over {self.politeness.timeout:g} s", request=response.request)
            try:
                return httpx.Response(response.status_code, headers=response.headers, content=bytes(received),
                                      request=response.request)
            except httpx.DecodingError as exc:
                raise SourceError(f"{url}: cannot decode the answer: {exc}") from None

    def get(self, url: str, params: Mapping[str, str] | None = None,
            accept: Callable[[httpx.Response], bool] | None = None,
            explain: Callable[[httpx.Response], str | None] | None = None,
            max_bytes: int | None = None) -> httpx.Response:
        """GET ``url``; retry transient failures, and responses ``accept`` rejects (e.g. an empty page).

        ``explain`` turns a non-retryable error response into the server's own one-line message (e.g. the
        arXiv API's error entry); without it, or when it returns None, the message quotes the body.
        With ``max_bytes``, a longer answer (bytes on the wire) is refused and the whole download must fit
        in the timeout.
        Raises ``HostUnavailable`` when the host cannot be reached or every attempt failed.
        """
        return self._request("GET", url, params=params, accept=accept, explain=explain, max_bytes=max_bytes)

    def post(self, url: str, body: object, headers: Mapping[str, str] | None = None,
             accept: Callable[[httpx.Response], bool] | None = None, *, params: Mapping[str, str] | None = None,
             explain: Callable[[httpx.Response], str | None] | None = None) -> httpx.Response:
        """POST ``body`` as JSON, with the same spacing and retries as :meth:`get`; ``headers`` are never logged."""
        return self._request("POST", url, params=params, body=body, headers=headers, accept=accept, explain=explain)

    def _request(self, method: str, url: str, *, params: Mapping[str, str] | None = None, body: object = None,
                 headers: Mapping[str, str] | None = None, accept: Callable[[httpx.Response], bool] | None = None,
                 explain: Callable[[httpx.Response], str | None] | None = None,
                 max_bytes: int | None = None) -> httpx.Response:
        shown = self.mask(url)
        wait = self.politeness.backoff
        last_problem = ""
        for attempt in range(self.politeness.retries + 1):
            if attempt:
                log.warning("retrying %s in %.0f s (%s)", shown, wait, last_problem)
                self._sleep(wait)
            self._wait_turn()
            self.requests += 1
            try:
                response = self._fetch(method, url, params, body, headers, max_bytes)
            except httpx.TimeoutException:
                last_problem = "timed out"
                wait = min(self.politeness.backoff * 2**attempt, self.politeness.max_wait)
                continue
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                # The connection dropped mid-response (a truncated body): transient, like a timeout.
                last_problem = f"connection dropped: {self.mask(exc)}"
                wait = min(self.politeness.backoff * 2**attempt, self.politeness.max_wait)
                continue
            except httpx.TransportError as exc:
                raise self._unavailable(f"cannot reach {shown}: {exc.__class__.__name__}: {self.mask(exc)}") from None
            log.info("%s %s -> %d", method, self.mask(response.url), response.status_code)
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
                raise self._error(self.mask(f"{response.url} answered HTTP {response.status_code}: {detail}"))
            if accept is not None and not accept(response):
                last_problem = "empty or incomplete response"
                wait = min(self.politeness.backoff * 2**attempt, self.politeness.max_wait)
                continue
            return response
        raise self._unavailable(f"{shown}: gave up after {self.politeness.retries + 1} attempts ({last_problem})")

    def _unavailable(self, message: str) -> PaperRadioError:
        """A source's unreachable host is ``HostUnavailable`` (callers skip it for the run); other stages get
        their own error class."""
        return HostUnavailable(message) if self._error is SourceError else self._error(message)
