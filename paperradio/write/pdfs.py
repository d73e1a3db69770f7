"""Papers' PDFs for the key figures: downloaded politely, once, into ``<home>/cache/pdf/``.

Downloads go through the shared :class:`~paperradio.sources._http.PoliteClient` (interval, retries,
User-Agent), limited in size (``pdf_max_mb``) and time (``pdf_timeout``). An answer that is not a PDF is
refused. The first time a host cannot be reached, every later download from it in the same run is skipped
at once with the same reason, so an offline run does not wait out seven rounds of backoff.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import SourceError
from ..models import Paper
from ..sources._http import HostUnavailable, PoliteClient, Politeness

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"


def file_stem(paper: Paper) -> str:
    """A file name for the paper: old-style ids such as ``cs/0601001`` become ``cs_0601001``."""
    return paper.arxiv_id.replace("/", "_")


class PdfFetcher:
    """Fetch PDFs by paper; ``client`` defaults to a PoliteClient made from the settings (closed by ``close``)."""

    def __init__(self, settings: Settings, client: PoliteClient | None = None) -> None:
        self.settings = settings
        self.folder = settings.cache_dir / "pdf"
        self._client = client
        self._own_client = client is None
        self._down: dict[str, str] = {}
        """Host -> why it could not be reached in this run."""

    @property
    def client(self) -> PoliteClient:
        if self._client is None:
            politeness = Politeness(interval=self.settings.request_interval, retries=self.settings.http_retries,
                                    timeout=self.settings.pdf_timeout)
            self._client = PoliteClient(self.settings.contact_email, politeness)
        return self._client

    def close(self) -> None:
        if self._own_client and self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> PdfFetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def url(self, paper: Paper) -> str:
        return self.settings.arxiv_pdf_url.rstrip("/") + "/" + paper.arxiv_id

    def fetch(self, paper: Paper) -> bytes:
        """The paper's PDF, from the cache or downloaded; ``SourceError`` says why there is none."""
        if paper.source != "arxiv":
            raise SourceError(f"{paper.source} paper: no PDF source configured")
        cached = self.folder / f"{file_stem(paper)}.pdf"
        if cached.is_file():
            return cached.read_bytes()
        url = self.url(paper)
        host = urlsplit(url).netloc
        if host in self._down:
            raise SourceError(self._down[host])
        try:
            response = self.client.get(url, max_bytes=int(self.settings.pdf_max_mb * 1_000_000))
        except HostUnavailable as exc:
            # One reason for every paper of the host, whichever paper happened to fail first.
            self._down[host] = str(exc).replace(url, host)
            log.warning("figures: %s; skipping further PDFs from %s in this run", exc, host)
            raise SourceError(self._down[host]) from None
        data = response.content
        if not data.startswith(PDF_MAGIC):
            kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
            raise SourceError(f"{url} answered {kind}, not a PDF")
        save_atomically(cached, data)
        return data


def save_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file: a half-written PDF or PNG must never look like a cache hit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
